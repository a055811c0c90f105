package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.json.Json;
import dev.roster.testing.ApiTest;
import dev.roster.testing.TestServer.Response;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** profiles/import_batch, update_batch and add_batch: one result per item, in order; limits; duplicates. */
class BatchApiTest extends ApiTest {

    private static long profileCount(long db) {
        return server.store().read(h -> h.createQuery("select count(*) from profiles where db_id = :db")
                .bind("db", db).mapTo(Long.class).one());
    }

    private static ObjectNode batch(long db, ArrayNode items) {
        ObjectNode body = Json.object();
        body.put("db_id", db);
        body.set("data", items);
        return body;
    }

    @Test
    void tenThousandItemsWithTenBadOnesApplyTheRestAndReportTheTenExactly() {
        long db = createDatabase("batch-10k");
        ArrayNode items = Json.array();
        Set<Integer> bad = Set.of(3, 777, 1500, 2048, 4000, 5555, 7001, 8192, 9000, 9999);
        for (int i = 0; i < 10_000; i++) {
            ObjectNode item = items.addObject();
            item.put("email", "user" + i + "@example.com");
            item.put("_fname", "User " + i);
            if (bad.contains(i)) {
                item.put("_bdate", "not a date " + i);
            }
        }
        JsonNode answer = master().ok("profiles/import_batch", batch(db, items));
        JsonNode result = answer.path("result");
        assertThat(result.size()).isEqualTo(10_000);
        Set<Integer> failed = new HashSet<>();
        for (int i = 0; i < result.size(); i++) {
            JsonNode r = result.get(i);
            if (r.path("error").asInt() != 0) {
                failed.add(i);
                assertThat(r.path("error").asInt()).isEqualTo(400);
                assertThat(r.path("error_text").asText()).contains("_bdate").contains("not a date " + i);
                assertThat(r.has("profile_id")).isFalse();
            } else {
                assertThat(r.path("profile_id").asText()).matches("[0-9a-f]{24}");
                assertThat(r.path("created").asBoolean()).isTrue();
            }
        }
        assertThat(failed).isEqualTo(bad);
        assertThat(profileCount(db)).isEqualTo(9_990);
        JsonNode one = master().ok("profiles/get", "{\"db_id\":" + db + ",\"email\":\"user42@example.com\"}").path("data");
        assertThat(one.path("_fname").asText()).isEqualTo("User 42");
        assertThat(one.path("id").asText()).isEqualTo(result.get(42).path("profile_id").asText());
        assertThat(master().call("profiles/get", "{\"db_id\":" + db + ",\"email\":\"user777@example.com\"}").code())
                .isEqualTo(404);

        // again: every item now updates
        JsonNode again = master().ok("profiles/import_batch", batch(db, items)).path("result");
        assertThat(again.get(0).path("created").asBoolean()).isFalse();
        assertThat(again.get(0).path("profile_id").asText()).isEqualTo(result.get(0).path("profile_id").asText());
        assertThat(profileCount(db)).isEqualTo(9_990);
    }

    @Test
    void duplicatesInsideABatchResolveInOrderAndBothResultsSaySo() {
        long db = createDatabase("batch-duplicates");
        ArrayNode items = Json.array();
        items.addObject().put("email", "twin@example.com").put("_fname", "First").put("_city", "Moscow");
        items.addObject().put("email", "other@example.com");
        items.addObject().put("email", "TWIN@example.com").put("_fname", "Second");
        JsonNode result = master().ok("profiles/import_batch", batch(db, items)).path("result");
        assertThat(result.get(0).path("profile_id").asText()).isEqualTo(result.get(2).path("profile_id").asText());
        assertThat(result.get(0).path("created").asBoolean()).isTrue();
        assertThat(result.get(2).path("created").asBoolean()).isFalse();
        assertThat(result.get(0).path("batch_duplicates").toString()).isEqualTo("[2]");
        assertThat(result.get(2).path("batch_duplicates").toString()).isEqualTo("[0]");
        assertThat(result.get(1).has("batch_duplicates")).isFalse();
        JsonNode twin = master().ok("profiles/get", "{\"db_id\":" + db + ",\"email\":\"twin@example.com\"}").path("data");
        assertThat(twin.path("_fname").asText()).isEqualTo("Second");
        assertThat(twin.path("_city").asText()).isEqualTo("Moscow");
        assertThat(profileCount(db)).isEqualTo(2);
    }

    @Test
    void moreThanTenThousandItemsIs413AndAppliesNothing() {
        long db = createDatabase("batch-too-many");
        ArrayNode items = Json.array();
        for (int i = 0; i < 10_001; i++) {
            items.addObject().put("email", "u" + i + "@example.com");
        }
        Response r = master().call("profiles/import_batch", batch(db, items));
        assertThat(r.code()).isEqualTo(413);
        assertThat(r.errorText()).contains("10000");
        assertThat(profileCount(db)).isZero();
    }

