package dev.roster.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.testing.TestServer.ApiClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** subscriptions/list_all (docs/API.md): filters, the id cursor, and paging while others write. */
class SubscriptionListAllApiTest extends SubscriptionApiSupport {

    private static JsonNode listAll(String members) {
        return ok("subscriptions/list_all", "{" + members + "}");
    }

    /** Every row of the filter, paging {@code limit} at a time; {@code between} runs after each page. */
    private static List<JsonNode> pageAll(String members, int limit, Runnable between) {
        List<JsonNode> rows = new ArrayList<>();
        long from = 0;
        for (int pages = 0; pages < 1000; pages++) {
            JsonNode page = listAll(members + ",\"from_id\":" + from + ",\"limit\":" + limit);
            if (page.path("data").isEmpty()) {
                assertThat(page.path("next_from_id").asLong()).isEqualTo(from);
                return rows;
            }
            assertThat(page.path("data").size()).isLessThanOrEqualTo(limit);
            page.path("data").forEach(rows::add);
            from = page.path("next_from_id").asLong();
            between.run();
        }
        throw new AssertionError("paging did not end");
    }

    private static String key(JsonNode row) {
        return row.path("profile_id").asText() + "/" + row.path("channel").asText() + "/"
                + (row.has("email") ? row.path("email").asText() : row.path("phone").asText());
    }

    @Test
    void filtersByDatabaseChannelAndStatus() {
        long db1 = database();
        long db2 = database();
        long r = resource("email", "sms");
        long otherResource = resource("email");
        String a = profile(db1, "a@example.com");
        String b = profile(db1, "b@example.com");
        String c = profile(db2, "c@example.com");
        set(db1, a, r, "\"channel\":\"email\",\"email\":\"a@example.com\",\"cats\":[\"news\"],\"priority\":4");
        set(db1, a, r, "\"channel\":\"sms\",\"phone\":\"+79001230001\",\"status\":\"unsubscribed\"");
        set(db1, b, r, "\"channel\":\"email\",\"email\":\"b@example.com\",\"status\":5");
        set(db2, c, r, "\"channel\":\"email\",\"email\":\"c@example.com\"");
        set(db1, b, otherResource, "\"channel\":\"email\",\"email\":\"b@example.com\"");
        set(db1, b, r, "\"channel\":\"email\",\"email\":\"b.gone@example.com\"");
        ok("subscriptions/delete", body(db1, b, r, "\"channel\":\"email\",\"email\":\"b.gone@example.com\""));

        JsonNode all = listAll("\"resource_id\":" + r);
        assertThat(all.path("total_count").asLong()).as("deleted subscriptions are not listed").isEqualTo(4);
        assertThat(all.path("data").size()).isEqualTo(4);
        JsonNode first = all.path("data").get(0);
        assertThat(first.path("db_id").asLong()).isEqualTo(db1);
        assertThat(first.path("profile_id").asText()).isEqualTo(a);
        assertThat(first.path("_xxh").asText()).matches("[0-9a-f]{16}");
        assertThat(first.path("hash_id").asText()).matches("[0-9a-f]{8}");
        assertThat(first.path("cats").toString()).isEqualTo("[\"news\"]");
        assertThat(first.path("priority").asInt()).isEqualTo(4);
        assertThat(first.path("email").asText()).isEqualTo("a@example.com");

        assertThat(listAll("\"resource_id\":" + r + ",\"db_id\":" + db1).path("data").findValuesAsText("profile_id"))
                .containsExactly(a, a, b);
        assertThat(listAll("\"resource_id\":" + r + ",\"channel\":\"sms\"").path("data").findValuesAsText("phone"))
                .containsExactly("+79001230001");
        assertThat(listAll("\"resource_id\":" + r + ",\"status\":\"suspended\"").path("data")
                .findValuesAsText("email")).containsExactly("b@example.com");
        assertThat(listAll("\"resource_id\":" + r + ",\"status\":0,\"db_id\":" + db2).path("data")
                .findValuesAsText("email")).containsExactly("c@example.com");
        JsonNode page = listAll("\"resource_id\":" + r + ",\"limit\":2");
        assertThat(page.path("data").size()).isEqualTo(2);
        assertThat(page.path("total_count").asLong()).isEqualTo(4);
        assertThat(pageAll("\"resource_id\":" + r, 3, () -> { }).size()).isEqualTo(4);
    }

