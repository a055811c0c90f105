package dev.roster.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.error.RosterException;
import dev.roster.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code feedback} callback of asynchronous methods ({@code {"type": "JSON", "url": "..."}}): when the task
 * completes, its tasks/status answer (with {@code task_id}) is POSTed to the URL as JSON. Sent in the background,
 * tried three times (after 1 s and 5 s) until the receiver answers 2xx, then given up and logged.
 */
public final class Feedback {
    private static final Logger log = LoggerFactory.getLogger(Feedback.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private static final long[] RETRY_MS = {1_000, 5_000};

    private final URI url;

    private Feedback(URI url) {
        this.url = url;
    }

    /** The callback a request asked for, or null without one; 400 for anything but an http(s) URL of type JSON. */
    public static Feedback parse(ObjectNode feedback) {
        if (feedback == null) {
            return null;
        }
        feedback.fieldNames().forEachRemaining(name -> {
            if (!name.equals("type") && !name.equals("url")) {
                throw RosterException.badRequest("unknown parameter 'feedback." + name + "' (feedback has type and url)");
            }
        });
        JsonNode type = feedback.get("type");
        if (type != null && !type.isNull() && !type.asText().toUpperCase(Locale.ROOT).equals("JSON")) {
            throw RosterException.invalid("feedback.type", "\"JSON\"", type);
        }
        JsonNode url = feedback.get("url");
        if (url == null || !url.isTextual()) {
            throw RosterException.missing("feedback.url");
        }
        try {
            URI uri = new URI(url.textValue());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw RosterException.invalid("feedback.url", "an absolute http or https URL", url);
            }
            return new Feedback(uri);
        } catch (java.net.URISyntaxException e) {
            throw RosterException.invalid("feedback.url", "an absolute http or https URL", url);
        }
    }

    /** Sends the task's status in the background. */
    public void send(String taskId, ObjectNode status) {
        ObjectNode body = Json.object().put("task_id", taskId);
        body.setAll(status);
        String json = Json.write(body);
        Thread.ofVirtual().name("roster-feedback-" + taskId).start(() -> {
            for (int attempt = 0; ; attempt++) {
                try {
                    HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() / 100 == 2) {
                        return;
                    }
                    log.warn("feedback of task {} to {}: HTTP {}", taskId, url, response.statusCode());
                } catch (java.io.IOException e) {
                    log.warn("feedback of task {} to {}: {}", taskId, url, e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (attempt >= RETRY_MS.length) {
                    log.error("feedback of task {} to {} given up after {} attempts", taskId, url, attempt + 1);
                    return;
                }
                try {
                    Thread.sleep(RETRY_MS[attempt]);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
    }
}
