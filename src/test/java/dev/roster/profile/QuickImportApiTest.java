package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.testing.ApiTest;
import dev.roster.testing.TestServer.Response;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/integrations/any/profile_import} (docs/API.md, Quick import): flat parameters, answers by HTTP status.
 */
class QuickImportApiTest extends ApiTest {

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Response quick(String query, String contentType, String body) {
        HttpRequest.Builder request = server.request("/api/integrations/any/profile_import?" + query)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return server.send(request.header("Referer", "https://shop.example/signup"));
    }

    private static JsonNode get(long db, String email) {
        return master().ok("profiles/get", "{\"db_id\":" + db + ",\"email\":\"" + email + "\"}").path("data");
    }

    private static long count(long db) {
        return server.store().read(h -> h.createQuery("select count(*) from profiles where db_id = :db")
                .bind("db", db).mapTo(Long.class).one());
    }

    @Test
    void parametersInTheQueryCreateThenUpdate() {
        long db = createDatabase("quick-query");
        Response first = quick("token=" + server.masterToken() + "&db_id=" + db + "&email=" + q("quick@example.com")
                + "&_fname=Ivan", null, "");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("created").asBoolean()).isTrue();
        Response second = quick("token=" + server.masterToken() + "&db_id=" + db + "&email=" + q("QUICK@example.com")
                + "&_city=Moscow", null, "");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().path("profile_id").asText()).isEqualTo(first.json().path("profile_id").asText());
        JsonNode profile = get(db, "quick@example.com");
        assertThat(profile.path("_fname").asText()).isEqualTo("Ivan");
        assertThat(profile.path("_city").asText()).isEqualTo("Moscow");
        assertThat(profile.path("_regurl").asText()).isEqualTo("https://shop.example/signup");
        assertThat(count(db)).isEqualTo(1);
    }

    @Test
    void aFormBodyWithAResourceSubscribesTheContactsTheResourceHasChannelsFor() {
        long db = master().ok("databases/create", "{\"name\":\"quick-form\",\"phone_region\":\"RU\"}").path("data").path("id").asLong();
        long resource = master().ok("resources/create", "{\"name\":\"quick-form-r\",\"channels\":[\"email\"]}")
                .path("data").path("id").asLong();
        Response r = quick("token=" + server.masterToken(), "application/x-www-form-urlencoded",
                "db_id=" + db + "&resource_id=" + resource + "&email=" + q("form@example.com") + "&phone=" + q("8 900 111-22-33"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("skipped_subscriptions").get(0).path("channel").asText()).isEqualTo("sms");
        JsonNode profile = get(db, "form@example.com");
        assertThat(profile.path("phones").toString()).isEqualTo("[\"+79001112233\"]");
        assertThat(profile.path("subscriptions").size()).isEqualTo(1);
        assertThat(profile.path("subscriptions").get(0).path("channel").asText()).isEqualTo("email");
        assertThat(profile.path("subscriptions").get(0).path("resource_id").asLong()).isEqualTo(resource);
    }

    @Test
    void matchingByACustomFieldNameAndItsAmbiguity() {
        long db = createDatabase("quick-custom");
        master().ok("databases/fields_add", "{\"db_id\":" + db + ",\"name\":\"CRM_ID\",\"type\":\"string\"}");
        String token = "token=" + server.masterToken() + "&db_id=" + db + "&matching=CRM_ID&CRM_ID=42";
        assertThat(quick(token + "&_fname=A", null, "").status()).isEqualTo(200);
        assertThat(quick(token + "&_fname=B", null, "").json().path("created").asBoolean()).isFalse();
        assertThat(count(db)).isEqualTo(1);
        master().ok("profiles/add", "{\"db_id\":" + db + ",\"data\":{\"CRM_ID\":\"42\"}}");
        Response ambiguous = quick(token + "&_fname=C", null, "");
        assertThat(ambiguous.status()).isEqualTo(409);
        assertThat(ambiguous.errorText()).contains("ambiguous").contains("CRM_ID");
    }

    @Test
    void refusalsAnswerByHttpStatusAndChangeNothing() {
        long db = createDatabase("quick-refusals");
        assertThat(quick("db_id=" + db + "&email=" + q("x@example.com"), null, "").status()).isEqualTo(403);
        assertThat(quick("token=0123456789abcdef0123456789abcdef&db_id=" + db + "&email=" + q("x@example.com"), null, "")
                .status()).isEqualTo(403);
        String token = "token=" + server.masterToken();
        assertThat(quick(token + "&db_id=424242&email=" + q("x@example.com"), null, "").status()).isEqualTo(404);
        Response noField = server.send(server.request("/api/integrations/any/profile_import?" + token + "&db_id=" + db)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(noField.status()).isEqualTo(400);
        assertThat(noField.errorText()).contains("at least one database field");
        assertThat(quick(token + "&db_id=" + db + "&email=" + q("x@example.com") + "&trigger_id=5", null, "").errorText())
                .contains("trigger_id");
        assertThat(quick(token + "&db_id=" + db + "&email=not-an-email", null, "").status()).isEqualTo(400);
        assertThat(quick(token + "&db_id=" + db + "&email=" + q("x@example.com") + "&colour=red", null, "").errorText())
                .contains("unknown field 'colour'");
        assertThat(count(db)).isZero();
        // not reachable as a v1.1 method
        assertThat(master().call("any/profile_import", "{}").code()).isEqualTo(404);
    }
}