    @Test
    void refusesBadInput() {
        long db = database();
        long r = resource("email");
        String a = profile(db, "bad@example.com");
        set(db, a, r, "\"channel\":\"email\",\"email\":\"bad@example.com\"");
        String base = "\"resource_id\":" + r;
        assertRefused("subscriptions/list_all", "{}", 400, "missing required parameter 'resource_id'");
        assertRefused("subscriptions/list_all", "{\"resource_id\":999999}", 404, "resource 999999 not found");
        assertRefused("subscriptions/list_all", "{" + base + ",\"db_id\":999999}", 404, "database 999999 not found");
        assertRefused("subscriptions/list_all", "{" + base + ",\"channel\":\"fax\"}", 400, "'channel'");
        assertRefused("subscriptions/list_all", "{" + base + ",\"status\":\"asleep\"}", 400, "'status'");
        assertRefused("subscriptions/list_all", "{" + base + ",\"status\":9}", 400, "'status'");
        assertRefused("subscriptions/list_all", "{" + base + ",\"limit\":0}", 400, "'limit'");
        assertRefused("subscriptions/list_all", "{" + base + ",\"limit\":1001}", 400, "'limit'");
        assertRefused("subscriptions/list_all", "{" + base + ",\"from_id\":\"5\"}", 400, "'from_id'");
        assertRefused("subscriptions/list_all", "{" + base + ",\"from_id\":-1}", 400, "'from_id'");
        assertRefused("subscriptions/list_all", "{\"resource_id\":\"" + r + "\"}", 400, "'resource_id'");
        assertRefused("subscriptions/list_all", "{" + base + ",\"profile_id\":\"" + a + "\"}", 400,
                "unknown parameter 'profile_id'");
        assertThat(listAll(base).path("total_count").asLong()).isEqualTo(1);
    }

    @Test
    void aTokenWithSomeDatabasesSeesOnlyTheirRows() {
        long db1 = database();
        long db2 = database();
        long r = resource("email");
        String a = profile(db1, "reach1@example.com");
        String b = profile(db2, "reach2@example.com");
        set(db1, a, r, "\"channel\":\"email\",\"email\":\"reach1@example.com\"");
        set(db2, b, r, "\"channel\":\"email\",\"email\":\"reach2@example.com\"");
        ApiClient narrow = server.client(ok("tokens/create", "{\"name\":\"" + unique("narrow")
                + "\",\"permissions\":[\"profiles.read\"],\"db_ids\":[" + db1 + "]}").path("data").path("token").asText());
        JsonNode seen = narrow.ok("subscriptions/list_all", "{\"resource_id\":" + r + "}");
        assertThat(seen.path("data").findValuesAsText("profile_id")).containsExactly(a);
        assertThat(seen.path("total_count").asLong()).isEqualTo(1);
        assertError(narrow.call("subscriptions/list_all", "{\"resource_id\":" + r + ",\"db_id\":" + db2 + "}"), 403,
                "database " + db2);
    }

