package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.testing.TestServer.ApiClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** profiles/merge and profiles/split: what moves, who wins, the history they leave, and what they refuse. */
class MergeSplitApiTest extends ProfileApiSupport {

    /**
     * The profile's history actions once its last one is {@code last}. On PostgreSQL a history page shows only the
     * transactions below the oldest one still running in the whole server, so a read right after a write may not see
     * it yet while other databases are busy: this waits (up to 30 s) for the write's event instead of assuming it.
     */
    private static List<String> actions(long db, String matching, String last) {
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
        List<String> out;
        do {
            out = new ArrayList<>();
            for (JsonNode r : ok("subscribers/history_get", "{\"list_id\":" + db + "," + matching + "}").path("data")) {
                out.add(r.path("action").asText());
            }
        } while ((out.isEmpty() || !out.get(out.size() - 1).equals(last)) && java.time.Instant.now().isBefore(deadline));
        return out;
    }

    private static List<String> emailsOf(JsonNode profile) {
        List<String> out = new ArrayList<>();
        profile.path("subscriptions").forEach(s -> out.add(s.path("channel").asText() + ":"
                + (s.has("email_data") ? s.path("email_data").path("email").asText() : s.path("sms_data").path("phone").asText())));
        return out;
    }

    private static ApiClient deleter() {
        String token = ok("tokens/create", "{\"name\":\"" + unique("deleter") + "\",\"permissions\":[\"profiles.read\","
                + "\"profiles.write\",\"profiles.delete\",\"history.read\"]}").path("data").path("token").asText();
        return server.client(token);
    }

    @Test
    void sourcesMergeIntoANewProfileWithTheirKeysSubscriptionsAndHistory() {
        long db = database();
        long res = resource("email", "sms");
        uniqueField(db, "CRM", "string");
        String older = importOk("{\"db_id\":" + db + ",\"email\":\"anna@example.com\",\"data\":{\"email\":\"anna@example.com\","
                + "\"_fname\":\"Anna\",\"phones\":[\"+79000000001\"],\"CRM\":\"c-1\",\"subscriptions\":[{\"channel\":\"email\","
                + "\"email\":\"anna@example.com\",\"resource_id\":" + res + "}]}}");
        String newer = importOk("{\"db_id\":" + db + ",\"email\":\"anya@example.com\",\"data\":{\"email\":\"anya@example.com\","
                + "\"_fname\":\"Anya\",\"_lname\":\"Lee\",\"phones\":[\"+79000000002\"],\"subscriptions\":[{\"channel\":\"sms\","
                + "\"phone\":\"+79000000002\",\"resource_id\":" + res + "}]}}");
        String olderXxh = getById(db, older).path("_xxh").asText();

        JsonNode data = ok("profiles/merge", "{\"db_id\":" + db + ",\"source\":[{\"email\":\"anna@example.com\"},"
                + "{\"profile_id\":\"" + newer + "\"}]}").path("data");
        String merged = data.path("profile_id").asText();
        assertThat(merged).isNotIn(older, newer);
        assertThat(data.path("merged").toString()).isEqualTo("[\"" + older + "\",\"" + newer + "\"]");

        JsonNode profile = getById(db, merged);
        assertThat(profile.path("email").asText()).as("the newest source wins").isEqualTo("anya@example.com");
        assertThat(profile.path("_fname").asText()).isEqualTo("Anya");
        assertThat(profile.path("_lname").asText()).isEqualTo("Lee");
        assertThat(profile.path("CRM").asText()).isEqualTo("c-1");
        assertThat(profile.path("phones").toString()).isEqualTo("[\"+79000000002\",\"+79000000001\"]");
        assertThat(emailsOf(profile)).containsExactlyInAnyOrder("email:anna@example.com", "sms:+79000000002");
        // every key of the sources finds the merged profile (anna@ through her email subscription)
        for (String key : List.of("\"email\":\"anna@example.com\"", "\"email\":\"anya@example.com\"",
                "\"matching\":\"phone\",\"phone\":\"+79000000001\"",
                "\"matching\":\"custom\",\"field_name\":\"CRM\",\"field_value\":\"c-1\"")) {
            assertThat(get(db, key).path("id").asText()).as(key).isEqualTo(merged);
        }
        assertError(getCall(db, "\"matching\":\"profile_id\",\"profile_id\":\"" + older + "\""), 404);
        assertThat(profileCount(db)).isEqualTo(1);

        // the sources' history is the merged profile's now, after which it says what happened
        List<String> history = actions(db, "\"profile_id\":\"" + merged + "\"", "merge");
        assertThat(history).startsWith("import_api").endsWith("merge");
        assertThat(history.stream().filter("import_api"::equals).count()).isEqualTo(2);
        assertThat(actions(db, "\"xxh\":\"" + olderXxh + "\"", "merged_into")).containsExactly("merged_into");
        JsonNode left = ok("subscribers/history_get", "{\"list_id\":" + db + ",\"xxh\":\"" + olderXxh + "\"}").path("data");
        assertThat(left).hasSize(1);
        assertThat(left.get(0).path("action").asText()).isEqualTo("merged_into");
        assertThat(left.get(0).path("detail").path("profile_id").asText()).isEqualTo(merged);
    }

