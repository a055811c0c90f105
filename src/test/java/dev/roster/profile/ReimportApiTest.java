package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.testing.StoreRows;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The nightly re-import: the same profiles sent again change nothing at all (no row written, no history event, no
 * key given up and claimed again) and still answer "matched"; one changed field writes exactly that change.
 */
class ReimportApiTest extends ProfileApiSupport {

    static Map<String, List<String>> snapshot() {
        return StoreRows.rowsAndVersions(server.store());
    }

    private static String body(long db, long resource, int i, String name) {
        String email = "re" + i + "@example.com";
        return "{\"db_id\":" + db + ",\"matching\":\"email\",\"email\":\"" + email + "\",\"data\":" + item(resource, i, name) + "}";
    }

    private static String item(long resource, int i, String name) {
        String email = "re" + i + "@example.com";
        return "{\"email\":\"" + email
                + "\",\"_fname\":\"" + name + "\",\"phones\":[\"+7900000" + String.format("%04d", i) + "\"],"
                + "\"CRM\":\"c" + i + "\",\"subscriptions\":[{\"channel\":\"email\",\"email\":\"" + email
                + "\",\"resource_id\":" + resource + "}]}";
    }

    @Test
    void aSameBodyProfilesImportWritesNothingAndAnswersMatched() {
        long db = database();
        field(db, "CRM", "string");
        long resource = resource("email", "sms");
        JsonNode first = ok("profiles/import", body(db, resource, 1, "Ivan"));
        assertThat(first.path("created").asBoolean()).isTrue();
        Map<String, List<String>> before = snapshot();

        JsonNode again = ok("profiles/import", body(db, resource, 1, "Ivan"));

        assertThat(again.path("created").asBoolean()).as("%s", again).isFalse();
        assertThat(again.path("profile_id").asText()).isEqualTo(first.path("profile_id").asText());
        assertThat(snapshot()).as("store after the same body again").isEqualTo(before);
    }

    @Test
    void aSameBodyBatchWritesNothingAndAOneFieldChangeWritesExactlyThatChange() {
        long db = database();
        field(db, "CRM", "string");
        long resource = resource("email", "sms");
        JsonNode first = ok("profiles/import_batch", batch(db, resource, "Ivan"));
        for (JsonNode item : first.path("result")) {
            assertThat(item.path("created").asBoolean()).as("%s", item).isTrue();
        }
        Map<String, List<String>> before = snapshot();
        List<JsonNode> profilesBefore = profiles(db);

        JsonNode again = ok("profiles/import_batch", batch(db, resource, "Ivan"));

        for (int i = 0; i < 20; i++) {
            JsonNode item = again.path("result").get(i);
            assertThat(item.path("error").asInt()).as("%s", item).isZero();
            assertThat(item.path("created").asBoolean()).as("%s", item).isFalse();
            assertThat(item.path("profile_id").asText()).isEqualTo(first.path("result").get(i).path("profile_id").asText());
        }
        assertThat(snapshot()).as("store after the same batch again").isEqualTo(before);

        long eventsBefore = count("select count(*) from history_events where db_id = :db", db);
        JsonNode changed = ok("profiles/import_batch", batch(db, resource, "Petr"));
        for (JsonNode item : changed.path("result")) {
            assertThat(item.path("created").asBoolean()).as("%s", item).isFalse();
        }
        List<JsonNode> profilesAfter = profiles(db);
        for (int i = 0; i < 20; i++) {
            JsonNode was = profilesBefore.get(i).deepCopy();
            JsonNode now = profilesAfter.get(i);
            assertThat(now.path("_fname").asText()).isEqualTo("Petr");
            assertThat(now.path("_updatetime").asText()).isNotEqualTo(was.path("_updatetime").asText());
            ((com.fasterxml.jackson.databind.node.ObjectNode) was).put("_fname", "Petr");
            ((com.fasterxml.jackson.databind.node.ObjectNode) was).set("_updatetime", now.path("_updatetime"));
            assertThat(now).as("profile %s: only _fname changed", i).isEqualTo(was);
        }
        // one event per profile, naming only the changed field
        assertThat(count("select count(*) from history_events where db_id = :db", db)).isEqualTo(eventsBefore + 20);
        JsonNode history = ok("subscribers/history_get", "{\"list_id\":" + db + ",\"email\":\"re103@example.com\"}")
                .path("data");
        JsonNode last = history.get(history.size() - 1);
        assertThat(last.path("detail").path("fields").size()).as("%s", last).isEqualTo(1);
        assertThat(last.path("detail").path("fields").path("_fname").path("new").asText()).isEqualTo("Petr");
        // the subscriptions and keys were not touched by the field change
        Map<String, List<String>> after = snapshot();
        for (String table : List.of("subscriptions", "profile_keys", "profile_lookups")) {
            assertThat(after.get(table)).as(table).isEqualTo(before.get(table));
            assertThat(after.get(table + "#versions")).as(table + " row versions").isEqualTo(before.get(table + "#versions"));
        }
    }

    private static String batch(long db, long resource, String name) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            items.add(item(resource, 100 + i, name));
        }
        return "{\"db_id\":" + db + ",\"matching\":\"email\",\"data\":[" + String.join(",", items) + "]}";
    }

    private static List<JsonNode> profiles(long db) {
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            out.add(get(db, "\"email\":\"re" + (100 + i) + "@example.com\""));
        }
        return out;
    }
}
