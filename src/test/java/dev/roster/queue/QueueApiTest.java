package dev.roster.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.RosterApp;
import dev.roster.account.Authentication;
import dev.roster.catalog.DatabaseService;
import dev.roster.request.BodyLimits;
import dev.roster.http.HttpSettings;
import dev.roster.json.Json;
import dev.roster.profile.ProfileService;
import dev.roster.store.Store;
import dev.roster.testing.ApiTest;
import dev.roster.testing.TcpProxy;
import dev.roster.testing.TestBroker;
import dev.roster.testing.TestStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The RabbitMQ import queue (docs/API.md, Import through RabbitMQ) against the real broker, on the store of this run.
 */
class QueueApiTest extends ApiTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final AtomicInteger NAMES = new AtomicInteger();
    /** The profile services of the consumers a test made, closed after it. */
    private static final List<ProfileService> SERVICES = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void closeServices() {
        SERVICES.forEach(ProfileService::close);
        SERVICES.clear();
    }

    /** A consumer of the broker's test queues over the test server's store, with services of its own, as a node. */
    private static QueueConsumer consumer(TestBroker broker, int prefetch) {
        return consumer(broker, prefetch, TestBroker.URL);
    }

    /** The same, connecting to the broker at that URL (e.g. through a {@link TcpProxy}). */
    private static QueueConsumer consumer(TestBroker broker, int prefetch, String url) {
        Store store = server.store();
        ProfileService profiles = new ProfileService(store, new DatabaseService(store));
        SERVICES.add(profiles);
        Authentication accounts = new Authentication(store, new SimpleMeterRegistry());
        QueueSettings settings = new QueueSettings(url, broker.importQueue, broker.resultQueue, prefetch,
                10L << 20, Duration.ofSeconds(30));
        QueueConsumer consumer = new QueueConsumer(settings, profiles, accounts::queueCaller,
                new BodyLimits(65_536, 10_000), new SimpleMeterRegistry()).start();
        // not waiting for it to connect: the tests publish to durable queues and wait for the results
        return consumer;
    }

    private static long accountId() {
        return server.store().read(h -> h.createQuery("select id from accounts where name = 'default'")
                .mapTo(Long.class).one());
    }

    /** A database with an int field COUNTER. */
    private static long database() {
        long db = createDatabase("queue-" + NAMES.incrementAndGet());
        master().ok("databases/fields_add", "{\"db_id\":" + db + ",\"name\":\"COUNTER\",\"type\":\"int\"}");
        return db;
    }

    private static String message(long account, long db, String email, String feedbackId, String extra) {
        return "{\"account_id\":" + account + ",\"db_id\":" + db + ",\"email\":\"" + email + "\""
                + (feedbackId == null ? "" : ",\"feedback_id\":\"" + feedbackId + "\"")
                + ",\"data\":{\"email\":\"" + email + "\",\"COUNTER\":{\"action\":\"incr\",\"value\":1}}" + extra + "}";
    }

    private static JsonNode profile(long db, String email) {
        return master().ok("profiles/get", "{\"db_id\":" + db + ",\"email\":\"" + email + "\"}").path("data");
    }

    private static Map<String, JsonNode> byFeedbackId(List<JsonNode> results) {
        Map<String, JsonNode> map = new HashMap<>();
        results.forEach(r -> map.put(r.path("feedback_id").asText(), r));
        return map;
    }

    @Test
    void messagesAreAppliedAndEachResultCarriesItsFeedbackId() throws Exception {
        long account = accountId();
        long db = database();
        try (TestBroker broker = new TestBroker("applied"); QueueConsumer ignored = consumer(broker, 16)) {
            broker.publish(message(account, db, "q1@example.com", "first", ""));
            broker.publish(message(account, db, "Q1@example.com", "second", ",\"skip_triggers\":true"));
            broker.publish(message(account, db, "nobody@example.com", "third", ",\"update_only\":true"));
            broker.awaitResults(r -> r.size() >= 3, WAIT); // the next one matches by the counter the first two set
            broker.publish("{\"account_id\":" + account + ",\"db_id\":" + db + ",\"feedback_id\":42,\"matching\":\"custom\","
                    + "\"field_name\":\"COUNTER\",\"field_value\":2,\"update_only\":true,\"data\":{\"_fname\":\"Two\"}}");
            Map<String, JsonNode> results = byFeedbackId(broker.awaitResults(r -> r.size() >= 4, WAIT));

            JsonNode first = results.get("first");
            assertThat(first.path("error").asInt()).as(first.toString()).isZero();
            assertThat(first.path("error_text").asText()).isEqualTo("Successful operation");
            assertThat(first.path("matching_field").asText()).isEqualTo("email");
            assertThat(first.path("created").asBoolean()).isTrue();
            JsonNode second = results.get("second");
            assertThat(second.path("error").asInt()).as(second.toString()).isZero();
            assertThat(second.path("created").asBoolean()).isFalse();
            assertThat(second.path("profile_id").asText()).isEqualTo(first.path("profile_id").asText());
            JsonNode third = results.get("third");
            assertThat(third.path("error").asInt()).isEqualTo(404);
            assertThat(third.path("error_text").asText()).contains("profile not found");
            assertThat(third.has("profile_id")).isFalse();
            JsonNode fourth = results.get("42");
            assertThat(fourth.path("error").asInt()).as(fourth.toString()).isZero();
            assertThat(fourth.path("matching_field").asText()).isEqualTo("custom");
            assertThat(fourth.path("profile_id").asText()).isEqualTo(first.path("profile_id").asText());

            JsonNode stored = profile(db, "q1@example.com");
            assertThat(stored.path("id").asText()).isEqualTo(first.path("profile_id").asText());
            assertThat(stored.path("COUNTER").asInt()).isEqualTo(2);
            assertThat(stored.path("_fname").asText()).isEqualTo("Two");
            assertThat(master().call("profiles/get", "{\"db_id\":" + db + ",\"email\":\"nobody@example.com\"}").error())
                    .isEqualTo(404);
        }
    }

    @Test
    void anImportQueueThatExistsWithAMessageTtlIsUsedAsItIs() throws Exception {
        long account = accountId();
        long db = database();
        try (TestBroker broker = new TestBroker("ttl", Map.of("x-message-ttl", 86_400_000));
             QueueConsumer ignored = consumer(broker, 16)) {
            broker.publish(message(account, db, "ttl@example.com", "ttl", ""));
            JsonNode result = broker.awaitResults(r -> !r.isEmpty(), WAIT).get(0);
            assertThat(result.path("error").asInt()).as(result.toString()).isZero();
            assertThat(profile(db, "ttl@example.com").path("COUNTER").asInt()).isEqualTo(1);
        }
    }

    @Test
    void messagesForOneProfileAreAppliedInTheOrderOfTheQueue() throws Exception {
        long account = accountId();
        long db = database();
        try (TestBroker broker = new TestBroker("order"); QueueConsumer ignored = consumer(broker, 64)) {
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                bodies.add("{\"account_id\":" + account + ",\"db_id\":" + db + ",\"email\":\"Order@example.com\","
                        + "\"data\":{\"_fname\":\"n" + i + "\"}}");
            }
            broker.publishAll(bodies);
            broker.awaitResults(r -> r.size() >= 60, WAIT);
            assertThat(profile(db, "order@example.com").path("_fname").asText()).isEqualTo("n59");
        }
    }

    @Test
    void messagesThatCannotBeAppliedGetAnErrorResultAreAcknowledgedAndTheOthersGoOn() throws Exception {
        long account = accountId();
        long db = database();
        try (TestBroker broker = new TestBroker("malformed")) {
            QueueConsumer consumer = consumer(broker, 16);
            broker.publish(message(account, db, "before@example.com", "before", ""));
            broker.publish("{\"account_id\": 1, \"db_id\": ");
            broker.publish("[1, 2, 3]");
            broker.publish(message(424242, db, "x@example.com", "no-account", ""));
            broker.publish(message(account, 424242, "x@example.com", "no-database", ""));
            broker.publish("{\"account_id\":" + account + ",\"db_id\":" + db + ",\"feedback_id\":\"bad-data\","
                    + "\"data\":{\"email\":\"y@example.com\",\"NO_SUCH_FIELD\":1}}");
            broker.publish("{\"account_id\":" + account + ",\"db_id\":" + db + ",\"feedback_id\":\"bad-type\","
                    + "\"data\":{\"email\":\"y@example.com\",\"COUNTER\":\"many\"}}");
            broker.publish(message(account, db, "z@example.com", "unknown-parameter", ",\"priority\":5"));
            broker.publish("{\"db_id\":" + db + ",\"feedback_id\":\"no-account-id\",\"data\":{\"email\":\"w@example.com\"}}");
            broker.publish(message(account, db, "after@example.com", "after", ""));
            List<JsonNode> all = broker.awaitResults(r -> r.size() >= 10, WAIT);

            Map<String, JsonNode> results = byFeedbackId(all);
            assertThat(results.get("before").path("error").asInt()).isZero();
            assertThat(results.get("after").path("error").asInt()).isZero();
            List<JsonNode> anonymous = all.stream().filter(r -> !r.has("feedback_id")).toList();
            assertThat(anonymous).hasSize(2).allSatisfy(r -> assertThat(r.path("error").asInt()).isEqualTo(400));
            assertThat(anonymous).anySatisfy(r -> assertThat(r.path("error_text").asText()).startsWith("malformed JSON"));
            assertThat(anonymous).anySatisfy(r -> assertThat(r.path("error_text").asText()).contains("JSON object"));
            assertThat(results.get("no-account").path("error").asInt()).isEqualTo(404);
            assertThat(results.get("no-account").path("error_text").asText()).contains("account 424242");
            assertThat(results.get("no-database").path("error").asInt()).isEqualTo(404);
            assertThat(results.get("bad-data").path("error").asInt()).isEqualTo(400);
            assertThat(results.get("bad-data").path("error_text").asText()).contains("NO_SUCH_FIELD");
            assertThat(results.get("bad-type").path("error").asInt()).isEqualTo(400);
            assertThat(results.get("bad-type").path("error_text").asText()).contains("COUNTER");
            assertThat(results.get("unknown-parameter").path("error").asInt()).isEqualTo(400);
            assertThat(results.get("unknown-parameter").path("error_text").asText()).contains("'priority'");
            assertThat(results.get("no-account-id").path("error_text").asText()).contains("account_id");
            assertThat(master().call("profiles/get", "{\"db_id\":" + db + ",\"email\":\"y@example.com\"}").error())
                    .isEqualTo(404);

            // every message was acknowledged: after the consumer stops nothing comes back, and a new one gets nothing
            consumer.close();
            assertThat(broker.importQueueReady()).isZero();
            try (QueueConsumer again = consumer(broker, 16)) {
                // a message published now comes after anything the broker would deliver again: once its result is
                // there, the new consumer has been given everything it was going to get
                broker.publish(message(account, db, "sentinel@example.com", "sentinel", ""));
                List<JsonNode> afterRestart = broker.awaitResults(r -> r.stream()
                        .anyMatch(x -> x.path("feedback_id").asText().equals("sentinel")), WAIT);
                assertThat(afterRestart).hasSize(11);
                assertThat(afterRestart.get(10).path("feedback_id").asText()).isEqualTo("sentinel");
            }
        }
    }

    @Test
    void aMessageDeliveredAgainIsNotAppliedTwiceWhileOneWithoutIdsIs() throws Exception {
        long account = accountId();
        long db = database();
        try (TestBroker broker = new TestBroker("again"); QueueConsumer ignored = consumer(broker, 16)) {
            String withFeedbackId = message(account, db, "again@example.com", "once", "");
            broker.publish(withFeedbackId);
            broker.awaitResults(r -> r.size() >= 1, WAIT);
            broker.publish(withFeedbackId); // the same message again, as after a crash between commit and ack
            List<JsonNode> results = broker.awaitResults(r -> r.size() >= 2, WAIT);
            assertThat(results.get(1).path("error").asInt()).isZero();
            assertThat(results.get(1).path("replayed").asBoolean()).isTrue();
            assertThat(results.get(1).path("profile_id").asText()).isEqualTo(results.get(0).path("profile_id").asText());
            assertThat(results.get(1).path("created").asBoolean()).as("the stored result").isTrue();
            assertThat(profile(db, "again@example.com").path("COUNTER").asInt()).isEqualTo(1);

            // the same feedback_id with other content is another message
            broker.publish(message(account, db, "again@example.com", "once", ",\"skip_triggers\":false"));
            // a message_id property names a message too
            String withMessageId = message(account, db, "again@example.com", null, "");
            broker.publish(withMessageId, "m-1");
            broker.publish(withMessageId, "m-1");
            results = broker.awaitResults(r -> r.size() >= 5, WAIT);
            assertThat(results.subList(2, 5)).filteredOn(r -> r.path("replayed").asBoolean()).hasSize(1);
            assertThat(profile(db, "again@example.com").path("COUNTER").asInt()).isEqualTo(3);

            // without either, a message cannot be told from another with the same body: both are applied
            broker.publish(withMessageId);
            broker.publish(withMessageId);
            broker.awaitResults(r -> r.size() >= 7, WAIT);
            assertThat(profile(db, "again@example.com").path("COUNTER").asInt()).isEqualTo(5);
        }
    }

    @Test
    void aConsumerStoppedAndCrashedInTheMiddleOfAStreamAppliesEveryMessageExactlyOnce() throws Exception {
        long account = accountId();
        long db = database();
        int messages = 3000;
        int profiles = 40;
        try (TestBroker broker = new TestBroker("restart")) {
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                bodies.add(message(account, db, "stream" + (i % profiles) + "@example.com", "m" + i, ""));
            }
            broker.publishAll(bodies);

            // a graceful stop a third of the way: it stops taking messages and lets those in flight finish
            QueueConsumer first = consumer(broker, 200);
            broker.awaitResults(r -> r.size() >= messages / 3, WAIT);
            first.close();
            // a crash two thirds of the way: the connection drops with messages in flight, unacknowledged
            URI direct = URI.create(TestBroker.URL);
            try (TcpProxy network = new TcpProxy(direct.getHost(), direct.getPort() > 0 ? direct.getPort() : 5672);
                 QueueConsumer second = consumer(broker, 200, new URI(direct.getScheme(), direct.getUserInfo(),
                         "127.0.0.1", network.port(), direct.getPath(), null, null).toString())) {
                broker.awaitResults(r -> r.size() >= 2 * messages / 3, WAIT);
                network.cut();
            }
            try (QueueConsumer third = consumer(broker, 200)) {
                List<JsonNode> results = broker.awaitResults(r -> distinctFeedbackIds(r) >= messages, WAIT);
                assertThat(results).allSatisfy(r -> assertThat(r.path("error").asInt()).as(r.toString()).isZero());
            }
            assertThat(broker.importQueueReady()).isZero();
            Set<String> ids = new HashSet<>();
            long replayed = 0;
            for (JsonNode r : broker.results()) {
                ids.add(r.path("feedback_id").asText());
                replayed += r.path("replayed").asBoolean() ? 1 : 0;
            }
            assertThat(ids).hasSize(messages);
            long total = 0;
            for (int p = 0; p < profiles; p++) {
                int counter = profile(db, "stream" + p + "@example.com").path("COUNTER").asInt();
                assertThat(counter).as("COUNTER of stream%d (replayed results: %d)", p, replayed)
                        .isEqualTo(messages / profiles);
                total += counter;
            }
            assertThat(total).isEqualTo(messages);
            long receipts = server.store().read(h -> h.createQuery("select count(*) from write_receipts").mapTo(Long.class).one());
            assertThat(receipts).isGreaterThanOrEqualTo(messages);
        }
    }

    private static long distinctFeedbackIds(List<JsonNode> results) {
        return results.stream().map(r -> r.path("feedback_id").asText()).distinct().count();
    }

    @Test
    void rosterServeWithAQueueConsumesItAndStopsCleanly() throws Exception {
        TestStores.FreshStore fresh = TestStores.fresh();
        try (AutoCloseable cleanup = fresh.cleanup(); TestBroker broker = new TestBroker("serve")) {
            QueueSettings settings = QueueSettings.of(TestBroker.URL).withQueues(broker.importQueue, broker.resultQueue);
            try (RosterApp app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0), settings)) {
                // /ready names the queue once the consumer holds its channel (it connects in the background)
                HttpResponse<String> ready;
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
                do {
                    ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + app.port() + "/ready")).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (ready.statusCode() == 200) {
                        break;
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
                } while (System.nanoTime() < deadline);
                assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
                assertThat(Json.MAPPER.readTree(ready.body()).path("dependencies").path("queue").asText()).isEqualTo("up");
                long account = app.store().read(h -> h.createQuery("select id from accounts where name = 'default'")
                        .mapTo(Long.class).one());
                HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + app.port() + "/api/v1.1/databases/create"))
                        .header("Authorization", "Bearer " + app.bootstrap().orElseThrow().token())
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"q\"}")).build(), HttpResponse.BodyHandlers.ofString());
                long db = Json.MAPPER.readTree(created.body()).path("data").path("id").asLong();
                broker.publish("{\"account_id\":" + account + ",\"db_id\":" + db + ",\"feedback_id\":\"f\","
                        + "\"data\":{\"email\":\"serve@example.com\"}}");
                JsonNode result = broker.awaitResults(r -> !r.isEmpty(), WAIT).get(0);
                assertThat(result.path("error").asInt()).as(result.toString()).isZero();
                assertThat(Json.write(result)).contains("\"feedback_id\":\"f\"");
            }
            assertThat(broker.importQueueReady()).isZero();
        }
    }

    @Test
    void readyIsA503NamingTheQueueWhileTheBrokerDoesNotAnswer() throws Exception {
        TestStores.FreshStore fresh = TestStores.fresh();
        try (AutoCloseable cleanup = fresh.cleanup();
             RosterApp app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0),
                     QueueSettings.of("amqp://guest:guest@127.0.0.1:1/"))) {
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + app.port() + "/ready")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(503);
            JsonNode body = Json.MAPPER.readTree(ready.body());
            assertThat(body.path("error").asInt()).isEqualTo(503);
            assertThat(body.path("error_text").asText()).isEqualTo("not ready: queue does not answer");
            assertThat(body.path("dependencies").path("queue").asText()).isEqualTo("down");
            assertThat(body.path("dependencies").path("store").asText()).isEqualTo("up");
            assertThat(body.path("version").asText()).isNotBlank();
            assertThat(ready.headers().firstValue("Retry-After")).contains("5");
        }
    }
}
