package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.testing.TestServer.Response;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bad input to the profile methods: each is refused with the right code and a text naming the parameter or field,
 * and nothing in the database changes (read back after every refusal).
 */
class BadInputApiTest extends ProfileApiSupport {
    private static final String TAKEN = "anna@example.com";

    /** A database with custom fields of every type, one profile and one resource. */
    private record Fixture(long db, long resource, String anna, String bob) {
    }

    private static Fixture fixture() {
        long db = database();
        long resource = resource("email");
        field(db, "LOYALTY", "int");
        field(db, "SCORE", "float");
        field(db, "SEEN", "date");
        field(db, "VIP", "bool");
        enumField(db, "TIER", "gold", "silver");
        field(db, "LAST_IP", "ip");
        field(db, "TAGS", "tags");
        field(db, "PREFS", "object");
        field(db, "ORDERS", "arr_object");
        uniqueField(db, "CRM_ID", "string");
        String anna = importOk("{\"db_id\":" + db + ",\"email\":\"" + TAKEN + "\",\"data\":{\"email\":\"" + TAKEN + "\","
                + "\"phones\":[\"+79001112233\"],\"CRM_ID\":\"A-1\",\"LOYALTY\":1,\"_fname\":\"Anna\"}}");
        String bob = importEmail(db, "bob@example.com");
        return new Fixture(db, resource, anna, bob);
    }

