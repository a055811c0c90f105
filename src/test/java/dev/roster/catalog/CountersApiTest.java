package dev.roster.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.json.Json;
import dev.roster.testing.ApiTest;
import dev.roster.testing.StoreRows;
import dev.roster.testing.TestServer.ApiClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** databases/get_counters, resources/get_counters and profiles_count (issue 4): exact after every kind of write. */
class CountersApiTest extends ApiTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    /**
     * A token that may also delete profiles (never implied: docs/COMPATIBILITY.md, Accounts, tokens and permissions).
     */
    private static ApiClient deleter;

    @BeforeAll
    static void deleterToken() {
        deleter = server.client(master().ok("tokens/create", "{\"name\":\"deleter\",\"permissions\":[\"profiles.read\","
                + "\"profiles.write\",\"profiles.delete\",\"subscriptions.write\",\"catalog.read\",\"catalog.write\"]}")
                .path("data").path("token").asText());
    }

    private static long database() {
        return createDatabase("db-" + NAMES.incrementAndGet());
    }

    private static long resource(String... channels) {
        return master().ok("resources/create", "{\"name\":\"res-" + NAMES.incrementAndGet() + "\",\"channels\":"
                + Json.write(List.of(channels)) + "}").path("data").path("id").asLong();
    }

    private static JsonNode ok(String method, String body) {
        return master().ok(method, body);
    }

    /** A profile with an email subscription at its own address, in that status. */
    private static String subscriber(long db, long resource, String email, String status) {
        return ok("profiles/import", "{\"db_id\":" + db + ",\"email\":\"" + email + "\",\"data\":{\"email\":\"" + email
                + "\",\"subscriptions\":[{\"resource_id\":" + resource + ",\"channel\":\"email\",\"email\":\"" + email
                + "\"" + (status == null ? "" : ",\"status\":\"" + status + "\"") + "}]}}").path("profile_id").asText();
    }

    private static JsonNode counters(long db, long resource) {
        return ok("databases/get_counters", "{\"id\":" + db + ",\"resource_id\":" + resource + "}").path("data");
    }

    /** The counters of one channel in the answer. */
    private static JsonNode channel(JsonNode answer, String name) {
        for (JsonNode c : answer) {
            if (c.path("channel").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no channel " + name + " in " + answer);
    }

    private static long status(long db, long resource, String channel, String member) {
        return channel(counters(db, resource), channel).path("status").path(member).asLong();
    }

    private static long profilesCount(long db) {
        return ok("databases/get", "{\"id\":" + db + "}").path("data").path("profiles_count").asLong();
    }

    private static String emailSub(long db, String profileId, long resource, String email, String rest) {
        return "{\"db_id\":" + db + ",\"profile_id\":\"" + profileId + "\",\"resource_id\":" + resource
                + ",\"channel\":\"email\",\"email\":\"" + email + "\"" + rest + "}";
    }

    @Test
    void theAnswerHasTheReferenceShapeForEveryChannelOfTheResource() {
        long db = database();
        long r = resource("email", "sms");
        subscriber(db, r, "shape@example.com", null);
        JsonNode answer = counters(db, r);
        assertThat(answer.findValuesAsText("channel")).containsExactly("email", "sms");
        JsonNode email = channel(answer, "email");
        List<String> members = List.copyOf(Json.MAPPER.convertValue(email.path("status"), Map.class).keySet());
        assertThat(members).containsExactly("all", "subscribed", "unsubscribed", "complained", "hardbounced",
                "unconfirmed", "suspended", "invalid", "subscribed_sendable", "unconfirmed_sendable");
        assertThat(email.path("status").path("all").asLong()).isEqualTo(1);
        assertThat(email.path("status").path("subscribed_sendable").asLong()).isEqualTo(1);
        assertThat(email.path("deleted").asLong()).isZero();
        assertThat(channel(answer, "sms").path("status").path("all").asLong()).isZero();
        assertThat(profilesCount(db)).isEqualTo(1);
        CounterRecount.assertExact(server.store());
    }

    @Test
    void importsStatusChangesDeletesAndSuspendsAreCounted() {
        long db = database();
        long r = resource("email", "sms");
        String anna = subscriber(db, r, "anna@example.com", null);
        String boris = subscriber(db, r, "boris@example.com", "unsubscribed");
        subscriber(db, r, "clara@example.com", "unconfirmed");
        assertThat(profilesCount(db)).isEqualTo(3);
        assertThat(status(db, r, "email", "all")).isEqualTo(3);
        assertThat(status(db, r, "email", "subscribed")).isEqualTo(1);
        assertThat(status(db, r, "email", "unsubscribed")).isEqualTo(1);
        assertThat(status(db, r, "email", "unconfirmed_sendable")).isEqualTo(1);

        // the same import again changes nothing; a status sent moves the subscription between counts
        subscriber(db, r, "anna@example.com", null);
        subscriber(db, r, "boris@example.com", "subscribed");
        assertThat(status(db, r, "email", "subscribed")).isEqualTo(2);
        assertThat(status(db, r, "email", "unsubscribed")).isZero();

        ok("subscriptions/set", emailSub(db, anna, r, "anna@example.com", ",\"status\":\"hardbounced\""));
        assertThat(status(db, r, "email", "hardbounced")).isEqualTo(1);
        assertThat(status(db, r, "email", "subscribed_sendable")).isEqualTo(1);

        // soft delete leaves every status count and shows under deleted; undelete brings it back
        ok("subscriptions/delete", emailSub(db, boris, r, "boris@example.com", ""));
        JsonNode email = channel(counters(db, r), "email");
        assertThat(email.path("status").path("subscribed").asLong()).isZero();
        assertThat(email.path("status").path("all").asLong()).isEqualTo(2);
        assertThat(email.path("deleted").asLong()).isEqualTo(1);
        ok("subscriptions/undelete", emailSub(db, boris, r, "boris@example.com", ""));
        assertThat(status(db, r, "email", "subscribed")).isEqualTo(1);
        assertThat(channel(counters(db, r), "email").path("deleted").asLong()).isZero();

        // suspend_all moves subscribed to suspended, unsuspend_all back
        ok("subscriptions/suspend_all", "{\"db_id\":" + db + "}");
        assertThat(status(db, r, "email", "suspended")).isEqualTo(1);
        assertThat(status(db, r, "email", "subscribed_sendable")).isZero();
        ok("subscriptions/unsuspend_all", "{\"db_id\":" + db + ",\"resource_id\":" + r + "}");
        assertThat(status(db, r, "email", "subscribed")).isEqualTo(1);

        // a profile deleted takes its subscriptions out of the counts
        deleter.ok("profiles/delete", "{\"db_id\":" + db + ",\"email\":\"clara@example.com\"}");
        assertThat(profilesCount(db)).isEqualTo(2);
        assertThat(status(db, r, "email", "unconfirmed")).isZero();
        assertThat(status(db, r, "email", "all")).isEqualTo(2);
        CounterRecount.assertExact(server.store());
        CounterRecount.assertApiAgrees(server.store(), master(), db, r);
    }

    @Test
    void batchImportsAreCountedPerChannel() {
        long db = master().ok("databases/create", "{\"name\":\"batch-" + NAMES.incrementAndGet()
                + "\",\"phone_region\":\"RU\"}").path("data").path("id").asLong();
        long r = resource("email", "sms");
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            if (i > 0) {
                items.append(',');
            }
            String email = "batch" + i + "@example.com";
            items.append("{\"email\":\"").append(email).append("\",\"subscriptions\":[{\"resource_id\":").append(r)
                    .append(",\"channel\":\"email\",\"email\":\"").append(email).append("\"},{\"resource_id\":")
                    .append(r).append(",\"channel\":\"sms\",\"phone\":\"+7900100").append(String.format("%04d", i))
                    .append("\",\"status\":").append(i % 7).append("}]}");
        }
        JsonNode result = ok("profiles/import_batch", "{\"db_id\":" + db + ",\"data\":[" + items + "]}");
        assertThat(result.path("result").findValuesAsText("error")).allMatch(e -> e.equals("0"));
        assertThat(profilesCount(db)).isEqualTo(30);
        JsonNode answer = counters(db, r);
        assertThat(channel(answer, "email").path("status").path("subscribed").asLong()).isEqualTo(30);
        JsonNode sms = channel(answer, "sms").path("status");
        assertThat(sms.path("all").asLong()).isEqualTo(30);
        assertThat(sms.path("subscribed").asLong()).isEqualTo(5); // i % 7 == 0 for 0, 7, 14, 21, 28
        assertThat(sms.path("invalid").asLong()).isEqualTo(4);
        CounterRecount.assertExact(server.store());
        CounterRecount.assertApiAgrees(server.store(), master(), db, r);
    }

    @Test
    void concurrentWritersKeepTheCountsExact() throws Exception {
        long db = database();
        long r = resource("email", "sms");
        int writers = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers + 1);
        try {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int batch = 0; batch < 8; batch++) {
                        StringBuilder items = new StringBuilder();
                        for (int i = 0; i < 25; i++) {
                            // a quarter of the emails are shared by all writers: updates of the same profiles too
                            String email = (i % 4 == 0 ? "shared" + i : "w" + writer + "b" + batch + "i" + i) + "@example.com";
                            items.append(i == 0 ? "" : ",").append("{\"email\":\"").append(email)
                                    .append("\",\"subscriptions\":[{\"resource_id\":").append(r)
                                    .append(",\"channel\":\"email\",\"email\":\"").append(email)
                                    .append("\",\"status\":").append((writer + batch + i) % 7).append("}]}");
                        }
                        master().ok("profiles/import_batch", "{\"db_id\":" + db + ",\"data\":[" + items + "]}");
                    }
                    return null;
                }));
            }
            done.add(pool.submit(() -> {
                for (int i = 0; i < 10; i++) {
                    master().ok(i % 2 == 0 ? "subscriptions/suspend_all" : "subscriptions/unsuspend_all",
                            "{\"db_id\":" + db + "}");
                }
                return null;
            }));
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        CounterRecount.assertExact(server.store());
        CounterRecount.assertApiAgrees(server.store(), master(), db, r);
        assertThat(profilesCount(db)).isEqualTo(writers * 8 * 25 - (writers * 8 - 1) * 7L); // 7 shared emails per batch
    }

    @Test
    void aChannelTakenOffTheResourceKeepsItsCountsButNothingIsSendable() {
        long db = database();
        long r = resource("email", "sms");
        subscriber(db, r, "dora@example.com", null);
        ok("resources/update", "{\"id\":" + r + ",\"channels\":[\"sms\"]}");
        JsonNode email = channel(counters(db, r), "email").path("status");
        assertThat(email.path("subscribed").asLong()).isEqualTo(1);
        assertThat(email.path("subscribed_sendable").asLong()).isZero();
        ok("resources/update", "{\"id\":" + r + ",\"channels\":[\"email\",\"sms\"]}");
        assertThat(status(db, r, "email", "subscribed_sendable")).isEqualTo(1);
    }

    @Test
    void resourceCountersSpanTheDatabasesTheTokenReaches() {
        long db1 = database();
        long db2 = database();
        long r = resource("email");
        subscriber(db1, r, "one@example.com", null);
        subscriber(db2, r, "two@example.com", null);
        subscriber(db2, r, "three@example.com", "suspended");

        JsonNode all = channel(ok("resources/get_counters", "{\"id\":" + r + "}").path("data"), "email").path("status");
        assertThat(all.path("all").asLong()).isEqualTo(3);
        assertThat(all.path("subscribed").asLong()).isEqualTo(2);
        JsonNode one = channel(ok("resources/get_counters", "{\"id\":" + r + ",\"db_id\":" + db2 + "}").path("data"),
                "email").path("status");
        assertThat(one.path("all").asLong()).isEqualTo(2);

        // without resource_id, databases/get_counters counts every resource of the database
        long r2 = resource("email");
        subscriber(db2, r2, "two@example.com", null);
        JsonNode db2All = channel(ok("databases/get_counters", "{\"id\":" + db2 + "}").path("data"), "email").path("status");
        assertThat(db2All.path("all").asLong()).isEqualTo(3);
        assertThat(db2All.path("subscribed_sendable").asLong()).isEqualTo(2);

        // a token that reaches only db1 counts only db1's subscriptions, and gets 403 for db2 like every method
        ApiClient limited = server.client(master().ok("tokens/create", "{\"name\":\"db1 only\",\"db_ids\":[" + db1
                + "]}").path("data").path("token").asText());
        JsonNode seen = channel(limited.ok("resources/get_counters", "{\"id\":" + r + "}").path("data"), "email");
        assertThat(seen.path("status").path("all").asLong()).isEqualTo(1);
        assertThat(limited.call("databases/get_counters", "{\"id\":" + db2 + ",\"resource_id\":" + r + "}").code())
                .isEqualTo(403);
        assertThat(limited.call("resources/get_counters", "{\"id\":" + r + ",\"db_id\":" + db2 + "}").code())
                .isEqualTo(403);
        assertThat(limited.ok("databases/list", "{}").path("data").findValuesAsText("id")).containsExactly(
                String.valueOf(db1));
    }

    @Test
    void deletingAResourceOrADatabaseTakesItsCountsAway() {
        long keep = database();
        long gone = database();
        long r = resource("email");
        long r2 = resource("email");
        subscriber(keep, r, "keep@example.com", null);
        subscriber(keep, r2, "keep2@example.com", null);
        subscriber(gone, r, "gone@example.com", null);
        subscriber(gone, r2, "gone2@example.com", null);

        ok("resources/delete", "{\"id\":" + r2 + "}");
        assertThat(channel(ok("databases/get_counters", "{\"id\":" + keep + "}").path("data"), "email")
                .path("status").path("all").asLong()).isEqualTo(1);
        assertThat(profilesCount(keep)).isEqualTo(2); // the profiles stay, only their subscriptions to r2 go
        CounterRecount.assertExact(server.store());

        ok("databases/delete", "{\"id\":" + gone + "}");
        assertThat(channel(ok("resources/get_counters", "{\"id\":" + r + "}").path("data"), "email")
                .path("status").path("all").asLong()).isEqualTo(1);
        assertThat(profilesCount(keep)).isEqualTo(2);
        CounterRecount.assertExact(server.store());
        CounterRecount.assertApiAgrees(server.store(), master(), keep, r);
    }

    @Test
    void cascadesAndUpsertsInTheStoreItselfKeepTheCountsExact() {
        // the triggers count whatever writes the rows, not only Roster's own statements
        long db = database();
        long other = database();
        long r = resource("email");
        String id = subscriber(db, r, "raw@example.com", null);
        subscriber(db, r, "raw2@example.com", null);
        subscriber(other, r, "other@example.com", null);
        server.store().write(h -> {
            // an upsert that updates: counted as an update (the insert trigger does not fire for it)
            h.createUpdate("insert into subscriptions (profile_id, db_id, resource_id, channel, address, hash_id, contact, "
                            + "status, custom_fields, cats, is_delete, created_at, updated_at) select profile_id, db_id, "
                            + "resource_id, channel, address, hash_id, contact, 3, custom_fields, cats, is_delete, 0, 0 "
                            + "from subscriptions where profile_id = :id on conflict (profile_id, resource_id, channel, "
                            + "address) do update set status = excluded.status")
                    .bind("id", id).execute();
            return null;
        });
        CounterRecount.assertExact(server.store());
        assertThat(status(db, r, "email", "hardbounced")).isEqualTo(1);
        // a profile deleted by itself: its subscriptions go by the foreign key's cascade
        server.store().write(h -> {
            h.execute("delete from profile_keys where profile_id = ?", id);
            return h.execute("delete from profiles where id = ?", id);
        });
        CounterRecount.assertExact(server.store());
        assertThat(status(db, r, "email", "all")).isEqualTo(1);
        // a database deleted by itself: profiles and subscriptions cascade, and its counters go
        server.store().write(h -> h.execute("delete from databases where id = ?", db));
        CounterRecount.assertExact(server.store());
        assertThat(status(other, r, "email", "all")).isEqualTo(1);
    }

    @Test
    void badInputIsRefusedAndChangesNothing() {
        long db = database();
        long r = resource("email");
        subscriber(db, r, "bad@example.com", null);
        Map<String, List<String>> before = StoreRows.rows(server.store());
        assertError(master().call("databases/get_counters", "{\"resource_id\":" + r + "}"), 400,
                "missing required parameter 'id'");
        assertError(master().call("databases/get_counters", "{\"id\":999999,\"resource_id\":" + r + "}"), 404,
                "database 999999 not found");
        assertError(master().call("databases/get_counters", "{\"id\":" + db + ",\"resource_id\":999999}"), 404,
                "resource 999999 not found");
        assertError(master().call("databases/get_counters", "{\"id\":\"x\",\"resource_id\":" + r + "}"), 400, "'id'");
        assertError(master().call("databases/get_counters", "{\"id\":" + db + ",\"resource_id\":-1}"), 400,
                "resource_id");
        assertError(master().call("databases/get_counters", "{\"id\":" + db + ",\"db_id\":" + db + "}"), 400,
                "not both");
        assertError(master().call("databases/get_counters", "{\"id\":" + db + ",\"channel\":\"email\"}"), 400,
                "channel");
        assertError(master().call("resources/get_counters", "{}"), 400, "'id'");
        assertError(master().call("resources/get_counters", "{\"id\":999999}"), 404, "resource 999999 not found");
        assertError(master().call("resources/get_counters", "{\"id\":" + r + ",\"db_id\":999999}"), 404,
                "database 999999 not found");
        assertError(master().call("resources/get_counters", "{\"id\":[1]}"), 400, "'id'");
        assertThat(StoreRows.rows(server.store())).isEqualTo(before);
    }

    @Test
    void aTokenWithoutCatalogReadIsRefused() {
        long db = database();
        long r = resource("email");
        ApiClient writer = server.client(master().ok("tokens/create", "{\"name\":\"writer\",\"permissions\":"
                + "[\"profiles.write\"]}").path("data").path("token").asText());
        assertError(writer.call("databases/get_counters", "{\"id\":" + db + ",\"resource_id\":" + r + "}"), 403,
                "catalog.read");
        assertError(writer.call("resources/get_counters", "{\"id\":" + r + "}"), 403, "catalog.read");
    }
}
