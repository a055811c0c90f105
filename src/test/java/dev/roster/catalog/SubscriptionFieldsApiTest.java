package dev.roster.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.testing.ApiTest;
import dev.roster.testing.StoreRows;
import dev.roster.testing.TestServer.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * resources/fields_get (docs/API.md) and resources/fields_add (a Roster extension), and custom_fields of
 * subscriptions checked against the typed fields of their resource's channel.
 */
class SubscriptionFieldsApiTest extends ApiTest {
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static long resource(String channels) {
        return master().ok("resources/create", "{\"name\":\"sf-" + NAMES.incrementAndGet() + "\",\"channels\":"
                + channels + "}").path("data").path("id").asLong();
    }

    private static JsonNode fields(long resource, String channel) {
        return master().ok("resources/fields_get", "{\"id\":" + resource + ",\"channel\":\"" + channel + "\"}")
                .path("data");
    }

    private static List<String> names(JsonNode fields, String category) {
        List<String> out = new ArrayList<>();
        fields.forEach(f -> {
            if (f.path("category").asText().equals(category)) {
                out.add(f.path("name").asText());
            }
        });
        return out;
    }

    private static String importWith(long db, long resource, String email, String customFields, boolean skipInvalid) {
        return "{\"db_id\":" + db + ",\"email\":\"" + email + "\",\"skip_invalid_subscriptions\":" + skipInvalid
                + ",\"data\":{\"email\":\"" + email + "\",\"subscriptions\":[{\"resource_id\":" + resource
                + ",\"channel\":\"email\",\"email\":\"" + email + "\",\"custom_fields\":" + customFields + "}]}}";
    }

    @Test
    void fieldsGetListsTheSystemFieldsThenTheCustomOnesOfTheChannel() {
        long r = resource("[\"email\",\"push\"]");
        JsonNode email = fields(r, "email");
        assertThat(names(email, "system")).startsWith("_device_type", "_device_model", "_device_name", "_os", "_os_ver")
                .contains("_ad_track", "_app_iid", "_browser_name");
        assertThat(names(email, "custom")).isEmpty();
        JsonNode deviceType = email.get(0);
        assertThat(deviceType.toString()).isEqualTo("{\"category\":\"system\",\"title\":\"Device type\","
                + "\"name\":\"_device_type\",\"required\":false,\"type\":\"unicode\",\"dictionary\":\"devices\"}");

        master().ok("resources/fields_add", "{\"id\":" + r + ",\"channel\":\"email\",\"name\":\"visits\",\"type\":\"int\","
                + "\"title\":\"Visits\"}");
        master().ok("resources/fields_add", "{\"id\":" + r + ",\"channel\":\"email\",\"name\":\"source\",\"type\":\"unicode\"}");
        master().ok("resources/fields_add", "{\"id\":" + r + ",\"channel\":\"email\",\"name\":\"plan\",\"type\":\"enum\","
                + "\"options\":[\"free\",\"paid\"]}");
        JsonNode after = fields(r, "email");
        assertThat(names(after, "custom")).containsExactly("visits", "source", "plan");
        JsonNode visits = after.get(after.size() - 3);
        assertThat(visits.toString()).isEqualTo("{\"category\":\"custom\",\"title\":\"Visits\",\"name\":\"visits\","
                + "\"required\":false,\"type\":\"int\"}");
        assertThat(after.get(after.size() - 2).path("title").asText()).isEqualTo("source");
        assertThat(after.get(after.size() - 2).path("type").asText()).isEqualTo("string");
        assertThat(after.get(after.size() - 1).path("options").toString()).isEqualTo("[\"free\",\"paid\"]");
        // custom fields belong to one channel
        assertThat(names(fields(r, "push"), "custom")).isEmpty();
    }