    @Test
    void theDestinationsValuesWinAndDataIsAppliedLast() {
        long db = database();
        uniqueField(db, "CRM", "string");
        String dest = importOk("{\"db_id\":" + db + ",\"email\":\"dora@example.com\",\"data\":{\"email\":\"dora@example.com\","
                + "\"_fname\":\"Dora\",\"CRM\":\"d-1\",\"phones\":[\"+79000000011\"]}}");
        importOk("{\"db_id\":" + db + ",\"email\":\"sam@example.com\",\"data\":{\"email\":\"sam@example.com\","
                + "\"_fname\":\"Sam\",\"_lname\":\"Smith\",\"CRM\":\"s-1\",\"phones\":[\"+79000000012\"]}}");

        JsonNode data = ok("profiles/merge", "{\"db_id\":" + db + ",\"destination\":{\"email\":\"dora@example.com\"},"
                + "\"source\":[{\"email\":\"sam@example.com\"}],\"data\":{\"_city\":\"Paris\",\"_fname\":\"Dorothy\"}}")
                .path("data");
        assertThat(data.path("profile_id").asText()).isEqualTo(dest);

        JsonNode profile = getById(db, dest);
        assertThat(profile.path("email").asText()).isEqualTo("dora@example.com");
        assertThat(profile.path("_fname").asText()).as("data is applied last").isEqualTo("Dorothy");
        assertThat(profile.path("_lname").asText()).isEqualTo("Smith");
        assertThat(profile.path("_city").asText()).isEqualTo("Paris");
        assertThat(profile.path("CRM").asText()).isEqualTo("d-1");
        assertThat(profile.path("phones").toString()).isEqualTo("[\"+79000000011\",\"+79000000012\"]");
        assertThat(get(db, "\"matching\":\"phone\",\"phone\":\"+79000000012\"").path("id").asText()).isEqualTo(dest);
        // the losing email and unique value identify nobody now: a new profile may take them
        assertError(getCall(db, "\"email\":\"sam@example.com\""), 404);
        importOk("{\"db_id\":" + db + ",\"email\":\"sam@example.com\",\"data\":{\"email\":\"sam@example.com\","
                + "\"CRM\":\"s-1\"}}");
        assertThat(profileCount(db)).isEqualTo(2);
        assertThat(actions(db, "\"profile_id\":\"" + dest + "\"", "merge")).endsWith("merge");
    }

    @Test
    void theSubscriptionsOfBothEndOnTheDestination() {
        long db = database();
        long res = resource("email");
        String dest = importOk("{\"db_id\":" + db + ",\"email\":\"x@example.com\",\"data\":{\"email\":\"x@example.com\","
                + "\"subscriptions\":[{\"channel\":\"email\",\"email\":\"shared@example.com\",\"resource_id\":" + res
                + ",\"status\":\"unsubscribed\"}]}}");
        String source = importOk("{\"db_id\":" + db + ",\"email\":\"y@example.com\",\"data\":{\"email\":\"y@example.com\","
                + "\"subscriptions\":[{\"channel\":\"email\",\"email\":\"y@example.com\",\"resource_id\":" + res + "}]}}");
        ok("profiles/merge", "{\"db_id\":" + db + ",\"destination\":{\"profile_id\":\"" + dest + "\"},\"source\":[{"
                + "\"profile_id\":\"" + source + "\"}]}");
        JsonNode profile = getById(db, dest);
        assertThat(emailsOf(profile)).containsExactlyInAnyOrder("email:shared@example.com", "email:y@example.com");
        assertThat(profile.path("subscriptions").get(0).path("status").asText()).isEqualTo("unsubscribed");
    }

