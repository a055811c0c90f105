package dev.roster.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.testing.StoreRows;
import dev.roster.testing.TestServer;
import dev.roster.testing.TestStores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Webhooks end to end with a real HTTP receiver (docs/API.md, "Webhooks"). */
@Tag("api")
class WebhookApiTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static TestServer server;

    @BeforeAll
    static void start() {
        // receivers on 127.0.0.1, retries shortened: 50 ms doubling to 200 ms for 2 s, then failing
        server = TestServer.start(EventSettings.defaults().withAllowPrivate(true)
                .withRetry(Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofMillis(200))
                .withPoll(Duration.ofMillis(200)));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static TestServer.ApiClient master() {
        return server.master();
    }

    private static String unique(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet();
    }

    private static long database() {
        return master().ok("databases/create", "{\"name\":\"" + unique("db") + "\"}").path("data").path("id").asLong();
    }

    private static JsonNode create(Receiver receiver, String more) {
        JsonNode data = master().ok("webhooks/create", "{\"url\":\"" + receiver.url() + "\"" + more + "}").path("data");
        receiver.secret(data.path("secret").asText());
        return data;
    }

    private static void importProfile(long db, String email, String more) {
        master().ok("profiles/import", "{\"db_id\":" + db + ",\"data\":{\"email\":\"" + email + "\"" + more + "}}");
    }

    /** history_get_all of the database today: the ids in commit order. */
    private static List<Long> historyIds(long db) {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        List<Long> ids = new ArrayList<>();
        master().ok("subscribers/history_get_all", "{\"list_id\":" + db + ",\"date_from\":\"" + today
                + "\",\"date_to\":\"" + today + "\",\"limit\":10000}").path("data")
                .forEach(r -> ids.add(r.path("id").asLong()));
        return ids;
    }

    private static JsonNode webhook(long id) {
        return master().ok("webhooks/get", "{\"id\":" + id + "}").path("data");
    }

    @Test
    void batchesAreSignedInCommitOrderAndCarryEveryEventWhileOtherTransactionsStayOpen() throws Exception {
        long db = database();
        long other = database();
        try (Receiver receiver = new Receiver(); Connection elsewhere = openTransactionElsewhere();
             Connection here = openTransactionHere()) {
            long hook = create(receiver, ",\"db_ids\":[" + db + "]").path("id").asLong();
            for (int i = 0; i < 120; i++) {
                importProfile(db, unique("w") + "@example.com", ",\"_fname\":\"n" + i + "\"");
            }
            importProfile(other, unique("not-mine") + "@example.com", "");
            List<Long> history = historyIds(db);
            assertThat(history).hasSize(120);
            receiver.await(b -> new HashSet<>(ids(b)).containsAll(history), WAIT);

            List<Receiver.Batch> batches = receiver.batches();
            assertThat(batches).allSatisfy(b -> {
                assertThat(b.signatureValid()).as("signature of delivery %s", b.deliveryId()).isTrue();
                assertThat(b.ids()).hasSizeBetween(1, 100);
            });
            assertThat(batches.stream().map(Receiver.Batch::deliveryId).distinct().count()).isEqualTo(batches.size());
            // commit order, each event once, and nothing of the other database
            assertThat(receiver.acknowledgedIds()).isEqualTo(history);
            JsonNode first = batches.get(0).events().get(0);
            assertThat(first.path("type").asText()).isEqualTo("import_api");
            assertThat(first.path("db_id").asLong()).isEqualTo(db);
            assertThat(first.path("profile_id").asText()).hasSize(24);
            assertThat(Instant.parse(first.path("time").asText())).isNotNull();
            assertThat(first.has("detail")).isTrue();

            // the receiver counts a batch before its answer reaches the server, which records it after
            JsonNode deliveries = deliveries(hook, d -> d.size() == batches.size());
            assertThat(deliveries.get(0).path("http_status").asInt()).isEqualTo(200);
            if (elsewhere != null) {
                elsewhere.rollback();
                here.rollback();
            }
        }
    }

    @Test
    void aReceiverAnswering500ForAWhileGetsEveryEventOnceItRecovers() throws Exception {
        long db = database();
        try (Receiver receiver = new Receiver()) {
            receiver.answer.set(500);
            long hook = create(receiver, ",\"db_ids\":[" + db + "]").path("id").asLong();
            importProfile(db, unique("a") + "@example.com", "");
            receiver.await(b -> b.size() >= 3, WAIT); // the first batch and two retries, refused
            for (int i = 0; i < 30; i++) {
                importProfile(db, unique("b") + "@example.com", "");
            }
            receiver.answer.set(200);
            List<Long> history = historyIds(db);
            receiver.await(b -> new HashSet<>(ids(acknowledged(b))).containsAll(history), WAIT);
            assertThat(receiver.acknowledgedIds()).isEqualTo(history);
            assertThat(receiver.batches().get(0).answered()).isEqualTo(500);
            JsonNode deliveries = deliveries(hook, d -> d.get(0).path("http_status").asInt() == 200);
            List<Integer> statuses = new ArrayList<>();
            deliveries.forEach(d -> statuses.add(d.path("http_status").asInt()));
            assertThat(statuses).contains(500, 200);
            assertThat(webhook(hook).path("status").asText()).isEqualTo("active");
            String metrics = server.send(server.request("/metrics").GET()).body();
            assertThat(metrics).contains("roster_webhook_events_sent_total", "roster_webhook_lag_seconds");
            assertThat(metrics).containsPattern("roster_webhook_deliveries_failed_total(\\{[^}]*\\})? [1-9]");
        }
    }

    @Test
    void aReceiverDownLongerThanTheRetryWindowMarksTheWebhookFailingAndGetsEverythingWhenEnabled() throws Exception {
        long db = database();
        try (Receiver receiver = new Receiver()) {
            long hook = create(receiver, ",\"db_ids\":[" + db + "]").path("id").asLong();
            int port = receiver.port();
            receiver.stop();
            importProfile(db, unique("down") + "@example.com", "");
            Instant deadline = Instant.now().plus(WAIT);
            while (!webhook(hook).path("status").asText().equals("failing")) {
                assertThat(Instant.now()).as("webhook marked failing").isBefore(deadline);
            }
            JsonNode failing = webhook(hook);
            assertThat(failing.path("enabled").asBoolean()).isFalse();
            assertThat(failing.path("failing_since").isTextual()).isTrue();
            // events go on being recorded while it fails, and wait for it
            for (int i = 0; i < 10; i++) {
                importProfile(db, unique("while-failing") + "@example.com", "");
            }
            receiver.start(port);
            assertThat(master().ok("webhooks/update", "{\"id\":" + hook + ",\"enabled\":true}").path("data")
                    .path("status").asText()).isEqualTo("active");
            List<Long> history = historyIds(db);
            assertThat(history).hasSize(11);
            receiver.await(b -> new HashSet<>(ids(acknowledged(b))).containsAll(history), WAIT);
            assertThat(receiver.acknowledgedIds()).isEqualTo(history);
        }
    }

    @Test
    void eventsOfADeletedProfileAreStillDeliveredAndFiltersApply() throws Exception {
        long db = database();
        try (Receiver receiver = new Receiver()) {
            long hook = create(receiver, ",\"db_ids\":[" + db + "],\"events\":[\"import_api\",\"fields_update\"]")
                    .path("id").asLong();
            master().ok("webhooks/update", "{\"id\":" + hook + ",\"enabled\":false}");
            String email = unique("gone") + "@example.com";
            importProfile(db, email, "");
            importProfile(db, email, ",\"_fname\":\"Olga\"");
            List<Long> before = historyIds(db);
            assertThat(before).hasSize(2);
            String deleter = master().ok("tokens/create", "{\"name\":\"" + unique("deleter")
                    + "\",\"permissions\":[\"profiles.delete\"]}").path("data").path("token").asText();
            server.client(deleter).ok("profiles/delete", "{\"db_id\":" + db + ",\"email\":\"" + email + "\"}");
            assertThat(historyIds(db)).isEmpty();
            master().ok("webhooks/update", "{\"id\":" + hook + ",\"enabled\":true}");
            receiver.await(b -> ids(acknowledged(b)).size() >= 2, WAIT);
            assertThat(receiver.acknowledgedIds()).isEqualTo(before);
            List<String> types = new ArrayList<>();
            receiver.batches().forEach(b -> b.events().forEach(e -> types.add(e.path("type").asText())));
            assertThat(types).containsExactly("import_api", "fields_update");
        }
    }

    /**
     * Two servers on one store, both taking writes and both dispatching: the receiver gets every event once (no batch
     * sent by both), in commit order.
     */
    @Test
    void twoServersOnOneStoreSendEachBatchOnce() throws Exception {
        TestStores.FreshStore store = TestStores.fresh();
        EventSettings events = EventSettings.defaults().withAllowPrivate(true).withPoll(Duration.ofMillis(100));
        try (Receiver receiver = new Receiver();
             dev.roster.RosterApp a = dev.roster.RosterApp.start(store.settings(),
                     dev.roster.http.HttpSettings.defaults(0),
                     dev.roster.RosterApp.Options.defaults().withEvents(events.withNode("node-a")));
             dev.roster.RosterApp b = dev.roster.RosterApp.start(store.settings(),
                     dev.roster.http.HttpSettings.defaults(0),
                     dev.roster.RosterApp.Options.defaults().withEvents(events.withNode("node-b")))) {
            String token = a.bootstrap().orElseThrow().token();
            long db = post(a.port(), token, "databases/create|{\"name\":\"two\"}").path("data").path("id").asLong();
            JsonNode hook = post(a.port(), token, "webhooks/create|{\"url\":\"" + receiver.url() + "\"}").path("data");
            receiver.secret(hook.path("secret").asText());
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                List<java.util.concurrent.Future<?>> writes = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    int port = w % 2 == 0 ? a.port() : b.port();
                    int worker = w;
                    writes.add(pool.submit(() -> {
                        for (int i = 0; i < 40; i++) {
                            post(port, token, "profiles/import|{\"db_id\":" + db + ",\"data\":{\"email\":\"two-"
                                    + worker + "-" + i + "@example.com\"}}");
                        }
                        return null;
                    }));
                }
                for (var f : writes) {
                    f.get();
                }
            }
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            List<Long> history = new ArrayList<>();
            post(a.port(), token, "subscribers/history_get_all|{\"list_id\":" + db + ",\"date_from\":\"" + today
                    + "\",\"date_to\":\"" + today + "\",\"limit\":10000}").path("data")
                    .forEach(r -> history.add(r.path("id").asLong()));
            assertThat(history).hasSize(160);
            receiver.await(bs -> new HashSet<>(ids(bs)).containsAll(history), WAIT);
            assertThat(receiver.acknowledgedIds()).as("every event once, in commit order").isEqualTo(history);
            assertThat(receiver.batches()).allSatisfy(x -> assertThat(x.signatureValid()).isTrue());
        } finally {
            store.cleanup().close();
        }
    }

    /** POSTs "method|json" to a server's API and insists on error 0. */
    private static JsonNode post(int port, String token, String methodAndBody) {
        int bar = methodAndBody.indexOf('|');
        try {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                            + "/api/v1.1/" + methodAndBody.substring(0, bar)))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(methodAndBody.substring(bar + 1))).build();
            String body = java.net.http.HttpClient.newHttpClient().send(request,
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            JsonNode json = dev.roster.json.Json.MAPPER.readTree(body);
            assertThat(json.path("error").asInt()).as(body).isZero();
            return json;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void managementMethodsValidateAndNeverShowTheSecretAgain() throws Exception {
        try (Receiver receiver = new Receiver()) {
            long db = database();
            JsonNode created = create(receiver, ",\"events\":[\"unsub\"],\"db_ids\":[" + db + "]");
            assertThat(created.path("secret").asText()).matches("[0-9a-f]{64}");
            long id = created.path("id").asLong();
            JsonNode got = webhook(id);
            assertThat(got.path("url").asText()).isEqualTo(receiver.url());
            assertThat(got.path("events")).hasSize(1);
            assertThat(got.path("db_ids").get(0).asLong()).isEqualTo(db);
            assertThat(got.has("secret")).isFalse();
            assertThat(master().ok("webhooks/list", "{}").path("data").toString()).doesNotContain(created.path("secret").asText());

            refused("webhooks/create", "{\"url\":\"ftp://example.com/x\"}", 400, "url");
            refused("webhooks/create", "{\"url\":\"" + receiver.url() + "\",\"events\":[\"nonsense\"]}", 400, "events");
            refused("webhooks/create", "{\"url\":\"" + receiver.url() + "\",\"db_ids\":[999999]}", 404, "999999");
            refused("webhooks/update", "{\"id\":999999,\"enabled\":true}", 404, "webhook 999999");
            refused("webhooks/create", "{}", 400, "url");

            String reader = master().ok("tokens/create", "{\"name\":\"" + unique("reader")
                    + "\",\"permissions\":[\"catalog.read\"]}").path("data").path("token").asText();
            // the reader's token belongs to the master user: master users manage webhooks whatever the token's
            // permissions; a non-master user's token needs catalog.write (AccountIsolation covers other accounts)
            assertThat(server.client(reader).call("webhooks/list", "{}").error()).isEqualTo(0);

            master().ok("webhooks/update", "{\"id\":" + id + ",\"events\":null,\"db_ids\":null}");
            assertThat(webhook(id).path("events").isNull()).isTrue();
            master().ok("webhooks/delete", "{\"id\":" + id + "}");
            assertThat(master().call("webhooks/get", "{\"id\":" + id + "}").error()).isEqualTo(404);
        }
    }

    /** webhooks/deliveries once it satisfies the condition (bounded). */
    private static JsonNode deliveries(long hook, java.util.function.Predicate<JsonNode> condition) {
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            JsonNode d = master().ok("webhooks/deliveries", "{\"id\":" + hook + "}").path("data");
            if (!d.isEmpty() && condition.test(d)) {
                return d;
            }
            assertThat(Instant.now()).as("deliveries %s", d).isBefore(deadline);
        }
    }

    private static void refused(String method, String body, int code, String fragment) {
        Map<String, List<String>> before = withoutLeases(StoreRows.rows(server.store()));
        TestServer.Response response = master().call(method, body);
        assertThat(response.error()).as(response.body()).isEqualTo(code);
        assertThat(response.errorText()).contains(fragment);
        assertThat(withoutLeases(StoreRows.rows(server.store()))).isEqualTo(before);
    }

    /**
     * The rows without the webhooks' leases: the dispatcher gives back the lease of another test's webhook when a
     * round finds nothing to send, at any moment, which is not a change the refused call made.
     */
    private static Map<String, List<String>> withoutLeases(Map<String, List<String>> rows) {
        Map<String, List<String>> out = new java.util.TreeMap<>(rows);
        out.computeIfPresent("webhooks", (table, list) -> list.stream()
                .map(row -> row.replaceAll("lease_owner=\\S* lease_until=\\S* ", "")).toList());
        return out;
    }

    private static List<Receiver.Batch> acknowledged(List<Receiver.Batch> batches) {
        return batches.stream().filter(b -> b.answered() == 200).toList();
    }

    private static List<Long> ids(List<Receiver.Batch> batches) {
        List<Long> out = new ArrayList<>();
        batches.forEach(b -> out.addAll(b.ids()));
        return out;
    }

    /** On PostgreSQL, a transaction with a number held open in this database, touching no profile. */
    private static Connection openTransactionHere() throws Exception {
        if (!TestStores.isPostgres()) {
            return null;
        }
        Connection c = server.openHandle().getConnection();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.executeQuery("select pg_current_xact_id()").close();
        }
        return c;
    }

    /** On PostgreSQL, a transaction with a number held open in another database of the cluster. */
    private static Connection openTransactionElsewhere() throws Exception {
        if (!TestStores.isPostgres()) {
            return null;
        }
        Connection c = DriverManager.getConnection(System.getProperty("roster.test.pgurl",
                "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres"));
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.executeQuery("select pg_current_xact_id()").close();
        }
        return c;
    }
}