    @Test
    void customFieldsOfSubscriptionsAreCheckedAgainstTheTypedFields() {
        long db = createDatabase("sf-db-" + NAMES.incrementAndGet());
        long r = resource("[\"email\"]");
        master().ok("resources/fields_add", "{\"id\":" + r + ",\"channel\":\"email\",\"name\":\"visits\",\"type\":\"int\"}");

        // typed values are stored in their type (numbers sent as text too), functions use the type, other names stay free
        master().ok("profiles/import", importWith(db, r, "typed@example.com",
                "{\"visits\":\"3\",\"_ad_track\":\"true\",\"free_form\":{\"any\":[1]}}", false));
        JsonNode sub = master().ok("profiles/get", "{\"db_id\":" + db + ",\"email\":\"typed@example.com\"}")
                .path("data").path("subscriptions").get(0);
        assertThat(sub.path("custom_fields").toString()).isEqualTo("{\"visits\":3,\"_ad_track\":true,\"free_form\":{\"any\":[1]}}");
        master().ok("profiles/import", importWith(db, r, "typed@example.com",
                "{\"Visits\":{\"action\":\"incr\",\"value\":2}}", false));
        sub = master().ok("profiles/get", "{\"db_id\":" + db + ",\"email\":\"typed@example.com\"}")
                .path("data").path("subscriptions").get(0);
        assertThat(sub.path("custom_fields").path("visits").asInt()).isEqualTo(5);

        // a wrong type is a 400 naming the field and the subscription, and changes nothing
        Map<String, List<String>> before = StoreRows.rows(server.store());
        Response wrong = master().call("profiles/import", importWith(db, r, "typed@example.com", "{\"visits\":\"many\"}", false));
        assertThat(wrong.code()).as(wrong.body()).isEqualTo(400);
        assertThat(wrong.errorText()).contains("data.subscriptions[0]").contains("custom_fields.visits").contains("many");
        String profileId = master().ok("profiles/get", "{\"db_id\":" + db + ",\"email\":\"typed@example.com\"}")
                .path("data").path("id").asText();
        Response wrongSet = master().call("subscriptions/set", "{\"db_id\":" + db + ",\"profile_id\":\"" + profileId
                + "\",\"resource_id\":" + r
                + ",\"channel\":\"email\",\"email\":\"typed@example.com\",\"custom_fields\":{\"_ad_track\":[1]}}");
        assertThat(wrongSet.code()).as(wrongSet.body()).isEqualTo(400);
        assertThat(wrongSet.errorText()).contains("custom_fields._ad_track");
        assertThat(StoreRows.rows(server.store())).isEqualTo(before);

        // with skip_invalid_subscriptions the subscription is skipped with the reason, the profile is written
        JsonNode skipped = master().ok("profiles/import", importWith(db, r, "other@example.com", "{\"visits\":1.5}", true));
        assertThat(skipped.path("skipped_subscriptions").get(0).path("reason").asText()).contains("custom_fields.visits");
    }

    @Test
    void badInputIsRefusedAndChangesNothing() {
        long r = resource("[\"email\"]");
        master().ok("resources/fields_add", "{\"id\":" + r + ",\"channel\":\"email\",\"name\":\"score\",\"type\":\"float\"}");
        Map<String, List<String>> before = StoreRows.rows(server.store());
        refused("resources/fields_get", "{\"channel\":\"email\"}", 400, "'id'");
        refused("resources/fields_get", "{\"id\":" + r + "}", 400, "'channel'");
        refused("resources/fields_get", "{\"id\":999999,\"channel\":\"email\"}", 404, "resource 999999 not found");
        refused("resources/fields_get", "{\"id\":" + r + ",\"channel\":\"fax\"}", 400, "channel");
        refused("resources/fields_get", "{\"id\":" + r + ",\"channel\":\"sms\"}", 400, "not enabled");
        String ok = "\"id\":" + r + ",\"channel\":\"email\",\"name\":\"n1\",\"type\":\"int\"";
        refused("resources/fields_add", "{" + ok.replace("\"id\":" + r, "\"id\":999999") + "}", 404, "resource 999999");
        refused("resources/fields_add", "{" + ok.replace("email", "sms") + "}", 400, "not enabled");
        refused("resources/fields_add", "{" + ok.replace("\"int\"", "\"integer\"") + "}", 400, "type");
        refused("resources/fields_add", "{" + ok.replace("n1", "_os") + "}", 400, "name");
        refused("resources/fields_add", "{" + ok.replace("n1", "bad name") + "}", 400, "name");
        refused("resources/fields_add", "{" + ok.replace("n1", "SCORE") + "}", 409, "already has a subscription field named");
        refused("resources/fields_add", "{" + ok.replace("\"int\"", "\"enum\"") + "}", 400, "options");
        refused("resources/fields_add", "{" + ok + ",\"options\":[\"a\"]}", 400, "options");
        refused("resources/fields_add", "{" + ok + ",\"unique\":true}", 400, "unique");
        refused("resources/fields_add", "{\"id\":" + r + ",\"channel\":\"email\",\"type\":\"int\"}", 400, "'name'");
        assertThat(StoreRows.rows(server.store())).isEqualTo(before);

        // a token without catalog.write cannot add, and one without catalog.read cannot list
        String reader = master().ok("tokens/create", "{\"name\":\"reader\",\"permissions\":[\"catalog.read\"]}")
                .path("data").path("token").asText();
        assertThat(server.client(reader).call("resources/fields_add", "{" + ok + "}").code()).isEqualTo(403);
        String writer = master().ok("tokens/create", "{\"name\":\"writer\",\"permissions\":[\"profiles.write\"]}")
                .path("data").path("token").asText();
        assertThat(server.client(writer).call("resources/fields_get", "{\"id\":" + r + ",\"channel\":\"email\"}")
                .code()).isEqualTo(403);
    }

    @Test
    void fieldsGoWithTheirResource() {
        long r = resource("[\"email\"]");
        master().ok("resources/fields_add", "{\"id\":" + r + ",\"channel\":\"email\",\"name\":\"gone\",\"type\":\"int\"}");
        master().ok("resources/delete", "{\"id\":" + r + "}");
        long count = server.store().read(h -> h.createQuery("select count(*) from resource_fields where resource_id = :r")
                .bind("r", r).mapTo(Long.class).one());
        assertThat(count).isZero();
    }

    private static void refused(String method, String body, int code, String fragment) {
        Response response = master().call(method, body);
        assertThat(response.code()).as(method + " " + body + " -> " + response.body()).isEqualTo(code);
        assertThat(response.errorText()).as(response.body()).contains(fragment);
    }
}