    @Test
    void wrongTypesOfParameters() {
        Fixture f = fixture();
        long db = f.db();
        String data = ",\"data\":{\"_fname\":\"X\"}";
        assertRefused(db, "profiles/import", "{\"db_id\":\"" + db + "\",\"email\":\"" + TAKEN + "\"" + data + "}", 400,
                "'db_id'", "an integer");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ".5,\"email\":\"" + TAKEN + "\"" + data + "}", 400,
                "'db_id'");
        assertRefused(db, "profiles/import", "{\"db_id\":-" + db + ",\"email\":\"" + TAKEN + "\"" + data + "}", 400,
                "'db_id'", "positive");
        assertRefused(db, "profiles/import", "{\"email\":\"" + TAKEN + "\"" + data + "}", 400,
                "missing required parameter 'db_id'");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"" + TAKEN + "\",\"data\":[{\"_fname\":\"X\"}]}",
                400, "'data'", "an object");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"" + TAKEN + "\",\"data\":\"_fname=X\"}",
                400, "'data'", "an object");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"" + TAKEN + "\"}", 400, "'data'");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"matching\":5,\"email\":\"" + TAKEN + "\"" + data + "}",
                400, "'matching'", "a string");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":[\"" + TAKEN + "\"]" + data + "}", 400,
                "'email'");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"" + TAKEN + "\",\"resource_id\":\"one\""
                + data + "}", 400, "'resource_id'");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"" + TAKEN + "\","
                + "\"skip_invalid_subscriptions\":\"yes\"" + data + "}", 400, "'skip_invalid_subscriptions'");
        assertRefused(db, "profiles/update", "{\"db_id\":" + db + ",\"profile_id\":12345" + data + "}", 400, "'profile_id'");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"" + TAKEN + "\",\"colour\":\"red\"" + data
                + "}", 400, "'colour'");
        assertRefused(db, "profiles/get", "{\"db_id\":" + db + ",\"email\":\"" + TAKEN + "\",\"data\":{}}", 400, "'data'");
        // not JSON at all
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":", 400);
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"db_id\":" + db + ",\"email\":\"" + TAKEN + "\"" + data
                + "}", 400, "db_id");
    }

    @Test
    void unknownDatabaseAndMatchingMode() {
        Fixture f = fixture();
        long db = f.db();
        Response r = assertRefused(db, "profiles/import", "{\"db_id\":987654,\"email\":\"x@example.com\",\"data\":"
                + "{\"email\":\"x@example.com\"}}", 404, "database 987654");
        assertThat(r.json().has("profile_id")).isFalse();
        assertRefused(db, "profiles/get", "{\"db_id\":987654,\"email\":\"" + TAKEN + "\"}", 404, "database 987654");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"matching\":\"fuzzy\",\"email\":\"" + TAKEN + "\","
                + "\"data\":{\"_fname\":\"X\"}}", 400, "'matching'", "fuzzy", "email_phone_sub");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"matching\":\"EMAIL\",\"email\":\"" + TAKEN + "\","
                + "\"data\":{\"_fname\":\"X\"}}", 400, "'matching'");
        assertRefused(db, "profiles/get", "{\"db_id\":" + db + ",\"matching\":\"by_name\",\"email\":\"" + TAKEN + "\"}",
                400, "'matching'", "by_name");
    }

    @Test
    void invalidFieldValuesOnImportUpdateAndAdd() {
        Fixture f = fixture();
        long db = f.db();
        // data member, expected fragment of the text
        List<String[]> cases = List.of(
                new String[] {"\"shoe_size\":42", "'shoe_size'"},
                new String[] {"\"_FNAME\":\"X\"", "'_FNAME'"},
                new String[] {"\"phones\":[\"12345\"]", "'phones'"},
                new String[] {"\"phones\":[\"+7 900 CALL-ME\"]", "'phones'"},
                new String[] {"\"phones\":{\"n\":1}", "'phones'"},
                new String[] {"\"email\":\"not-an-email\"", "'email'"},
                new String[] {"\"email\":\"a b@example.com\"", "'email'"},
                new String[] {"\"email\":42", "'email'"},
                new String[] {"\"_bdate\":\"2024-02-30\"", "'_bdate'"},
                new String[] {"\"_bdate\":\"yesterday\"", "'_bdate'"},
                new String[] {"\"SEEN\":\"01/15/1990\"", "'SEEN'"},
                new String[] {"\"SEEN\":true", "'SEEN'"},
                new String[] {"\"_ip\":\"999.1.1.1\"", "'_ip'"},
                new String[] {"\"LAST_IP\":\"localhost\"", "'LAST_IP'"},
                new String[] {"\"TIER\":\"platinum\"", "'TIER'"},
                new String[] {"\"TIER\":3", "'TIER'"},
                new String[] {"\"LOYALTY\":9223372036854775808", "'LOYALTY'"},
                new String[] {"\"LOYALTY\":1.5", "'LOYALTY'"},
                new String[] {"\"LOYALTY\":\"ten\"", "'LOYALTY'"},
                new String[] {"\"SCORE\":\"NaN\"", "'SCORE'"},
                new String[] {"\"SCORE\":[1]", "'SCORE'"},
                new String[] {"\"VIP\":\"maybe\"", "'VIP'"},
                new String[] {"\"TAGS\":{\"a\":1}", "'TAGS'"},
                new String[] {"\"PREFS\":[1,2]", "'PREFS'"},
                new String[] {"\"ORDERS\":[1,2]", "'ORDERS'"},
                new String[] {"\"ORDERS\":{\"id\":1}", "'ORDERS'"},
                new String[] {"\"_status\":\"on\"", "'_status'"},
                new String[] {"\"_sex\":\"x\"", "'_sex'"},
                new String[] {"\"_fname\":{\"first\":\"A\"}", "'_fname'"},
                new String[] {"\"subscriptions\":\"email\"", "'data.subscriptions'"});
        for (String[] c : cases) {
            String data = "{\"_lname\":\"Changed\"," + c[0] + "}";
            assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"" + TAKEN + "\",\"data\":" + data + "}",
                    400, c[1]);
            assertRefused(db, "profiles/update", "{\"db_id\":" + db + ",\"profile_id\":\"" + f.anna() + "\",\"data\":"
                    + data + "}", 400, c[1]);
            assertRefused(db, "profiles/add", "{\"db_id\":" + db + ",\"data\":" + data + "}", 400, c[1]);
        }
    }

    @Test
    void invalidMatchingKeys() {
        Fixture f = fixture();
        long db = f.db();
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"nope\",\"data\":{}}", 400, "'email'", "nope");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"matching\":\"phone\",\"phone\":\"abc\",\"data\":{}}",
                400, "'phone'", "abc");
        assertRefused(db, "profiles/get", "{\"db_id\":" + db + ",\"matching\":\"custom\",\"field_name\":\"LOYALTY\","
                + "\"field_value\":\"many\"}", 400, "'field_value'", "many");
        assertRefused(db, "profiles/get", "{\"db_id\":" + db + ",\"matching\":\"custom\",\"field_name\":\"PREFS\","
                + "\"field_value\":\"x\"}", 400, "'PREFS'");
        assertRefused(db, "profiles/get", "{\"db_id\":" + db + ",\"matching\":\"custom\",\"field_name\":5,"
                + "\"field_value\":\"x\"}", 400, "'field_name'");
    }

    @Test
    void unknownResourceOrChannel() {
        Fixture f = fixture();
        long db = f.db();
        String base = "{\"db_id\":" + db + ",\"email\":\"" + TAKEN + "\",\"data\":{\"_lname\":\"Changed\",\"subscriptions\":[";
        // an unknown resource is a 404 naming it (docs/COMPATIBILITY.md, Subscriptions); the rest of what is wrong with a subscription a 400
        assertRefused(db, "profiles/import", base + "{\"channel\":\"email\",\"resource_id\":987654,\"email\":\"" + TAKEN
                + "\"}]}}", 404, "data.subscriptions[0]", "resource 987654");
        assertRefused(db, "profiles/import", base + "{\"channel\":\"pigeon\",\"resource_id\":" + f.resource()
                + ",\"email\":\"" + TAKEN + "\"}]}}", 400, "data.subscriptions[0]", "'channel'", "pigeon");
        assertRefused(db, "profiles/import", base + "{\"channel\":\"sms\",\"resource_id\":" + f.resource()
                + ",\"phone\":\"+79001112233\"}]}}", 400, "data.subscriptions[0]", "'sms'");
        assertRefused(db, "profiles/import", base + "{\"channel\":\"email\",\"resource_id\":\"first\",\"email\":\"" + TAKEN
                + "\"}]}}", 400, "data.subscriptions[0]", "'resource_id'");
        assertRefused(db, "profiles/import", base + "\"email\"]}}", 400, "data.subscriptions[0]");
    }

    @Test
    void unknownSegmentsAreRefused() {
        Fixture f = fixture();
        long db = f.db();
        for (String parameter : new String[] {"add_to_segments", "remove_from_segments"}) {
            for (String method : new String[] {"profiles/import", "profiles/update", "profiles/add"}) {
                String keys = method.equals("profiles/add") ? "" : ",\"profile_id\":\"" + f.anna() + "\",\"matching\":\"profile_id\"";
                assertRefused(db, method, "{\"db_id\":" + db + keys + ",\"" + parameter + "\":[1,2],\"data\":"
                        + "{\"_lname\":\"Changed\"}}", 404, "'" + parameter + "'", "not found");
            }
        }
    }

    @Test
    void keyConflictsAre409NamingKeyAndOwner() {
        Fixture f = fixture();
        long db = f.db();
        String bob = "{\"db_id\":" + db + ",\"email\":\"bob@example.com\",\"data\":{\"_lname\":\"Changed\",";
        assertRefused(db, "profiles/import", bob + "\"email\":\"ANNA@example.com\"}}", 409, "email 'anna@example.com'",
                f.anna());
        assertRefused(db, "profiles/import", bob + "\"phones\":[\"+7 900 111 22 33\"]}}", 409, "phone '+79001112233'",
                f.anna());
        assertRefused(db, "profiles/import", bob + "\"CRM_ID\":\"A-1\"}}", 409, "'A-1'", "'CRM_ID'", f.anna());
        assertRefused(db, "profiles/update", "{\"db_id\":" + db + ",\"profile_id\":\"" + f.bob() + "\",\"data\":"
                + "{\"email\":\"anna@example.com\"}}", 409, "email 'anna@example.com'", f.anna());
        assertRefused(db, "profiles/add", "{\"db_id\":" + db + ",\"data\":{\"email\":\"new@example.com\","
                + "\"CRM_ID\":\"A-1\"}}", 409, "'CRM_ID'", f.anna());
        // a new profile made by import whose phone or unique field another profile holds (its email is claimed first)
        String carol = "{\"db_id\":" + db + ",\"email\":\"carol@example.com\",\"data\":";
        assertRefused(db, "profiles/import", carol + "{\"phones\":[\"+79001112233\"]}}", 409, "phone '+79001112233'",
                f.anna());
        assertRefused(db, "profiles/import", carol + "{\"CRM_ID\":\"A-1\"}}", 409, "'A-1'", "'CRM_ID'", f.anna());
        List<String> before = state(db);
        JsonNode items = ok("profiles/import_batch", "{\"db_id\":" + db + ",\"data\":[{\"email\":\"carol@example.com\","
                + "\"phones\":[\"+79001112233\"]},{\"email\":\"dan@example.com\",\"CRM_ID\":\"A-1\"}]}").get("result");
        for (JsonNode item : items) {
            assertThat(item.get("error").asInt()).as(item.toString()).isEqualTo(409);
            assertThat(item.get("error_text").asText()).contains("already belongs to profile " + f.anna());
        }
        assertThat(items.get(0).get("error_text").asText()).contains("phone '+79001112233'");
        assertThat(items.get(1).get("error_text").asText()).contains("'CRM_ID'");
        assertThat(state(db)).isEqualTo(before);
        // the email of a new profile made by import, claimed by another profile's subscription
        importOk("{\"db_id\":" + db + ",\"email\":\"bob@example.com\",\"data\":{\"subscriptions\":[{\"channel\":\"email\","
                + "\"resource_id\":" + f.resource() + ",\"email\":\"bob.work@example.com\"}]}}");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"matching\":\"email_profile\",\"email\":"
                + "\"bob.work@example.com\",\"data\":{\"email\":\"bob.work@example.com\"}}", 409,
                "email 'bob.work@example.com'", f.bob());
    }

    @Test
    void tokensWithoutThePermissionOrTheDatabaseAre403() {
        Fixture f = fixture();
        long db = f.db();
        long otherDb = database();
        String reader = ok("tokens/create", "{\"name\":\"" + unique("reader") + "\",\"permissions\":[\"profiles.read\"]}")
                .path("data").path("token").asText();
        String elsewhere = ok("tokens/create", "{\"name\":\"" + unique("elsewhere") + "\",\"db_ids\":[" + otherDb + "]}")
                .path("data").path("token").asText();
        List<String> before = state(db);
        String write = "{\"db_id\":" + db + ",\"email\":\"" + TAKEN + "\",\"data\":{\"_lname\":\"Changed\"}}";
        assertError(server.client(reader).call("profiles/import", write), 403, "'profiles.write'");
        assertError(server.client(reader).call("profiles/add", "{\"db_id\":" + db + ",\"data\":{}}"), 403,
                "'profiles.write'");
        assertThat(server.client(reader).ok("profiles/get", "{\"db_id\":" + db + ",\"email\":\"" + TAKEN + "\"}")
                .path("data").path("id").asText()).isEqualTo(f.anna());
        assertError(server.client(elsewhere).call("profiles/import", write), 403, "database " + db);
        assertError(server.client(elsewhere).call("profiles/get", "{\"db_id\":" + db + ",\"email\":\"" + TAKEN + "\"}"),
                403, "database " + db);
        assertError(server.client("0123456789abcdef0123456789abcdef").call("profiles/import", write), 401);
        assertThat(state(db)).isEqualTo(before);
    }

    @Test
    void getOnlyReadsAndRefusesWrongMethodsOfTransport() {
        Fixture f = fixture();
        long db = f.db();
        List<String> before = state(db);
        Response r = server.send(server.request("/api/v1.1/profiles/import").header("Authorization", "Bearer "
                + server.masterToken()).GET());
        assertThat(r.code()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).contains("POST");
        Response xmlish = server.send(server.request("/api/v1.1/profiles/import")
                .header("Authorization", "Bearer " + server.masterToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[1,2,3]")));
        assertError(xmlish, 400);
        assertThat(state(db)).isEqualTo(before);
    }
    /**
     * An add whose phone another profile holds is refused after its new profile was written and taken back in the
     * same transaction. On PostgreSQL the profile counters are split over shards picked by the transaction's id, so
     * the taken-back profile left a zero counter row in a shard that had none. Sixteen refusals in a row meet every
     * shard.
     */
    @Test
    void aRefusedAddLeavesNoCounterBehind() {
        long db = database("\"phone_region\":\"RU\"");
        importOk("{\"db_id\":" + db + ",\"email\":\"holder@example.com\",\"data\":{\"email\":\"holder@example.com\","
                + "\"phones\":[\"+79005554433\"]}}");
        for (int i = 0; i < 16; i++) {
            assertRefused("profiles/add", "{\"db_id\":" + db + ",\"data\":{\"phones\":\"8 900 555 44 33\"}}", 409,
                    "+79005554433");
        }
    }
}
