package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.json.Json;
import dev.roster.testing.TestServer.ApiClient;
import dev.roster.testing.TestServer.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The article "Import or update a profile" (the product's seed): its request bodies, kept verbatim under
 * {@code src/test/resources/seed/import-or-update-a-profile/}, replayed in order with the token in the body as the
 * article sends it. Only the token and the ids are replaced.
 */
class SeedArticleApiTest extends ProfileApiSupport {
    private static final String ARTICLE_TOKEN = "abcdefghklmnopqrstzxc";
    private static final String ARTICLE_EMAIL = "i.petrov@example.com";

    /** A client that sends no Authorization header: the token travels in the body, as in the article. */
    private static ApiClient postman() {
        return server.client(null);
    }

    private static ObjectNode article(String file) {
        String path = "/seed/import-or-update-a-profile/" + file;
        try (InputStream in = SeedArticleApiTest.class.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return (ObjectNode) Json.MAPPER.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(path, e);
        }
    }

    /** The article's request with its token and its ids (database #5, resource #1) replaced by the test's. */
    private static ObjectNode request(String file, long db, long resource) {
        ObjectNode body = article(file);
        assertThat(body.path("token").asText()).isEqualTo(ARTICLE_TOKEN);
        assertThat(body.path("db_id").asLong()).isEqualTo(5);
        body.put("token", server.masterToken());
        body.put("db_id", db);
        for (JsonNode s : body.path("data").path("subscriptions")) {
            assertThat(s.path("resource_id").asLong()).isEqualTo(1);
            ((ObjectNode) s).put("resource_id", resource);
        }
        return body;
    }

    /** A matching snippet of the article made a request: token and db_id added. */
    private static ObjectNode snippet(String file, long db) {
        ObjectNode body = Json.object();
        body.put("token", server.masterToken());
        body.put("db_id", db);
        body.setAll(article(file));
        return body;
    }

    private record Article(long db, long resource, String profileId) {
    }

    /** The three requests of the article on a new database and resource, each checked. */
    private static Article replay() {
        long db = database();
        long resource = resource("email", "sms", "push");

        // Adding a new profile
        Response added = postman().call("profiles/import", request("1-adding-a-new-profile.json", db, resource));
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        assertThat(added.error()).isZero();
        assertThat(added.errorText()).isEqualTo("Successful operation");
        String id = added.json().path("profile_id").asText();
        assertThat(ObjectIds.isValid(id)).as(id).isTrue();
        assertThat(added.json().path("created").asBoolean()).isTrue();
        assertThat(profileCount(db)).isEqualTo(1);
        JsonNode profile = getById(db, id);
        assertThat(profile.path("email").asText()).isEqualTo(ARTICLE_EMAIL);
        assertThat(profile.path("subscriptions").isEmpty()).isTrue();

        // Updating profile data
        Response updated = postman().call("profiles/import", request("2-updating-profile-data.json", db, resource));
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().path("profile_id").asText()).isEqualTo(id);
        assertThat(updated.json().path("created").isBoolean()).isTrue();
        assertThat(updated.json().path("created").asBoolean()).isFalse();
        assertThat(profileCount(db)).isEqualTo(1);
        profile = getById(db, id);
        assertIvan(profile);
        assertThat(profile.path("subscriptions").isEmpty()).isTrue();

        // Adding subscriptions to a profile
        Response subscribed = postman().call("profiles/import", request("3-adding-subscriptions.json", db, resource));
        assertThat(subscribed.status()).as(subscribed.body()).isEqualTo(200);
        assertThat(subscribed.json().path("profile_id").asText()).isEqualTo(id);
        assertThat(subscribed.json().path("created").asBoolean()).isFalse();
        assertThat(profileCount(db)).isEqualTo(1);
        profile = getById(db, id);
        assertIvan(profile);
        assertArticleSubscriptions(profile.path("subscriptions"), resource);
        return new Article(db, resource, id);
    }

    private static void assertIvan(JsonNode profile) {
        assertThat(profile.path("email").asText()).isEqualTo(ARTICLE_EMAIL);
        assertThat(profile.path("_fname").asText()).isEqualTo("Ivan");
        assertThat(profile.path("_lname").asText()).isEqualTo("Petrov");
        assertThat(profile.path("_sex").asText()).isEqualTo("male");
        assertThat(profile.path("_bdate").asText()).isEqualTo("1990-01-15T12:00:00Z");
        assertThat(profile.path("_city").asText()).isEqualTo("Moscow");
        assertThat(profile.path("phones").toString()).isEqualTo("[\"+79000000000\"]");
    }

    private static void assertArticleSubscriptions(JsonNode subscriptions, long resource) {
        assertThat(subscriptions.size()).isEqualTo(3);
        List<String> channels = new ArrayList<>();
        for (JsonNode s : subscriptions) {
            channels.add(s.path("channel").asText());
            assertThat(s.path("resource_id").asLong()).isEqualTo(resource);
            assertThat(s.path("status").asText()).isEqualTo("subscribed");
            assertThat(s.path("is_delete").isBoolean()).isTrue();
            assertThat(s.path("is_delete").asBoolean()).isFalse();
            assertThat(s.path("hash_id").asText()).matches("[0-9a-f]{8}");
            switch (s.path("channel").asText()) {
                case "email" -> {
                    assertThat(s.path("email_data").path("email").asText()).isEqualTo(ARTICLE_EMAIL);
                    assertThat(s.path("email_data").path("domain").asText()).isEqualTo("example.com");
                    assertThat(s.path("email_data").path("md5").asText()).isEqualTo(md5(ARTICLE_EMAIL));
                }
                case "sms" -> assertThat(s.path("sms_data").path("phone").asText()).isEqualTo("+79000000000");
                case "push" -> {
                    assertThat(s.path("push_data").path("provider").asText()).isEqualTo("Firefox");
                    assertThat(s.path("push_data").path("subscription_id").asText()).isEqualTo("abcdefghijklmnqrstuvwxyz");
                }
                default -> throw new AssertionError("unexpected subscription " + s);
            }
        }
        assertThat(channels).containsExactlyInAnyOrder("email", "sms", "push");
    }

    @Test
    void theArticlesThreeRequestsCreateUpdateAndSubscribe() {
        Article article = replay();
        JsonNode profile = getById(article.db(), article.profileId());
        assertThat(profile.path("id").asText()).isEqualTo(article.profileId());
        assertThat(profile.path("db_id").asLong()).isEqualTo(article.db());
        assertThat(profile.path("_md5").asText()).isEqualTo(md5(ARTICLE_EMAIL));
        assertThat(profile.path("_emaildomain").asText()).isEqualTo("example.com");
    }

    @Test
    void replayingTheArticleAgainChangesNothing() {
        Article article = replay();
        List<String> before = state(article.db());
        for (String file : new String[] {"1-adding-a-new-profile.json", "2-updating-profile-data.json",
            "3-adding-subscriptions.json"}) {
            Response again = postman().call("profiles/import", request(file, article.db(), article.resource()));
            assertThat(again.error()).as(again.body()).isZero();
            assertThat(again.json().path("profile_id").asText()).isEqualTo(article.profileId());
            assertThat(again.json().path("created").asBoolean()).isFalse();
        }
        // the first request does not mention the other fields or the subscriptions: import is partial
        assertThat(state(article.db())).isEqualTo(before);
    }

    @Test
    void matchingIsNotMandatoryAndDefaultsToEmail() {
        Article article = replay();
        ObjectNode withoutMatching = request("1-adding-a-new-profile.json", article.db(), article.resource());
        withoutMatching.remove("matching");
        Response r = postman().call("profiles/import", withoutMatching);
        assertThat(r.error()).as(r.body()).isZero();
        assertThat(r.json().path("profile_id").asText()).isEqualTo(article.profileId());
        assertThat(profileCount(article.db())).isEqualTo(1);
    }

    @Test
    void theArticlesMatchingExamplesFindTheProfile() {
        Article article = replay();
        long db = article.db();
        uniqueField(db, "CRM_ID", "string");
        ObjectNode crm = request("1-adding-a-new-profile.json", db, article.resource());
        ((ObjectNode) crm.path("data")).put("CRM_ID", "12345");
        assertThat(postman().ok("profiles/import", crm).path("profile_id").asText()).isEqualTo(article.profileId());

        // by phone
        JsonNode byPhone = postman().ok("profiles/get", snippet("matching-phone.json", db)).path("data");
        assertThat(byPhone.path("id").asText()).isEqualTo(article.profileId());
        assertIvan(byPhone);

        // by profile id: the article's example id is only a placeholder, so the test puts in the real one
        ObjectNode byIdRequest = snippet("matching-profile-id.json", db);
        Response placeholder = postman().call("profiles/get", byIdRequest);
        assertError(placeholder, 400, "'profile_id'", "012452gf62fcd71fjh8ec0");
        byIdRequest.put("profile_id", article.profileId());
        JsonNode byId = postman().ok("profiles/get", byIdRequest).path("data");
        assertThat(byId.path("id").asText()).isEqualTo(article.profileId());

        // by a custom field
        JsonNode byCrm = postman().ok("profiles/get", snippet("matching-custom.json", db)).path("data");
        assertThat(byCrm.path("id").asText()).isEqualTo(article.profileId());
        assertThat(byCrm.path("CRM_ID").asText()).isEqualTo("12345");

        // by email: the article's example address is another customer, not in this database
        Response byEmail = postman().call("profiles/get", snippet("matching-email.json", db));
        assertError(byEmail, 404, "profile not found", "'email'");

        // the same matching parameters on import update Ivan (the article: "the query will update its data")
        for (String file : new String[] {"matching-phone.json", "matching-custom.json"}) {
            ObjectNode update = snippet(file, db);
            update.set("data", Json.object().put("_city", "Saint Petersburg " + file));
            Response r = postman().call("profiles/import", update);
            assertThat(r.error()).as(r.body()).isZero();
            assertThat(r.json().path("profile_id").asText()).isEqualTo(article.profileId());
            assertThat(r.json().path("created").asBoolean()).isFalse();
            assertThat(getById(db, article.profileId()).path("_city").asText()).isEqualTo("Saint Petersburg " + file);
        }
        ObjectNode byIdImport = snippet("matching-profile-id.json", db);
        byIdImport.put("profile_id", article.profileId());
        byIdImport.set("data", Json.object().put("_city", "Moscow"));
        assertThat(postman().ok("profiles/import", byIdImport).path("profile_id").asText()).isEqualTo(article.profileId());
        assertIvan(getById(db, article.profileId()));
        assertThat(profileCount(db)).isEqualTo(1);
    }

    @Test
    void theArticlesEmailExampleCreatesThatCustomerWhenImported() {
        Article article = replay();
        long db = article.db();
        ObjectNode body = snippet("matching-email.json", db);
        body.set("data", Json.object());
        Response created = postman().call("profiles/import", body);
        assertThat(created.error()).as(created.body()).isZero();
        assertThat(created.json().path("created").asBoolean()).isTrue();
        String id = created.json().path("profile_id").asText();
        assertThat(id).isNotEqualTo(article.profileId());
        // the profile found by this matching from now on is the one just created
        assertThat(postman().ok("profiles/get", snippet("matching-email.json", db)).path("data").path("id").asText())
                .isEqualTo(id);
        Response again = postman().call("profiles/import", body);
        assertThat(again.json().path("profile_id").asText()).as(again.body()).isEqualTo(id);
        assertThat(profileCount(db)).isEqualTo(2);
    }
}
