package dev.roster.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.RosterApp;
import dev.roster.http.HttpSettings;
import dev.roster.json.Json;
import dev.roster.store.Store;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import dev.roster.access.Permission;

/** A Roster server on a random port over a fresh store, with a client that speaks its API. */
public final class TestServer implements AutoCloseable {
    /**
     * One client per server: a client shared by every server of a run kept connections to servers already stopped,
     * and reused one when a later server was given the same port (the test then read "header parser received no
     * bytes" from a connection nobody served).
     */
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final TestStores.FreshStore fresh;
    private final RosterApp app;
    private final String masterToken;

    private TestServer(UnaryOperator<HttpSettings> settings) {
        this(settings, false, s -> s);
    }

    private TestServer(UnaryOperator<HttpSettings> settings, boolean allowDataWipe) {
        this(settings, allowDataWipe, s -> s);
    }

    private TestServer(UnaryOperator<HttpSettings> settings, boolean allowDataWipe,
                       UnaryOperator<dev.roster.store.StoreSettings> storeSettings) {
        this.fresh = TestStores.fresh();
        this.app = RosterApp.start(storeSettings.apply(fresh.settings()), settings.apply(HttpSettings.defaults(0)),
                RosterApp.Options.defaults().withDataWipe(allowDataWipe));
        this.masterToken = app.bootstrap().orElseThrow().token();
    }

    private TestServer(RosterApp.Options options) {
        this.fresh = TestStores.fresh();
        this.app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0), options);
        this.masterToken = app.bootstrap().orElseThrow().token();
    }

    /** With these options (e.g. data wipe allowed and webhooks to any address, as the OpenAPI examples need). */
    public static TestServer start(RosterApp.Options options) {
        return new TestServer(options);
    }

    private TestServer(dev.roster.event.EventSettings events) {
        this.fresh = TestStores.fresh();
        this.app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0), RosterApp.Options.defaults().withEvents(events));
        this.masterToken = app.bootstrap().orElseThrow().token();
    }

    /** With these events settings (webhooks to private addresses, shortened retries, the events exchange). */
    public static TestServer start(dev.roster.event.EventSettings events) {
        return new TestServer(events);
    }

    public static TestServer start() {
        return new TestServer(s -> s);
    }

    /** With store settings of its own (e.g. a short query time limit). */
    public static TestServer startWithStore(UnaryOperator<dev.roster.store.StoreSettings> storeSettings) {
        return new TestServer(s -> s, false, storeSettings);
    }

    public static TestServer start(UnaryOperator<HttpSettings> settings) {
        return new TestServer(settings);
    }

    /** A server started with {@code --allow-data-wipe}. */
    public static TestServer startAllowingDataWipe() {
        return new TestServer(s -> s, true);
    }

    /** Every API method of the server with the permission it needs, as the registry has them. */
    public Map<String, Permission> methods() {
        return app.methods();
    }

    /** The admin password the first start printed. */
    public String adminPassword() {
        return app.bootstrap().orElseThrow().password();
    }

    public String masterToken() {
        return masterToken;
    }

    public Store store() {
        return app.store();
    }

    /**
     * A connection of the test's own to the server's store, outside the store's pool and its transactions, e.g. for a
     * transaction held open while the server answers. Closing the handle closes the connection.
     */
    public org.jdbi.v3.core.Handle openHandle() {
        return org.jdbi.v3.core.Jdbi.create(fresh.settings().jdbcUrl()).open();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + app.port() + path;
    }

    /** A client that sends {@code Authorization: Bearer token}. */
    public ApiClient client(String token) {
        return new ApiClient(this, token);
    }

    public ApiClient master() {
        return client(masterToken);
    }

    public Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url(path)));
    }

    @Override
    public void close() throws Exception {
        app.close();
        fresh.cleanup().close();
        http.close();
    }

    /** An answer: HTTP status, raw body, headers, and the body parsed when it is JSON. */
    public record Response(int status, String body, java.net.http.HttpHeaders headers) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("answer is not JSON: " + body, e);
            }
        }

        public int error() {
            return json().path("error").asInt(-1);
        }

        /**
         * The envelope's error, after checking the HTTP status the default policy gives it: 200 whatever the error,
         * except 413, 429, 500 and 503, which are also the status.
         */
        public int code() {
            int error = error();
            int expected = httpStatusOf(error);
            if (status != expected) {
                throw new AssertionError("error " + error + " should be HTTP " + expected + ", was " + status + ": " + body);
            }
            return error;
        }

        public String errorText() {
            return json().path("error_text").asText();
        }

        public JsonNode data() {
            return json().path("data");
        }
    }

    /** The HTTP status of an answer with this error under the default policy. */
    public static int httpStatusOf(int error) {
        return error == 413 || error == 429 || error == 500 || error == 503 ? error : 200;
    }

    /** Calls {@code /api/v1.1/<method>} with a JSON body. */
    public static final class ApiClient {
        private final TestServer server;
        private final String token;

        ApiClient(TestServer server, String token) {
            this.server = server;
            this.token = token;
        }

        public Response call(String method, String jsonBody) {
            HttpRequest.Builder request = server.request("/api/v1.1/" + method)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(jsonBody));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return server.send(request);
        }

        public Response call(String method, ObjectNode body) {
            return call(method, Json.write(body));
        }

        /** Calls and insists on success: error 0 and HTTP 200. */
        public JsonNode ok(String method, String jsonBody) {
            Response response = call(method, jsonBody);
            if (response.status() != 200 || response.error() != 0) {
                throw new AssertionError(method + " failed: HTTP " + response.status() + " " + response.body());
            }
            return response.json();
        }

        public JsonNode ok(String method, ObjectNode body) {
            return ok(method, Json.write(body));
        }
    }
}
