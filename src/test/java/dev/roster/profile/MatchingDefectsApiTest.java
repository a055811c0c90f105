package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.account.AccountService;
import dev.roster.testing.TestServer;
import dev.roster.testing.TestServer.Response;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Matching defects found by an outside test run (docs/API.md, "Matching"), each reproduced here: repeated imports by
 * subscription modes, numbers compared by value, phones of profiles with non-unique phones, unknown resource_id,
 * concurrent custom_sub imports, and a node that must see its own fields_add at once.
 */
class MatchingDefectsApiTest extends ProfileApiSupport {

    static List<Response> concurrently(int count, int threads, IntFunction<String> body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String request = body.apply(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    return call("profiles/import", request);
                }));
            }
            start.countDown();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> f : futures) {
                responses.add(f.get(120, TimeUnit.SECONDS));
            }
            return responses;
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static String importTwiceSameProfile(long db, String body) {
        JsonNode first = ok("profiles/import", body);
        JsonNode second = ok("profiles/import", body);
        assertThat(first.path("created").asBoolean()).as("first of %s", body).isTrue();
        assertThat(second.path("created").asBoolean()).as("second of %s: %s", body, second).isFalse();
        assertThat(second.path("profile_id").asText()).isEqualTo(first.path("profile_id").asText());
        assertThat(profileCount(db)).as("profiles after importing twice %s", body).isEqualTo(1);
        return first.path("profile_id").asText();
    }

    @Test
    void importingTwiceByEmailSubLeavesOneProfileCarryingTheEmail() {
        long db = database();
        String id = importTwiceSameProfile(db, "{\"db_id\":" + db + ",\"matching\":\"email_sub\","
                + "\"email\":\"Sub.Only@Example.com\",\"data\":{\"_fname\":\"Anna\"}}");
        assertThat(getById(db, id).path("email").asText()).isEqualTo("Sub.Only@Example.com");
        // with a resource and the subscription in data as well
        long r = resource("email");
        long db2 = database();
        String id2 = importTwiceSameProfile(db2, "{\"db_id\":" + db2 + ",\"matching\":\"email_sub\",\"resource_id\":" + r
                + ",\"email\":\"both@example.com\",\"data\":{\"subscriptions\":[{\"channel\":\"email\",\"resource_id\":"
                + r + ",\"email\":\"both@example.com\"}]}}");
        assertThat(getById(db2, id2).path("email").asText()).isEqualTo("both@example.com");
        assertThat(getById(db2, id2).path("subscriptions")).hasSize(1);
    }

    @Test
    void importingTwiceByPhoneSubLeavesOneProfileCarryingThePhone() {
        long db = database("\"phone_region\":\"RU\"");
        String id = importTwiceSameProfile(db, "{\"db_id\":" + db + ",\"matching\":\"phone_sub\","
                + "\"phone\":\"8 900 111-22-33\",\"data\":{\"_fname\":\"Boris\"}}");
        assertThat(getById(db, id).path("phones").toString()).isEqualTo("[\"+79001112233\"]");
        long shared = database("\"phone_region\":\"RU\",\"unique_phones\":false");
        String sharedId = importTwiceSameProfile(shared, "{\"db_id\":" + shared + ",\"matching\":\"phone_sub\","
                + "\"phone\":\"+79001112244\",\"data\":{}}");
        assertThat(getById(shared, sharedId).path("phones").toString()).isEqualTo("[\"+79001112244\"]");
    }

    @Test
    void pushSubAndCustomSubNeedTheSearchedSubscriptionInANewProfile() {
        long db = database();
        long r = resource("push", "telegram_bot");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"matching\":\"push_sub\",\"provider\":\"fcm\","
                + "\"subscription_id\":\"tok-1\",\"data\":{\"_fname\":\"P\"}}", 400, "push_sub", "data.subscriptions");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"matching\":\"custom_sub\",\"field_name\":"
                + "\"telegram_bot\",\"field_value\":\"5005\",\"data\":{\"_fname\":\"T\"}}", 400, "custom_sub",
                "data.subscriptions");
        importTwiceSameProfile(db, "{\"db_id\":" + db + ",\"matching\":\"push_sub\",\"provider\":\"fcm\","
                + "\"subscription_id\":\"tok-1\",\"data\":{\"subscriptions\":[{\"channel\":\"push\",\"resource_id\":" + r
                + ",\"provider\":\"fcm\",\"subscription_id\":\"tok-1\"}]}}");
        long db2 = database();
        importTwiceSameProfile(db2, "{\"db_id\":" + db2 + ",\"matching\":\"custom_sub\",\"field_name\":\"telegram_bot\","
                + "\"field_value\":\"5005\",\"data\":{\"subscriptions\":[{\"channel\":\"telegram_bot\",\"resource_id\":" + r
                + ",\"cc_data\":{\"id\":5005}}]}}");
    }

    @Test
    void aFloatFieldIsMatchedByValue() {
        long db = database();
        field(db, "SCORE", "float");
        String id = importOk("{\"db_id\":" + db + ",\"email\":\"f@example.com\",\"data\":{\"email\":\"f@example.com\","
                + "\"SCORE\":1.0}}");
        for (String value : List.of("1", "1.0", "\"1.0\"", "\"1\"", "1.00")) {
            assertThat(get(db, "\"matching\":\"custom\",\"field_name\":\"SCORE\",\"field_value\":" + value).path("id")
                    .asText()).as("field_value %s", value).isEqualTo(id);
        }
        JsonNode again = ok("profiles/import", "{\"db_id\":" + db + ",\"matching\":\"custom\",\"field_name\":\"SCORE\","
                + "\"field_value\":1,\"data\":{\"_fname\":\"F\"}}");
        assertThat(again.path("profile_id").asText()).isEqualTo(id);
        assertThat(profileCount(db)).isEqualTo(1);
        field(db, "SEEN", "date");
        ok("profiles/import", "{\"db_id\":" + db + ",\"email\":\"f@example.com\",\"data\":{\"SEEN\":\"2024-01-02T03:04:05+03:00\"}}");
        assertThat(get(db, "\"matching\":\"custom\",\"field_name\":\"SEEN\",\"field_value\":\"02.01.2024 00:04:05\"")
                .path("id").asText()).isEqualTo(id);
    }

    @Test
    void phoneMatchingWithAResourceFindsTheProfilesOwnPhonesWhenPhonesAreNotUnique() {
        long db = database("\"phone_region\":\"RU\",\"unique_phones\":false");
        long r = resource("sms");
        String id = importOk("{\"db_id\":" + db + ",\"email\":\"p@example.com\",\"data\":{\"email\":\"p@example.com\","
                + "\"phones\":[\"+79001112233\"]}}");
        assertThat(get(db, "\"matching\":\"phone\",\"phone\":\"89001112233\",\"resource_id\":" + r).path("id").asText())
                .isEqualTo(id);
        JsonNode imported = ok("profiles/import", "{\"db_id\":" + db + ",\"matching\":\"phone\",\"phone\":\"+79001112233\","
                + "\"resource_id\":" + r + ",\"data\":{\"_fname\":\"Phone\"}}");
        assertThat(imported.path("profile_id").asText()).isEqualTo(id);
        assertThat(profileCount(db)).isEqualTo(1);
        String other = importOk("{\"db_id\":" + db + ",\"email\":\"q@example.com\",\"data\":{\"email\":\"q@example.com\","
                + "\"phones\":[\"+79001112233\"]}}");
        Response twice = getCall(db, "\"matching\":\"phone\",\"phone\":\"+79001112233\",\"resource_id\":" + r);
        assertError(twice, 409, "ambiguous match", id, other);
    }

    @Test
    void anUnknownResourceIdIsA404OnEveryMethodTakingOne() {
        long db = database();
        String id = importEmail(db, "r@example.com");
        long elsewhere = database();
        long notServing = master().ok("resources/create", "{\"name\":\"" + unique("res") + "\",\"channels\":[\"email\"],"
                + "\"db_ids\":[" + elsewhere + "]}").path("data").path("id").asLong();
        String otherToken = new AccountService(server.store(), (account, d) -> false,
                new dev.roster.account.Authentication(server.store(), new SimpleMeterRegistry()))
                .createAccount(unique("other")).token();
        long foreign = server.client(otherToken).ok("resources/create", "{\"name\":\"theirs\",\"channels\":[\"email\"]}")
                .path("data").path("id").asLong();
        TestServer.ApiClient deleter = server.client(ok("tokens/create", "{\"name\":\"" + unique("deleter")
                + "\",\"permissions\":[\"profiles.read\",\"profiles.delete\"]}").path("data").path("token").asText());
        for (long resource : List.of(987_654L, notServing, foreign)) {
            String rid = ",\"resource_id\":" + resource;
            assertRefused(db, "profiles/get", "{\"db_id\":" + db + ",\"email\":\"r@example.com\"" + rid + "}", 404,
                    "resource " + resource);
            assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"new@example.com\"" + rid
                    + ",\"data\":{\"email\":\"new@example.com\"}}", 404, "resource " + resource);
            assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"matching\":\"email_sub\",\"email\":\"r@example.com\""
                    + rid + ",\"data\":{}}", 404, "resource " + resource);
            assertRefused(db, "profiles/update", "{\"db_id\":" + db + ",\"email\":\"r@example.com\"" + rid
                    + ",\"data\":{\"_fname\":\"X\"}}", 404, "resource " + resource);
            Response delete = deleter.call("profiles/delete", "{\"db_id\":" + db + ",\"email\":\"r@example.com\"" + rid + "}");
            assertError(delete, 404, "resource " + resource);
            Response batch = call("profiles/import_batch", "{\"db_id\":" + db + rid
                    + ",\"data\":[{\"email\":\"b@example.com\"}]}");
            assertThat(batch.json().toString()).contains("resource " + resource);
        }
        assertThat(profileIds(db)).containsExactly(id);
    }

    @Test
    void concurrentFirstImportsByCustomSubLeaveOneProfile() throws Exception {
        long r = resource("telegram_bot", "whatsapp");
        for (int round = 0; round < 3; round++) {
            long db = database("\"phone_region\":\"RU\"");
            List<Response> responses = concurrently(16, 16, i -> "{\"db_id\":" + db + ",\"matching\":\"custom_sub\","
                    + "\"field_name\":\"telegram_bot\",\"field_value\":\"777\",\"data\":{\"_fname\":\"N" + i + "\","
                    + "\"subscriptions\":[{\"channel\":\"telegram_bot\",\"resource_id\":" + r + ",\"cc_data\":{\"id\":777}}]}}");
            for (Response response : responses) {
                assertThat(response.error()).as(response.body()).isZero();
            }
            assertThat(responses.stream().filter(x -> x.json().path("created").asBoolean()).count()).isEqualTo(1);
            assertThat(profileCount(db)).as("round %d", round).isEqualTo(1);
        }
    }

    @Test
    void aNodeSeesItsOwnNewFieldAtOnceWhileReadsRace() throws Exception {
        long db = database();
        importEmail(db, "reader@example.com");
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService readers = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            running.add(readers.submit(() -> {
                while (!stop.get()) {
                    call("profiles/get", "{\"db_id\":" + db + ",\"email\":\"reader@example.com\"}");
                }
                return null;
            }));
        }
        try {
            for (int i = 0; i < 40; i++) {
                String name = "F" + i;
                field(db, name, "int");
                Response used = call("profiles/import", "{\"db_id\":" + db + ",\"email\":\"reader@example.com\","
                        + "\"data\":{\"" + name + "\":" + i + "}}");
                assertThat(used.error()).as("import with %s right after fields_add: %s", name, used.body()).isZero();
            }
        } finally {
            stop.set(true);
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
            readers.shutdownNow();
        }
    }
}