    @Test
    void pagingSeesEveryRowThatExistedThroughoutExactlyOnceWhileOthersInsertAndDelete() {
        long db = database();
        long r = resource("email");
        ApiClient deleter = server.client(ok("tokens/create", "{\"name\":\"" + unique("deleter")
                + "\",\"permissions\":[\"profiles.write\",\"profiles.delete\",\"subscriptions.write\"]}")
                .path("data").path("token").asText());
        List<String> profiles = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String email = "page" + i + "@example.com";
            String id = profile(db, email);
            set(db, id, r, "\"channel\":\"email\",\"email\":\"" + email + "\"");
            profiles.add(id);
        }
        // every third profile is volatile: deleted (softly or with its profile) at some point during the paging
        List<Integer> volatileOnes = new ArrayList<>();
        Set<String> stable = new HashSet<>();
        for (int i = 0; i < profiles.size(); i++) {
            if (i % 3 == 1) {
                volatileOnes.add(i);
            } else {
                stable.add(profiles.get(i) + "/email/page" + i + "@example.com");
            }
        }
        AtomicInteger step = new AtomicInteger();
        List<JsonNode> rows = pageAll("\"resource_id\":" + r + ",\"db_id\":" + db, 4, () -> {
            int s = step.getAndIncrement();
            if (s >= 16) {
                return; // the writers stop at some point, so the cursor can reach the end
            }
            // new rows: a new profile, and a new address on a stable profile
            String fresh = profile(db, "fresh" + s + "@example.com");
            set(db, fresh, r, "\"channel\":\"email\",\"email\":\"fresh" + s + "@example.com\"");
            set(db, profiles.get(0), r, "\"channel\":\"email\",\"email\":\"more" + s + "@example.com\"");
            // deletions on both sides of the cursor: from the front and from the back of the volatile list
            if (!volatileOnes.isEmpty()) {
                int i = s % 2 == 0 ? volatileOnes.remove(0) : volatileOnes.remove(volatileOnes.size() - 1);
                if (i % 2 == 0) {
                    ok("subscriptions/delete", body(db, profiles.get(i), r, "\"channel\":\"email\",\"email\":\"page"
                            + i + "@example.com\""));
                } else {
                    deleter.ok("profiles/delete", "{\"db_id\":" + db + ",\"matching\":\"profile_id\",\"profile_id\":\""
                            + profiles.get(i) + "\"}");
                }
            }
        });
        assertThat(step.get()).as("pages while writing").isGreaterThanOrEqualTo(13);
        assertThat(volatileOnes).as("every volatile row was deleted during the paging").isEmpty();
        Map<String, Integer> seen = new HashMap<>();
        rows.forEach(row -> seen.merge(key(row), 1, Integer::sum));
        assertThat(seen.values()).as("no row is listed twice").allMatch(n -> n == 1);
        for (String key : stable) {
            assertThat(seen).as("stable row %s", key).containsEntry(key, 1);
        }
    }

    @Test
    void pagingWhileAnotherThreadWritesNeverSkipsOrRepeatsAStableRow() throws Exception {
        long db = database();
        long r = resource("email");
        List<String> profiles = new ArrayList<>();
        Set<String> stable = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            String email = "conc" + i + "@example.com";
            String id = profile(db, email);
            set(db, id, r, "\"channel\":\"email\",\"email\":\"" + email + "\"");
            profiles.add(id);
            if (i % 2 == 0) {
                stable.add(id + "/email/" + email);
            }
        }
        AtomicBoolean paging = new AtomicBoolean(true);
        AtomicInteger writes = new AtomicInteger();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            int n = 0;
            while (paging.get() && n < 300 || n < 4) {
                String fresh = profile(db, "w" + n + "@example.com");
                set(db, fresh, r, "\"channel\":\"email\",\"email\":\"w" + n + "@example.com\"");
                int odd = 2 * (n % 15) + 1;
                String path = n < 15 ? "subscriptions/delete" : "subscriptions/undelete";
                ok(path, body(db, profiles.get(odd), r, "\"channel\":\"email\",\"email\":\"conc" + odd + "@example.com\""));
                writes.incrementAndGet();
                n++;
            }
        });
        List<JsonNode> rows;
        try {
            rows = pageAll("\"resource_id\":" + r, 3, () -> { });
            // a second pass must also hold while the writer keeps going
            rows.addAll(pageAll("\"resource_id\":" + r, 5, () -> { }));
        } finally {
            paging.set(false);
        }
        writer.get();
        assertThat(writes.get()).isGreaterThanOrEqualTo(4);
        Map<String, Integer> seen = new HashMap<>();
        rows.forEach(row -> seen.merge(key(row), 1, Integer::sum));
        assertThat(seen.values()).as("two passes: no row more than once per pass").allMatch(n -> n <= 2);
        for (String key : stable) {
            assertThat(seen).as("stable row %s, once per pass", key).containsEntry(key, 2);
        }
    }
}
