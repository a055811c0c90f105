package dev.roster.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.testing.ApiTest;
import dev.roster.testing.PomVersion;
import dev.roster.testing.TestServer.Response;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** /health, /ready, /metrics and the access log, as an operator sees them. */
class OperationsApiTest extends ApiTest {

    @Test
    void healthAndReadyAnswerJsonWithTheVersionAndEachDependency() {
        String version = PomVersion.read();
        Response health = server.send(server.request("/health").GET());
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.headers().firstValue("Content-Type").orElse("")).contains("application/json");
        assertThat(health.json().path("status").asText()).isEqualTo("alive");
        assertThat(health.json().path("version").asText()).isEqualTo(version);

        Response ready = server.send(server.request("/ready").GET());
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().path("status").asText()).isEqualTo("ready");
        assertThat(ready.json().path("version").asText()).isEqualTo(version);
        assertThat(ready.json().path("dependencies").path("store").asText()).isEqualTo("up");
        // no queue configured: no queue state
        assertThat(ready.json().path("dependencies").has("queue")).isFalse();
    }

    @Test
    void metricsHaveAFewLatencyBucketsAndTheJvmAndProcessMetrics() {
        master().ok("databases/list", "{}");
        String metrics = server.send(server.request("/metrics").GET()).body();
        Matcher buckets = Pattern.compile("(?m)^roster_requests_seconds_bucket\\{error=\"0\",method=\"databases/list\",le=")
                .matcher(metrics);
        int count = 0;
        while (buckets.find()) {
            count++;
        }
        assertThat(count).as("latency buckets of one method and code").isBetween(5, 12);
        assertThat(metrics).contains("jvm_memory_used_bytes").contains("jvm_gc_").contains("process_cpu_usage")
                .contains("process_uptime_seconds").contains("jvm_threads_live_threads").contains("system_cpu_count")
                .contains("jvm_classes_loaded_classes");
    }

    @Test
    void oneAccessLinePerRequestWithoutTokenPasswordOrProfileData() {
        Logger access = (Logger) LoggerFactory.getLogger("roster.access");
        // the event's log context is read lazily: take it while the request is still being served, as an encoder does
        ListAppender<ILoggingEvent> lines = new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent event) {
                event.prepareForDeferredProcessing();
                super.append(event);
            }
        };
        lines.start();
        access.addAppender(lines);
        try {
            long db = createDatabase("access-log");
            String secretEmail = "very.private.person@example.com";
            master().ok("profiles/import", "{\"db_id\":" + db + ",\"data\":{\"email\":\"" + secretEmail
                    + "\",\"_fname\":\"Zebediah\",\"phones\":[\"+79001234567\"]}}");
            master().call("profiles/get", "{\"db_id\":" + db + ",\"email\":\"" + secretEmail + "\"}");
            String wrongToken = "0123456789abcdef0123456789abcdef";
            server.client(wrongToken).call("databases/list", "{}");
            master().call("databases/get", "{\"id\":\"not a number\"}");
            JsonNode user = master().ok("users/create", "{\"login\":\"logged\",\"password\":\"s3cret-Passw0rd\"}");
            assertThat(user.path("data").path("login").asText()).isEqualTo("logged");
            server.send(server.request("/api/v1.1/databases/list?token=" + server.masterToken())
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));

            // the line is written once the answer has left: the client can see the answer a moment before it
            java.time.Instant deadline = java.time.Instant.now().plusSeconds(10);
            while (lines.list.size() < 7 && java.time.Instant.now().isBefore(deadline)) {
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
            }
            List<String> texts = List.copyOf(lines.list).stream().map(e -> e.getFormattedMessage() + " " + e.getKeyValuePairs()
                    + " " + e.getMDCPropertyMap()).toList();
            assertThat(texts).as("one line per request").hasSize(7);
            for (String text : texts) {
                assertThat(text).doesNotContain(server.masterToken()).doesNotContain(wrongToken)
                        .doesNotContain(secretEmail).doesNotContain("Zebediah").doesNotContain("79001234567")
                        .doesNotContain("s3cret-Passw0rd");
            }
            assertThat(texts.get(0)).startsWith("POST /api/v1.1/databases/create error=0 status=200 ")
                    .contains("token=\"bootstrap\"");
            // the HTTP status of an error depends on the server's settings; the error code is the outcome
            assertThat(texts.get(3)).startsWith("POST /api/v1.1/databases/list error=401 status=").contains("token=-");
            assertThat(texts.get(4)).startsWith("POST /api/v1.1/databases/get error=400 status=");
            // the request id is in the log context of each line
            assertThat(lines.list).allMatch(e -> e.getMDCPropertyMap().get("request_id") != null);
        } finally {
            access.detachAppender(lines);
        }
    }
}