    @Test
    void aSubscriptionBothHaveKeepsTheDestinationsStateAndStaticSegmentsIsAccepted() {
        // only a phone without uniqueness lets two profiles hold the same subscription (messenger addresses are keys)
        long db = master().ok("databases/create", "{\"name\":\"" + unique("shared phones") + "\",\"unique_phones\":false}")
                .path("data").path("id").asLong();
        long res = resource("sms");
        String sub = "{\"channel\":\"sms\",\"phone\":\"+79001112233\",\"resource_id\":" + res;
        String dest = importOk("{\"db_id\":" + db + ",\"email\":\"d@example.com\",\"data\":{\"email\":\"d@example.com\","
                + "\"subscriptions\":[" + sub + ",\"status\":\"unsubscribed\"}]}}");
        importOk("{\"db_id\":" + db + ",\"email\":\"s@example.com\",\"data\":{\"email\":\"s@example.com\","
                + "\"subscriptions\":[" + sub + ",\"status\":\"subscribed\",\"cats\":[\"news\"]}]}}");
        ok("profiles/merge", "{\"db_id\":" + db + ",\"destination\":{\"profile_id\":\"" + dest + "\"},\"source\":[{"
                + "\"email\":\"s@example.com\"}],\"static_segments\":false}");
        JsonNode subscriptions = getById(db, dest).path("subscriptions");
        assertThat(subscriptions).hasSize(1);
        assertThat(subscriptions.get(0).path("status").asText()).isEqualTo("unsubscribed");
        assertThat(subscriptions.get(0).path("cats")).isEmpty();
        assertThat(count("select count(*) from subscriptions where db_id = :db", db)).isEqualTo(1);
    }

    @Test
    void withoutHistoryAndSubscriptionsTheSourcesLoseThemAndThatNeedsTheDeletePermission() {
        long db = database();
        long res = resource("email");
        String dest = importEmail(db, "keep@example.com");
        importOk("{\"db_id\":" + db + ",\"email\":\"drop@example.com\",\"data\":{\"email\":\"drop@example.com\","
                + "\"subscriptions\":[{\"channel\":\"email\",\"email\":\"drop@example.com\",\"resource_id\":" + res + "}]}}");
        String body = "{\"db_id\":" + db + ",\"destination\":{\"email\":\"keep@example.com\"},\"source\":[{\"email\":"
                + "\"drop@example.com\"}],\"subscriptions\":false,\"history\":false}";
        assertRefused(db, "profiles/merge", body, 403, "profiles.delete");

        deleter().ok("profiles/merge", body);
        JsonNode profile = getById(db, dest);
        assertThat(profile.path("subscriptions")).isEmpty();
        assertThat(actions(db, "\"profile_id\":\"" + dest + "\"", "merge")).containsExactly("import_api", "merge");
        assertError(getCall(db, "\"email\":\"drop@example.com\""), 404);
    }

