package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.roster.json.Json;
import dev.roster.testing.TestServer;
import dev.roster.testing.TestServer.ApiClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** databases/wipe (only with --allow-data-wipe), databases|resources/refresh_counters with feedback, message_unsub. */
class DataToolsApiTest extends ProfileApiSupport {

    private static ApiClient withDelete(TestServer on) {
        String token = on.master().ok("tokens/create", "{\"name\":\"wiper\",\"permissions\":[\"profiles.read\","
                + "\"profiles.write\",\"profiles.delete\",\"catalog.read\",\"history.read\"]}").path("data").path("token").asText();
        return on.client(token);
    }

    @Test
    void wipeIsRefusedUnlessTheServerAllowsIt() {
        long db = database();
        importEmail(db, "kept@example.com");
        ApiClient wiper = withDelete(server);
        java.util.Map<String, java.util.List<String>> before = dev.roster.testing.StoreRows.rows(server.store());
        assertError(wiper.call("databases/wipe", "{\"id\":" + db + "}"), 403, "--allow-data-wipe",
                "ROSTER_ALLOW_DATA_WIPE");
        assertThat(dev.roster.testing.StoreRows.rows(server.store())).isEqualTo(before);
        assertThat(profileCount(db)).isEqualTo(1);
    }

    @Test
    void wipeDeletesEveryProfileOfTheDatabaseAndNothingElse() throws Exception {
        try (TestServer wiping = TestServer.startAllowingDataWipe()) {
            ApiClient master = wiping.master();
            ApiClient wiper = withDelete(wiping);
            long db = master.ok("databases/create", "{\"name\":\"wiped\"}").path("data").path("id").asLong();
            long other = master.ok("databases/create", "{\"name\":\"other\"}").path("data").path("id").asLong();
            master.ok("databases/fields_add", "{\"db_id\":" + db + ",\"name\":\"CRM\",\"type\":\"string\",\"unique\":true}");
            long res = master.ok("resources/create", "{\"name\":\"r\",\"channels\":[\"email\"]}").path("data").path("id").asLong();
            for (String email : new String[] {"a@example.com", "b@example.com"}) {
                master.ok("profiles/import", "{\"db_id\":" + db + ",\"email\":\"" + email + "\",\"data\":{\"email\":\""
                        + email + "\",\"CRM\":\"" + email + "\",\"subscriptions\":[{\"channel\":\"email\",\"email\":\""
                        + email + "\",\"resource_id\":" + res + "}]}}");
            }
            master.ok("profiles/import", "{\"db_id\":" + other + ",\"data\":{\"email\":\"a@example.com\"}}");
            // counted in the store: on PostgreSQL a history page may not show the newest transactions yet
            String countEvents = "select count(*) from history_events where db_id = :db";
            long events = wiping.store().read(h -> h.createQuery(countEvents).bind("db", db)
                    .mapTo(Long.class).one());
            assertThat(events).isPositive();

            assertError(master.call("databases/wipe", "{\"id\":" + db + "}"), 403, "profiles.delete");
            assertError(wiper.call("databases/wipe", "{\"id\":424242}"), 404, "database 424242");
            JsonNode data = wiper.ok("databases/wipe", "{\"id\":" + db + "}").path("data");
            assertThat(data.path("count_profile").asLong()).isEqualTo(2);
            assertThat(data.path("count_action").asLong()).isEqualTo(events);

            // counters right after, the profiles and their history gone, the database and its fields kept
            assertThat(master.ok("databases/get", "{\"id\":" + db + "}").path("data").path("profiles").asLong()).isZero();
            JsonNode counters = master.ok("databases/get_counters", "{\"id\":" + db + ",\"resource_id\":" + res + "}").path("data");
            assertThat(counters.get(0).path("status").path("all").asLong()).isZero();
            assertThat(master.call("profiles/get", "{\"db_id\":" + db + ",\"email\":\"a@example.com\"}").error()).isEqualTo(404);
            assertThat(master.ok("subscribers/history_get_all", "{\"list_id\":" + db + ",\"date_from\":\"2000-01-01\","
                    + "\"date_to\":\"2100-01-01\"}").path("data")).isEmpty();
            long eventsLeft = wiping.store().read(h -> h.createQuery(countEvents).bind("db", db)
                    .mapTo(Long.class).one());
            assertThat(eventsLeft).isZero();
            assertThat(master.ok("databases/fields_get", "{\"db_id\":" + db + "}").path("data").toString()).contains("CRM");
            assertThat(master.ok("profiles/get", "{\"db_id\":" + other + ",\"email\":\"a@example.com\"}").path("data")
                    .path("email").asText()).isEqualTo("a@example.com");
            // the keys went too: the same profiles can be imported again
            master.ok("profiles/import", "{\"db_id\":" + db + ",\"email\":\"a@example.com\",\"data\":{\"email\":"
                    + "\"a@example.com\",\"CRM\":\"a@example.com\"}}");
        }
    }

