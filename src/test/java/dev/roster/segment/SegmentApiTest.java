package dev.roster.segment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.testing.ApiTest;
import dev.roster.testing.StoreRows;
import dev.roster.testing.TestServer;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** segments/*, add_to_segments / remove_from_segments, and the reads of a segment (docs/API.md "Segments"). */
class SegmentApiTest extends ApiTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static TestServer.ApiClient deleter;
    private static TestServer.ApiClient reader;

    @BeforeAll
    static void tokens() {
        deleter = server.client(master().ok("tokens/create", "{\"name\":\"deleter\",\"permissions\":[\"profiles.read\","
                + "\"profiles.write\",\"profiles.delete\",\"catalog.read\",\"catalog.write\",\"history.read\"]}")
                .path("data").path("token").asText());
        reader = server.client(master().ok("tokens/create", "{\"name\":\"reader\",\"permissions\":[\"profiles.read\"]}")
                .path("data").path("token").asText());
    }

    private static void assertAnswer(TestServer.Response response, int code, String... fragments) {
        assertThat(response.error()).as("error of %s", response.body()).isEqualTo(code);
        for (String fragment : fragments) {
            assertThat(response.errorText()).as("error_text of %s", response.body()).contains(fragment);
        }
    }

    /** The call fails with that code and text in the envelope, and no row of any table changed. */
    private static void refused(TestServer.ApiClient client, String method, String body, int code, String... fragments) {
        Map<String, List<String>> before = StoreRows.rows(server.store());
        assertAnswer(client.call(method, body), code, fragments);
        assertThat(StoreRows.rows(server.store())).as("store after refused %s %s", method, body).isEqualTo(before);
    }

    private static JsonNode ok(String method, String body) {
        return master().ok(method, body);
    }

    private static long database() {
        return createDatabase("seg-" + NAMES.incrementAndGet());
    }

    private static String profile(long db, String email, String city) {
        return ok("profiles/import", "{\"db_id\":" + db + ",\"email\":\"" + email + "\",\"data\":{\"email\":\"" + email
                + "\",\"_city\":\"" + city + "\"}}").path("profile_id").asText();
    }

    private static long segment(long db, String type, String query) {
        return ok("segments/create", "{\"db_id\":" + db + ",\"name\":\"s" + NAMES.incrementAndGet() + "\",\"type\":\""
                + type + "\"" + (query == null ? "" : ",\"query\":" + query) + "}").path("data").path("id").asLong();
    }

    private static List<String> members(long db, long segment) {
        List<String> ids = new ArrayList<>();
        ok("profiles/list", "{\"db_id\":" + db + ",\"segment_id\":" + segment + ",\"fields\":[\"id\"]}").path("data")
                .forEach(p -> ids.add(p.path("id").asText()));
        return ids;
    }

    private static List<String> listed(long db, long segment, String query) {
        List<String> ids = new ArrayList<>();
        ok("profiles/list", "{\"db_id\":" + db + ",\"segment_id\":" + segment + ",\"query\":" + query
                + ",\"fields\":[\"id\"]}").path("data").forEach(p -> ids.add(p.path("id").asText()));
        return ids;
    }

    private static long count(long db, long segment) {
        return ok("profiles/count", "{\"db_id\":" + db + ",\"segment_id\":" + segment + "}").path("data").path("count")
                .asLong();
    }

    /** The profile's history actions, once they include {@code wanted} (history is read in commit order; bounded wait). */
    private static List<String> actions(long db, String profileId, String... wanted) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        List<String> actions;
        do {
            actions = actionsNow(db, profileId);
        } while (!actions.containsAll(List.of(wanted)) && Instant.now().isBefore(deadline));
        return actions;
    }

    private static List<String> actionsNow(long db, String profileId) {
        String xxh = ok("profiles/get", "{\"db_id\":" + db + ",\"matching\":\"profile_id\",\"profile_id\":\"" + profileId
                + "\"}").path("data").path("_xxh").asText();
        List<String> out = new ArrayList<>();
        ok("subscribers/history_get", "{\"list_id\":" + db + ",\"xxh\":\"" + xxh + "\"}").path("data")
                .forEach(r -> out.add(r.path("action").asText()));
        return out;
    }

    @Test
    void aStaticSegmentHoldsTheProfilesAddedToIt() {
        long db = database();
        String a = profile(db, "a@example.com", "Moscow");
        String b = profile(db, "b@example.com", "Kazan");
        String c = profile(db, "c@example.com", "Moscow");
        long s = segment(db, "static", null);
        assertThat(ok("segments/add_profiles", "{\"id\":" + s + ",\"profile_ids\":[\"" + a + "\",\"" + b + "\",\"" + a
                + "\"]}").path("data").path("changed").asLong()).isEqualTo(2);
        assertThat(ok("segments/add_profiles", "{\"id\":" + s + ",\"profile_ids\":[\"" + a + "\"]}").path("data")
                .path("changed").asLong()).isZero();
        assertThat(members(db, s)).containsExactlyElementsOf(java.util.stream.Stream.of(a, b).sorted().toList());
        assertThat(count(db, s)).isEqualTo(2);
        JsonNode got = ok("segments/get", "{\"id\":" + s + "}").path("data");
        assertThat(got.path("type").asText()).isEqualTo("static");
        assertThat(got.path("profiles_count").asLong()).isEqualTo(2);
        // a query within the segment
        assertThat(ok("profiles/count", "{\"db_id\":" + db + ",\"segment_id\":" + s + ",\"query\":{\"_city\":\"Moscow\"}}")
                .path("data").path("count").asLong()).isEqualTo(1);
        // a page driven by the email domain's index keeps to the segment's members (c is of the domain, not a member)
        assertThat(listed(db, s, "{\"_emaildomain\":\"example.com\"}"))
                .containsExactlyElementsOf(java.util.stream.Stream.of(a, b).sorted().toList());
        assertThat(listed(db, s, "{\"_emaildomain\":\"example.com\",\"_city\":\"Moscow\"}")).containsExactly(a);
        assertThat(listed(db, s, "{\"_emaildomain\":\"example.org\"}")).isEmpty();
        assertThat(actions(db, a, "segment_add")).contains("segment_add");
        assertThat(ok("segments/remove_profiles", "{\"id\":" + s + ",\"profile_ids\":[\"" + b + "\",\"" + c + "\"]}")
                .path("data").path("changed").asLong()).isEqualTo(1);
        assertThat(members(db, s)).containsExactly(a);
        assertThat(actions(db, b, "segment_add", "segment_remove")).contains("segment_add", "segment_remove");
        // unknown profiles, dynamic segments and bad ids change nothing
        refused(master(), "segments/add_profiles", "{\"id\":" + s + ",\"profile_ids\":[\"" + b
                + "\",\"0123456789abcdef01234567\"]}", 404, "0123456789abcdef01234567");
        refused(master(), "segments/add_profiles", "{\"id\":" + s + ",\"profile_ids\":[\"nope\"]}", 400, "profile_ids");
        refused(master(), "segments/add_profiles", "{\"id\":" + s + ",\"profile_ids\":[]}", 400, "profile_ids");
        long dynamic = segment(db, "dynamic", "{\"_city\":\"Moscow\"}");
        refused(master(), "segments/add_profiles", "{\"id\":" + dynamic + ",\"profile_ids\":[\"" + b + "\"]}", 400,
                "dynamic");
        refused(master(), "segments/add_profiles", "{\"id\":999999,\"profile_ids\":[\"" + b + "\"]}", 404, "segment");
    }

    @Test
    void aDynamicSegmentsMembersAreWhatItsQueryMatchesWhenRead() {
        long db = database();
        String a = profile(db, "a@example.com", "Moscow");
        profile(db, "b@example.com", "Kazan");
        long s = segment(db, "dynamic", "{\"_city\":\"Moscow\"}");
        assertThat(members(db, s)).containsExactly(a);
        String c = profile(db, "c@example.com", "Moscow");
        assertThat(count(db, s)).isEqualTo(2);
        assertThat(ok("segments/get", "{\"id\":" + s + "}").path("data").path("profiles_count").asLong()).isEqualTo(2);
        ok("segments/update", "{\"id\":" + s + ",\"query\":{\"email\":\"C@example.com\"}}");
        assertThat(members(db, s)).containsExactly(c);
        JsonNode listed = ok("segments/list", "{\"db_id\":" + db + "}").path("data");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("query").path("email").asText()).isEqualTo("C@example.com");
        // bad segments change nothing
        refused(master(), "segments/create", "{\"db_id\":" + db + ",\"name\":\"x\",\"type\":\"dynamic\"}", 400, "query");
        refused(master(), "segments/create", "{\"db_id\":" + db + ",\"name\":\"x\",\"type\":\"dynamic\",\"query\":"
                + "{\"nope\":1}}", 400, "nope");
        refused(master(), "segments/create", "{\"db_id\":" + db + ",\"name\":\"x\",\"type\":\"weird\"}", 400, "type");
        refused(master(), "segments/create", "{\"db_id\":" + db + ",\"name\":\"x\",\"type\":\"static\",\"query\":{}}",
                400, "static");
        refused(master(), "segments/update", "{\"id\":" + s + ",\"query\":{\"_city\":{\"$bad\":1}}}", 400, "$bad");
        String name = ok("segments/get", "{\"id\":" + s + "}").path("data").path("name").asText();
        refused(master(), "segments/create", "{\"db_id\":" + db + ",\"name\":\"" + name + "\",\"type\":\"static\"}",
                409, name);
        refused(reader, "segments/create", "{\"db_id\":" + db + ",\"name\":\"r\",\"type\":\"static\"}", 403);
        refused(master(), "segments/create", "{\"db_id\":999999,\"name\":\"r\",\"type\":\"static\"}", 404);
        assertThat(reader.ok("segments/get", "{\"id\":" + s + "}").path("data").path("id").asLong()).isEqualTo(s);
        assertAnswer(master().call("profiles/list", "{\"db_id\":" + database() + ",\"segment_id\":" + s + "}"), 404,
                "segment");
    }

    @Test
    void writesJoinAndLeaveStaticSegments() {
        long db = database();
        long s1 = segment(db, "static", null);
        long s2 = segment(db, "static", null);
        String a = ok("profiles/import", "{\"db_id\":" + db + ",\"email\":\"a@example.com\",\"data\":{\"email\":"
                + "\"a@example.com\"},\"add_to_segments\":[" + s1 + "," + s2 + "]}").path("profile_id").asText();
        assertThat(members(db, s1)).containsExactly(a);
        assertThat(members(db, s2)).containsExactly(a);
        ok("profiles/update", "{\"db_id\":" + db + ",\"profile_id\":\"" + a + "\",\"data\":{\"_fname\":\"A\"},"
                + "\"remove_from_segments\":[" + s2 + "]}");
        assertThat(members(db, s2)).isEmpty();
        String b = ok("profiles/add", "{\"db_id\":" + db + ",\"data\":{\"email\":\"b@example.com\"},\"add_to_segments\":["
                + s2 + "]}").path("profile_id").asText();
        assertThat(members(db, s2)).containsExactly(b);
        JsonNode batch = ok("profiles/import_batch", "{\"db_id\":" + db + ",\"matching\":\"email\",\"add_to_segments\":["
                + s2 + "],\"data\":[{\"email\":\"c@example.com\"},{\"email\":\"d@example.com\"},{\"email\":\"bad\"}]}");
        assertThat(batch.path("result").get(2).path("error").asInt()).isEqualTo(400);
        assertThat(count(db, s2)).isEqualTo(3);
        assertThat(actions(db, a, "segment_add", "segment_remove")).contains("segment_add", "segment_remove");
        // a dynamic or unknown segment fails the write whole
        long dynamic = segment(db, "dynamic", "{\"_fname\":\"A\"}");
        refused(master(), "profiles/import", "{\"db_id\":" + db + ",\"email\":\"e@example.com\",\"data\":{\"email\":"
                + "\"e@example.com\"},\"add_to_segments\":[" + dynamic + "]}", 400, "dynamic");
        refused(master(), "profiles/import", "{\"db_id\":" + db + ",\"email\":\"e@example.com\",\"data\":{\"email\":"
                + "\"e@example.com\"},\"add_to_segments\":[999999]}", 404, "999999");
        refused(master(), "profiles/import", "{\"db_id\":" + db + ",\"email\":\"e@example.com\",\"data\":{\"email\":"
                + "\"e@example.com\"},\"add_to_segments\":[\"x\"]}", 400, "add_to_segments");
    }

    @Test
    void aBatchJoinsItsSegmentsOnceAProfileAndARefusedSegmentFailsEachItemAlone() {
        long db = database();
        long s = segment(db, "static", null);
        long left = segment(db, "static", null);
        String old = profile(db, "old@example.com", "Moscow");
        ok("segments/add_profiles", "{\"id\":" + left + ",\"profile_ids\":[\"" + old + "\"]}");
        // the same profile twice, a new one, an existing one, and a bad item: one membership and one event a profile
        JsonNode batch = ok("profiles/import_batch", "{\"db_id\":" + db + ",\"matching\":\"email\",\"add_to_segments\":["
                + s + "],\"remove_from_segments\":[" + left + "],\"data\":[{\"email\":\"n@example.com\"},"
                + "{\"email\":\"bad\"},{\"email\":\"N@example.com\",\"_fname\":\"N\"},{\"email\":\"old@example.com\"}]}");
        assertThat(batch.path("result").get(1).path("error").asInt()).isEqualTo(400);
        String n = batch.path("result").get(0).path("profile_id").asText();
        assertThat(batch.path("result").get(2).path("profile_id").asText()).isEqualTo(n);
        assertThat(batch.path("result").get(3).path("profile_id").asText()).isEqualTo(old);
        assertThat(members(db, s)).containsExactlyElementsOf(java.util.stream.Stream.of(n, old).sorted().toList());
        assertThat(members(db, left)).isEmpty();
        assertThat(actions(db, n, "segment_add").stream().filter("segment_add"::equals)).hasSize(1);
        assertThat(actions(db, old, "segment_add", "segment_remove")).containsSubsequence("segment_add")
                .contains("segment_remove");
        // a dynamic or unknown segment: every item fails as it does alone, and nothing is written
        long dynamic = segment(db, "dynamic", "{\"_fname\":\"A\"}");
        for (String segments : List.of("[" + dynamic + "]", "[" + s + ",999999]")) {
            Map<String, List<String>> before = StoreRows.rows(server.store());
            JsonNode refused = ok("profiles/import_batch", "{\"db_id\":" + db + ",\"matching\":\"email\","
                    + "\"add_to_segments\":" + segments + ",\"data\":[{\"email\":\"x@example.com\"},"
                    + "{\"email\":\"y@example.com\"}]}");
            for (JsonNode item : refused.path("result")) {
                assertThat(item.path("error").asInt()).as("%s", refused).isIn(400, 404);
                assertThat(item.path("error_text").asText()).as("%s", refused)
                        .containsAnyOf("dynamic", "999999");
            }
            assertThat(StoreRows.rows(server.store())).isEqualTo(before);
        }
    }

    @Test
    void deletingAProfileEndsItsMembershipsAndDeletingASegmentKeepsItsProfiles() {
        long db = database();
        String a = profile(db, "a@example.com", "Moscow");
        String b = profile(db, "b@example.com", "Moscow");
        long s = segment(db, "static", null);
        ok("segments/add_profiles", "{\"id\":" + s + ",\"profile_ids\":[\"" + a + "\",\"" + b + "\"]}");
        deleter.ok("profiles/delete", "{\"db_id\":" + db + ",\"matching\":\"profile_id\",\"profile_id\":\"" + a + "\"}");
        assertThat(members(db, s)).containsExactly(b);
        assertThat(ok("segments/get", "{\"id\":" + s + "}").path("data").path("profiles_count").asLong()).isEqualTo(1);
        ok("segments/delete", "{\"id\":" + s + "}");
        assertAnswer(master().call("segments/get", "{\"id\":" + s + "}"), 404, "segment");
        assertThat(ok("profiles/count", "{\"db_id\":" + db + "}").path("data").path("count").asLong()).isEqualTo(1);
        assertThat(StoreRows.rows(server.store()).getOrDefault("segment_members", List.of()))
                .noneMatch(row -> row.startsWith("segment_id=" + s + " "));
    }

    @Test
    void countersAndExportsOfASegment() {
        long db = database();
        long resource = ok("resources/create", "{\"name\":\"r" + NAMES.incrementAndGet() + "\",\"channels\":[\"email\","
                + "\"sms\"],\"db_ids\":[" + db + "]}").path("data").path("id").asLong();
        for (int i = 0; i < 4; i++) {
            ok("profiles/import", "{\"db_id\":" + db + ",\"email\":\"p" + i + "@example.com\",\"data\":{\"email\":\"p" + i
                    + "@example.com\",\"_city\":\"" + (i < 3 ? "Moscow" : "Kazan") + "\",\"subscriptions\":[{\"resource_id\":"
                    + resource + ",\"channel\":\"email\",\"email\":\"p" + i + "@example.com\",\"status\":\""
                    + (i == 0 ? "unsubscribed" : "subscribed") + "\"}]}}");
        }
        long s = segment(db, "dynamic", "{\"_city\":\"Moscow\"}");
        JsonNode counters = ok("segments/get_counters", "{\"id\":" + s + ",\"resource_id\":" + resource + "}").path("data");
        JsonNode email = null;
        for (JsonNode c : counters) {
            if (c.path("channel").asText().equals("email")) {
                email = c;
            }
        }
        assertThat(email).as("%s", counters).isNotNull();
        assertThat(email.path("status").path("subscribed").asLong()).isEqualTo(2);
        assertThat(email.path("status").path("unsubscribed").asLong()).isEqualTo(1);
        assertThat(email.path("status").path("all").asLong()).isEqualTo(3);
        // Altcraft's callers send the segment's database along as list_id (or db_id): taken when it is the segment's
        assertThat(ok("segments/get_counters", "{\"id\":" + s + ",\"resource_id\":" + resource + ",\"list_id\":" + db
                + "}").path("data")).isEqualTo(counters);
        assertThat(ok("segments/get_counters", "{\"id\":" + s + ",\"resource_id\":" + resource + ",\"db_id\":" + db
                + "}").path("data")).isEqualTo(counters);
        long other = database();
        assertAnswer(master().call("segments/get_counters", "{\"id\":" + s + ",\"resource_id\":" + resource
                + ",\"list_id\":" + other + "}"), 404, "segment " + s, "database " + other);
        assertAnswer(master().call("segments/get_counters", "{\"id\":" + s + ",\"resource_id\":" + resource
                + ",\"list_id\":" + db + ",\"db_id\":" + other + "}"), 400, "'list_id'", "'db_id'");
        // segments/refresh_counters: a task complete at once whose result holds the same counters
        String refresh = ok("segments/refresh_counters", "{\"id\":" + s + ",\"resource_id\":" + resource + ",\"list_id\":"
                + db + "}").path("data").path("task_id").asText();
        JsonNode refreshed = ok("tasks/status", "{\"task_id\":\"" + refresh + "\"}").path("data");
        assertThat(refreshed.path("status").asText()).isEqualTo("completed");
        assertThat(refreshed.path("result").path("type").asText()).isEqualTo("segment");
        assertThat(refreshed.path("result").path("source_id").asLong()).isEqualTo(s);
        assertThat(refreshed.path("result").path("counters")).isEqualTo(counters);
        assertAnswer(master().call("segments/refresh_counters", "{\"id\":" + s + ",\"resource_id\":" + resource
                + ",\"list_id\":" + other + "}"), 404, "segment " + s);
        assertAnswer(master().call("segments/refresh_counters", "{\"id\":" + s + "}"), 400, "'resource_id'");
        String task = ok("profiles/get_all", "{\"source_type\":\"segment\",\"source_id\":" + s + ",\"file_format\":\"json\"}")
                .path("data").path("task_id").asText();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        JsonNode status;
        do {
            status = ok("tasks/status", "{\"task_id\":\"" + task + "\"}").path("data");
        } while (!status.path("status").asText().matches("completed|failed") && Instant.now().isBefore(deadline));
        assertThat(status.path("status").asText()).as("%s", status).isEqualTo("completed");
        String url = status.path("result").path("urls").get(0).asText();
        TestServer.Response file = server.send(server.request(url).GET()
                .header("Authorization", "Bearer " + server.masterToken()));
        JsonNode exported = dev.roster.json.Json.readStored(file.body());
        assertThat(exported).hasSize(3);
        exported.forEach(p -> assertThat(p.path("_city").asText()).isEqualTo("Moscow"));
    }
}