    @Test
    void aBodyOverTenMegabytesIs413AndAppliesNothing() {
        long db = createDatabase("batch-too-big");
        ArrayNode items = Json.array();
        String padding = "x".repeat(60_000);
        for (int i = 0; i < 180; i++) {
            items.addObject().put("email", "big" + i + "@example.com").put("_city", padding);
        }
        Response r = master().call("profiles/import_batch", batch(db, items));
        assertThat(r.code()).isEqualTo(413);
        assertThat(profileCount(db)).isZero();
    }

    @Test
    void updateBatchNeverCreatesAndKeepsWhatMinusOneSays() {
        long db = createDatabase("batch-update");
        long resource = master().ok("resources/create", "{\"name\":\"batch-update-r\",\"channels\":[\"email\"]}")
                .path("data").path("id").asLong();
        master().ok("profiles/import", "{\"db_id\":" + db + ",\"email\":\"known@example.com\",\"data\":{\"email\":"
                + "\"known@example.com\",\"subscriptions\":[{\"channel\":\"email\",\"email\":\"known@example.com\","
                + "\"resource_id\":" + resource + ",\"status\":\"unsubscribed\",\"priority\":7}]}}");
        ArrayNode items = Json.array();
        ObjectNode known = items.addObject().put("email", "known@example.com").put("_fname", "Known");
        known.putArray("subscriptions").addObject().put("channel", "email").put("email", "known@example.com")
                .put("resource_id", resource).put("status", -1).put("priority", -1);
        items.addObject().put("email", "stranger@example.com").put("_fname", "Nobody");
        JsonNode result = master().ok("profiles/update_batch", batch(db, items)).path("result");
        assertThat(result.get(0).path("error").asInt()).isZero();
        assertThat(result.get(0).has("created")).isFalse();
        assertThat(result.get(1).path("error").asInt()).isEqualTo(404);
        assertThat(profileCount(db)).isEqualTo(1);
        JsonNode profile = master().ok("profiles/get", "{\"db_id\":" + db + ",\"email\":\"known@example.com\"}").path("data");
        assertThat(profile.path("_fname").asText()).isEqualTo("Known");
        assertThat(profile.path("subscriptions").get(0).path("status").asText()).isEqualTo("unsubscribed");
        assertThat(profile.path("subscriptions").get(0).path("priority").asInt()).isEqualTo(7);
    }

    @Test
    void addBatchAlwaysCreatesAndRefusesATakenKeyPerItem() {
        long db = createDatabase("batch-add");
        ArrayNode items = Json.array();
        items.addObject().put("email", "a1@example.com");
        items.addObject().put("email", "a1@example.com");
        items.add(Json.tree("not an object"));
        items.addObject();
        JsonNode result = master().ok("profiles/add_batch", batch(db, items)).path("result");
        assertThat(result.get(0).path("error").asInt()).isZero();
        assertThat(result.get(1).path("error").asInt()).isEqualTo(409);
        assertThat(result.get(1).path("error_text").asText()).contains("a1@example.com")
                .contains(result.get(0).path("profile_id").asText());
        assertThat(result.get(2).path("error").asInt()).isEqualTo(400);
        assertThat(result.get(2).path("error_text").asText()).contains("data[2]");
        assertThat(result.get(3).path("error").asInt()).isZero();
        assertThat(profileCount(db)).isEqualTo(2);
    }

    @Test
    void batchParametersAreCheckedBeforeAnything() {
        long db = createDatabase("batch-params");
        assertThat(master().call("profiles/import_batch", "{\"db_id\":" + db + "}").errorText()).contains("'data'");
        assertThat(master().call("profiles/import_batch", "{\"db_id\":" + db + ",\"data\":{}}").errorText())
                .contains("'data'").contains("array");
        Response badMatching = master().call("profiles/import_batch",
                "{\"db_id\":" + db + ",\"data\":[{\"email\":\"x@example.com\"}],\"matching\":\"nope\"}");
        assertThat(badMatching.code()).isEqualTo(400);
        assertThat(badMatching.errorText()).contains("'matching'").contains("nope");
        Response unknownDb = master().call("profiles/import_batch", "{\"db_id\":424242,\"data\":[{\"email\":\"x@example.com\"}]}");
        assertThat(unknownDb.code()).isEqualTo(404);
        assertThat(unknownDb.errorText()).contains("database 424242");
        assertThat(profileCount(db)).isZero();
    }
}