    /** A receiver of feedback callbacks on a free port of this machine. */
    private static final class Receiver implements AutoCloseable {
        final BlockingQueue<JsonNode> bodies = new LinkedBlockingQueue<>();
        final HttpServer http;

        Receiver() throws IOException {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/done", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                bodies.add(Json.MAPPER.readTree(body));
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            http.start();
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort() + "/done";
        }

        JsonNode next() throws InterruptedException {
            JsonNode body = bodies.poll(30, TimeUnit.SECONDS);
            assertThat(body).as("a feedback callback within 30 s").isNotNull();
            return body;
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }

    @Test
    void refreshCountersIsATaskCompleteAtOnceThatCallsTheFeedbackUrl() throws Exception {
        long db = database();
        long res = resource("email");
        importOk("{\"db_id\":" + db + ",\"email\":\"c@example.com\",\"data\":{\"email\":\"c@example.com\","
                + "\"subscriptions\":[{\"channel\":\"email\",\"email\":\"c@example.com\",\"resource_id\":" + res + "}]}}");
        JsonNode counters = ok("databases/get_counters", "{\"id\":" + db + ",\"resource_id\":" + res + "}").path("data");
        try (Receiver receiver = new Receiver()) {
            String task = ok("databases/refresh_counters", "{\"id\":" + db + ",\"resource_id\":" + res
                    + ",\"feedback\":{\"type\":\"JSON\",\"url\":\"" + receiver.url() + "\"}}").path("data").path("task_id").asText();
            JsonNode status = ok("tasks/status", "{\"task_id\":\"" + task + "\"}").path("data");
            assertThat(status.path("status").asText()).isEqualTo("completed");
            assertThat(status.path("progress").asInt()).isEqualTo(100);
            assertThat(status.path("result").path("counters")).isEqualTo(counters);
            assertThat(status.path("result").path("source_id").asLong()).isEqualTo(db);

            JsonNode callback = receiver.next();
            assertThat(callback.path("task_id").asText()).isEqualTo(task);
            assertThat(callback.path("status").asText()).isEqualTo("completed");
            assertThat(callback.path("result").path("counters")).isEqualTo(counters);

            String resourceTask = ok("resources/refresh_counters", "{\"id\":" + res + ",\"list_id\":" + db
                    + ",\"feedback\":{\"url\":\"" + receiver.url() + "\"}}").path("data").path("task_id").asText();
            assertThat(ok("tasks/status", "{\"task_id\":\"" + resourceTask + "\"}").path("data").path("result")
                    .path("counters")).isEqualTo(ok("resources/get_counters", "{\"id\":" + res + ",\"db_id\":" + db
                    + "}").path("data"));
            assertThat(receiver.next().path("task_id").asText()).isEqualTo(resourceTask);
        }
        // without feedback it is a task all the same
        assertThat(ok("databases/refresh_counters", "{\"id\":" + db + "}").path("data").path("task_id").asText())
                .startsWith("task_");
    }

    @Test
    void badRefreshRequestsAreRefused() {
        long db = database();
        assertRefused("databases/refresh_counters", "{\"id\":" + db + ",\"feedback\":{\"url\":\"ftp://example.com/x\"}}",
                400, "feedback.url");
        assertRefused("databases/refresh_counters", "{\"id\":" + db + ",\"feedback\":{\"type\":\"XML\",\"url\":"
                + "\"http://example.com/x\"}}", 400, "feedback.type");
        assertRefused("databases/refresh_counters", "{\"id\":424242}", 404, "database 424242");
        assertRefused("resources/refresh_counters", "{\"id\":424242}", 404, "424242");
    }

    @Test
    void messageUnsubSaysRosterIssuesNoMessageIds() {
        assertRefused("profiles/message_unsub", "{\"rtoken\":\"r\",\"smid\":\"abc\"}", 404, "never issues message ids",
                "subscriptions/set");
    }
}