    /**
     * Merges that race over the same profiles (each profile the destination of one and the source of the next) each
     * apply whole or answer 404 for a profile merged away meanwhile: every phone (phones are united) still names
     * exactly one profile, and the database lost one profile per merge that succeeded.
     */
    @Test
    void concurrentMergesOverAChainOfProfilesLeaveEveryKeyWithOneOwner() throws Exception {
        long db = database();
        int n = 12;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i <= n; i++) {
            ids.add(importOk("{\"db_id\":" + db + ",\"email\":\"chain" + i + "@example.com\",\"data\":{\"email\":"
                    + "\"chain" + i + "@example.com\",\"phones\":[\"+7900100" + (1000 + i) + "\"]}}"));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<JsonNode>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                String body = "{\"db_id\":" + db + ",\"source\":[{\"profile_id\":\"" + ids.get(i) + "\"}],"
                        + "\"destination\":{\"profile_id\":\"" + ids.get(i + 1) + "\"},\"data\":{\"_fname\":\"M" + i + "\"}}";
                answers.add(pool.submit(() -> {
                    start.await();
                    return master().call("profiles/merge", body).json();
                }));
            }
            start.countDown();
            int merged = 0;
            for (java.util.concurrent.Future<JsonNode> answer : answers) {
                JsonNode a = answer.get();
                assertThat(a.path("error").asInt()).as(a.toString()).isIn(0, 404);
                if (a.path("error").asInt() == 0) {
                    merged++;
                }
            }
            assertThat(merged).isPositive();
            assertThat(profileCount(db)).isEqualTo(n + 1 - merged);
        } finally {
            pool.shutdownNow();
        }
        java.util.Set<String> owners = new java.util.HashSet<>();
        for (int i = 0; i <= n; i++) {
            JsonNode owner = get(db, "\"matching\":\"phone\",\"phone\":\"+7900100" + (1000 + i) + "\"");
            assertThat(getById(db, owner.path("id").asText()).path("id").asText()).isEqualTo(owner.path("id").asText());
            owners.add(owner.path("id").asText());
        }
        assertThat((long) owners.size()).isEqualTo(profileCount(db));
    }

    @Test
    void badMergesAreRefusedAndChangeNothing() {
        long db = database();
        String a = importEmail(db, "a@example.com");
        importEmail(db, "b@example.com");
        importEmail(db, "c@example.com");
        String merge = "{\"db_id\":" + db + ",";
        assertRefused(db, "profiles/merge", merge + "\"source\":[{\"email\":\"a@example.com\"},{\"email\":\"nobody@example.com\"}]}",
                404, "source[1]", "not found");
        assertRefused(db, "profiles/merge", merge + "\"source\":[{\"email\":\"a@example.com\"}],\"destination\":{\"email\":"
                + "\"nobody@example.com\"}}", 404, "destination");
        assertRefused(db, "profiles/merge", merge + "\"source\":[{\"email\":\"a@example.com\"},{\"email\":\"b@example.com\"}],"
                + "\"destination\":{\"profile_id\":\"" + a + "\"}}", 400, "destination is also source[0]");
        assertRefused(db, "profiles/merge", merge + "\"source\":[{\"email\":\"a@example.com\"},{\"profile_id\":\"" + a + "\"}]}",
                400, "source[0] and source[1] name the same profile");
        assertRefused(db, "profiles/merge", merge + "\"source\":[]}", 400, "source");
        assertRefused(db, "profiles/merge", merge + "\"destination\":{\"email\":\"a@example.com\"}}", 400, "'source'");
        assertRefused(db, "profiles/merge", merge + "\"source\":[{\"email\":\"a@example.com\",\"colour\":1}]}", 400,
                "source[0].colour");
        assertRefused(db, "profiles/merge", merge + "\"source\":[{\"email\":\"a@example.com\"}],\"data\":{\"email\":"
                + "\"c@example.com\"}}", 409, "c@example.com");
        // docs/API.md, Merging and splitting profiles: a merge's data, like any write, cannot clear the email that is
        // the profile's only key
        assertRefused(db, "profiles/merge", merge + "\"source\":[{\"email\":\"a@example.com\"}],\"data\":{\"email\":"
                + "null}}", 400, "email cannot be cleared");
        assertRefused(db, "profiles/merge", "{\"db_id\":424242,\"source\":[{\"email\":\"a@example.com\"}]}", 404,
                "database 424242");
        assertThat(profileCount(db)).isEqualTo(3);
    }

    @Test
    void splitTakesTheNamedKeysAndTheirSubscriptionsIntoNewProfiles() {
        long db = database();
        long res = resource("email", "sms");
        String source = importOk("{\"db_id\":" + db + ",\"email\":\"family@example.com\",\"data\":{\"email\":"
                + "\"family@example.com\",\"_fname\":\"Pat\",\"phones\":[\"+79000000021\",\"+79000000022\"],"
                + "\"subscriptions\":[{\"channel\":\"email\",\"email\":\"family@example.com\",\"resource_id\":" + res + "},"
                + "{\"channel\":\"sms\",\"phone\":\"+79000000022\",\"resource_id\":" + res + ",\"status\":\"unsubscribed\"}]}}");

        JsonNode data = ok("profiles/split", "{\"source\":{\"db_id\":" + db + ",\"email\":\"family@example.com\"},"
                + "\"destination\":[{\"db_id\":" + db + ",\"phone\":\"+79000000022\"}],\"data\":{\"_fname\":\"Kim\"}}")
                .path("data");
        assertThat(data.path("profile_id").asText()).isEqualTo(source);
        assertThat(data.path("profiles")).hasSize(1);
        String made = data.path("profiles").get(0).asText();

        JsonNode taken = get(db, "\"matching\":\"phone\",\"phone\":\"+79000000022\"");
        assertThat(taken.path("id").asText()).isEqualTo(made);
        assertThat(taken.path("_fname").asText()).isEqualTo("Kim");
        assertThat(taken.path("phones").toString()).isEqualTo("[\"+79000000022\"]");
        assertThat(taken.has("email")).isFalse();
        assertThat(emailsOf(taken)).containsExactly("sms:+79000000022");
        assertThat(taken.path("subscriptions").get(0).path("status").asText()).isEqualTo("unsubscribed");

        JsonNode kept = getById(db, source);
        assertThat(kept.path("phones").toString()).isEqualTo("[\"+79000000021\"]");
        assertThat(kept.path("_fname").asText()).isEqualTo("Pat");
        assertThat(emailsOf(kept)).containsExactly("email:family@example.com");
        assertThat(profileCount(db)).isEqualTo(2);

        // the new profile starts with a copy of the source's history
        assertThat(actions(db, "\"profile_id\":\"" + made + "\"", "split_from")).startsWith("import_api");
        assertThat(actions(db, "\"profile_id\":\"" + source + "\"", "split")).endsWith("split");
    }

    @Test
    void badSplitsAreRefusedAndChangeNothing() {
        long db = database();
        long other = database();
        long res = resource("email", "sms");
        importOk("{\"db_id\":" + db + ",\"email\":\"s@example.com\",\"data\":{\"email\":\"s@example.com\","
                + "\"phones\":[\"+79000000031\"],\"subscriptions\":[{\"channel\":\"sms\",\"phone\":\"+79000000031\","
                + "\"resource_id\":" + res + "}]}}");
        String source = "{\"source\":{\"db_id\":" + db + ",\"email\":\"s@example.com\"},";
        assertRefused(db, "profiles/split", source + "\"destination\":[{\"phone\":\"+79000000039\"}]}", 400,
                "does not hold phone '+79000000039'");
        assertRefused(db, "profiles/split", source + "\"destination\":[{\"email\":\"s@example.com\","
                + "\"phone\":\"+79000000031\"}]}", 400, "every identity key");
        assertRefused(db, "profiles/split", source + "\"destination\":[{\"db_id\":" + other + ",\"phone\":\"+79000000031\"}]}",
                400, "within its own database");
        assertRefused(db, "profiles/split", source + "\"destination\":[{\"phone\":\"+79000000031\"}],\"subscriptions\":false}",
                400, "subscriptions");
        assertRefused(db, "profiles/split", source + "\"destination\":[{\"phone\":\"+79000000031\"},{\"phone\":"
                + "\"+79000000031\"}]}", 400, "destination[1]");
        assertRefused(db, "profiles/split", source + "\"destination\":[{}]}", 400, "names no key");
        assertRefused(db, "profiles/split", "{\"source\":{\"db_id\":" + db + ",\"email\":\"nobody@example.com\"},"
                + "\"destination\":[{\"phone\":\"+79000000031\"}]}", 404, "source");
        assertRefused(db, "profiles/split", source + "\"destination\":[]}", 400, "destination");
        assertRefused(db, "profiles/split", "{\"source\":{\"db_id\":" + db + ",\"phone\":\"+79000000031\"},"
                + "\"destination\":[{\"email\":\"s@example.com\"}],\"data\":{\"email\":null}}", 400,
                "email cannot be cleared");
        assertThat(profileCount(db)).isEqualTo(1);
    }
}
