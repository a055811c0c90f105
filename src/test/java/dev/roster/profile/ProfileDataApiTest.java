package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The profile's data (docs/COMPATIBILITY.md, Profile data) through import, update and get. */
class ProfileDataApiTest extends ProfileApiSupport {

    private static String hex(String algorithm, String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Imports {@code data} into the profile of that email (which data need not repeat). */
    private static String write(long db, String email, String data) {
        return importOk("{\"db_id\":" + db + ",\"email\":\"" + email + "\",\"data\":" + data + "}");
    }

    private static JsonNode profile(long db, String email) {
        return get(db, "\"email\":\"" + email + "\"");
    }

    @Test
    void standardFieldsWithTheirTypes() {
        long db = database("\"phone_region\":\"RU\"");
        String id = write(db, "anna@example.com", """
                {"email":"anna@example.com","phones":["+79001112233","8 (900) 111-22-44"],"_fname":"Anna","_lname":"Smith",
                 "_bdate":"1990-02-22","_sex":"female","_regdate":"2024-04-08T10:48:05.418Z","_regip":"192.168.1.10",
                 "_regcity":"Kazan","_regcountry":"RU","_regurl":"https://shop.example.com/?utm=1","_ip":"2001:DB8:0:0:0:0:0:1",
                 "_city":"Moscow","_country":"Russia","_region":"Moscow region","_postal_code":"190000",
                 "_tz":"europe/moscow","_vendor":"form #30","_browser":"Firefox","_os":"Linux","_status":0}""");
        JsonNode p = getById(db, id);
        assertThat(p.path("email").asText()).isEqualTo("anna@example.com");
        assertThat(p.path("phones").toString()).isEqualTo("[\"+79001112233\",\"+79001112244\"]");
        assertThat(p.path("_fname").asText()).isEqualTo("Anna");
        assertThat(p.path("_lname").asText()).isEqualTo("Smith");
        assertThat(p.path("_bdate").asText()).isEqualTo("1990-02-22T00:00:00Z");
        assertThat(p.path("_sex").asText()).isEqualTo("female");
        assertThat(p.path("_regdate").asText()).isEqualTo("2024-04-08T10:48:05.418Z");
        assertThat(p.path("_regip").asText()).isEqualTo("192.168.1.10");
        assertThat(p.path("_regcity").asText()).isEqualTo("Kazan");
        assertThat(p.path("_regcountry").asText()).isEqualTo("RU");
        assertThat(p.path("_regurl").asText()).isEqualTo("https://shop.example.com/?utm=1");
        assertThat(p.path("_ip").asText()).isEqualTo("2001:db8::1");
        assertThat(p.path("_city").asText()).isEqualTo("Moscow");
        assertThat(p.path("_country").asText()).isEqualTo("Russia");
        assertThat(p.path("_region").asText()).isEqualTo("Moscow region");
        assertThat(p.path("_postal_code").isTextual()).isTrue();
        assertThat(p.path("_postal_code").asText()).isEqualTo("190000");
        assertThat(p.path("_tz").asText()).isEqualTo("Europe/Moscow");
        assertThat(p.path("_vendor").asText()).isEqualTo("form #30");
        assertThat(p.path("_browser").asText()).isEqualTo("Firefox");
        assertThat(p.path("_os").asText()).isEqualTo("Linux");
        assertThat(p.path("_status").isIntegralNumber()).isTrue();
        assertThat(p.path("_status").asInt()).isZero();
        // a number for a string field is kept as its text; a wrong type is refused, naming the field
        write(db, "anna@example.com", "{\"_postal_code\":190001}");
        assertThat(getById(db, id).path("_postal_code").asText()).isEqualTo("190001");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"anna@example.com\",\"data\":"
                + "{\"_status\":\"active\"}}", 400, "'_status'", "integer", "active");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"anna@example.com\",\"data\":"
                + "{\"_tz\":\"Mars/Olympus\"}}", 400, "'_tz'", "Mars/Olympus");
    }

    @Test
    void customFieldsOfEveryType() {
        long db = database();
        field(db, "LOYALTY", "int");
        field(db, "SCORE", "float");
        field(db, "NOTE", "string");
        field(db, "SEEN", "date");
        field(db, "VIP", "bool");
        enumField(db, "TIER", "Option 1", "Option 2", "Option 3");
        field(db, "LAST_IP", "ip");
        field(db, "TAGS", "tags");
        field(db, "PREFS", "object");
        field(db, "ORDERS", "arr_object");
        String id = write(db, "anna@example.com", """
                {"LOYALTY":100,"SCORE":100.5,"NOTE":"string value","SEEN":"2024-05-27T12:00:00Z","VIP":true,
                 "TIER":"Option 2","LAST_IP":"127.0.0.1","TAGS":["Tag 1","Tag 2"],"PREFS":{"lang":"ru","push":{"on":true}},
                 "ORDERS":[{"id":1,"sum":10.5},{"id":2,"sum":20}]}""");
        JsonNode p = getById(db, id);
        assertThat(p.path("LOYALTY").isIntegralNumber()).isTrue();
        assertThat(p.path("LOYALTY").asLong()).isEqualTo(100);
        assertThat(p.path("SCORE").isNumber()).isTrue();
        assertThat(p.path("SCORE").asDouble()).isEqualTo(100.5);
        assertThat(p.path("NOTE").asText()).isEqualTo("string value");
        assertThat(p.path("SEEN").asText()).isEqualTo("2024-05-27T12:00:00Z");
        assertThat(p.path("VIP").isBoolean()).isTrue();
        assertThat(p.path("VIP").asBoolean()).isTrue();
        assertThat(p.path("TIER").asText()).isEqualTo("Option 2");
        assertThat(p.path("LAST_IP").asText()).isEqualTo("127.0.0.1");
        assertThat(p.path("TAGS").toString()).isEqualTo("[\"Tag 1\",\"Tag 2\"]");
        assertThat(p.path("PREFS").toString()).isEqualTo("{\"lang\":\"ru\",\"push\":{\"on\":true}}");
        assertThat(p.path("ORDERS").size()).isEqualTo(2);
        assertThat(p.path("ORDERS").get(0).path("id").asInt()).isEqualTo(1);
        assertThat(p.path("ORDERS").get(1).path("sum").asDouble()).isEqualTo(20);

        // the other accepted spellings: numbers as text, enum by 1-based number, bool as text, tags as one string
        write(db, "anna@example.com", """
                {"LOYALTY":"42","SCORE":"7.25","VIP":"false","TIER":3,"TAGS":"red, green ,red","LAST_IP":"2001:0DB8::0001"}""");
        p = getById(db, id);
        assertThat(p.path("LOYALTY").asLong()).isEqualTo(42);
        assertThat(p.path("SCORE").asDouble()).isEqualTo(7.25);
        assertThat(p.path("VIP").asBoolean()).isFalse();
        assertThat(p.path("TIER").asText()).isEqualTo("Option 3");
        assertThat(p.path("TAGS").toString()).isEqualTo("[\"red\",\"green\"]");
        assertThat(p.path("LAST_IP").asText()).isEqualTo("2001:db8::1");
        assertThat(p.path("NOTE").asText()).isEqualTo("string value");
    }

    @Test
    void datesInEveryAcceptedFormAreReturnedAsRfc3339Utc() {
        long db = database();
        field(db, "SEEN", "date");
        String[][] cases = {
            {"\"2024-05-27\"", "2024-05-27T00:00:00Z"},
            {"\"2024-05-27T12:30:00Z\"", "2024-05-27T12:30:00Z"},
            {"\"2024-05-27T15:30:00+03:00\"", "2024-05-27T12:30:00Z"},
            {"\"2024-05-27T08:30:00-04:00\"", "2024-05-27T12:30:00Z"},
            {"1716813000", "2024-05-27T12:30:00Z"},
            {"\"2024-04-08T10:48:05.418Z\"", "2024-04-08T10:48:05.418Z"},
        };
        String id = write(db, "anna@example.com", "{}");
        for (String[] c : cases) {
            write(db, "anna@example.com", "{\"_bdate\":" + c[0] + ",\"SEEN\":" + c[0] + "}");
            JsonNode p = getById(db, id);
            assertThat(p.path("_bdate").asText()).as(c[0]).isEqualTo(c[1]);
            assertThat(p.path("SEEN").asText()).as(c[0]).isEqualTo(c[1]);
            assertThat(Instant.parse(p.path("SEEN").asText())).isEqualTo(Instant.parse(c[1]));
        }
    }

    @Test
    void sexAcceptsWordsAndNumbersAndZeroClears() {
        long db = database();
        String id = write(db, "anna@example.com", "{}");
        String[][] cases = {{"\"male\"", "male"}, {"\"FEMALE\"", "female"}, {"1", "male"}, {"2", "female"},
            {"\"Male\"", "male"}, {"\"2\"", "female"}};
        for (String[] c : cases) {
            write(db, "anna@example.com", "{\"_sex\":" + c[0] + "}");
            assertThat(getById(db, id).path("_sex").asText()).as(c[0]).isEqualTo(c[1]);
        }
        write(db, "anna@example.com", "{\"_sex\":0}");
        assertThat(getById(db, id).has("_sex")).isFalse();
        write(db, "anna@example.com", "{\"_sex\":\"male\"}");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"anna@example.com\",\"data\":{\"_sex\":3}}",
                400, "'_sex'", "3");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"anna@example.com\",\"data\":{\"_sex\":\"m\"}}",
                400, "'_sex'");
        assertThat(getById(db, id).path("_sex").asText()).isEqualTo("male");
    }

    @Test
    void updatesArePartialAndNullClears() {
        long db = database();
        field(db, "LOYALTY", "int");
        String id = write(db, "anna@example.com", "{\"_fname\":\"Anna\",\"_lname\":\"Smith\",\"_city\":\"Moscow\",\"LOYALTY\":5}");
        write(db, "anna@example.com", "{\"_city\":\"Kazan\"}");
        JsonNode p = getById(db, id);
        assertThat(p.path("_fname").asText()).isEqualTo("Anna");
        assertThat(p.path("_lname").asText()).isEqualTo("Smith");
        assertThat(p.path("_city").asText()).isEqualTo("Kazan");
        assertThat(p.path("LOYALTY").asInt()).isEqualTo(5);
        assertThat(p.path("email").asText()).isEqualTo("anna@example.com");

        ok("profiles/update", "{\"db_id\":" + db + ",\"profile_id\":\"" + id + "\",\"data\":{\"_lname\":null,\"LOYALTY\":null}}");
        p = getById(db, id);
        assertThat(p.has("_lname")).isFalse();
        assertThat(p.has("LOYALTY")).isFalse();
        assertThat(p.path("_fname").asText()).isEqualTo("Anna");
        assertThat(p.path("_city").asText()).isEqualTo("Kazan");
    }

    @Test
    void fieldFunctionsThroughTheApi() {
        long db = database();
        field(db, "COUNT", "int");
        field(db, "BALANCE", "float");
        field(db, "TAGS", "tags");
        field(db, "PREFS", "object");
        field(db, "ORDERS", "arr_object");
        String id = write(db, "anna@example.com", """
                {"COUNT":{"action":"set","value":10},"BALANCE":1.5,"TAGS":["a","b"],"PREFS":{"lang":"ru"},
                 "ORDERS":[{"id":1,"state":"new"},{"id":2,"state":"new"}],"_city":"Moscow"}""");
        write(db, "anna@example.com", """
                {"COUNT":{"action":"incr","value":5},"BALANCE":{"action":"incr","value":-0.25},
                 "TAGS":{"action":"add","value":["c","a"]},"PREFS":{"action":"upsert","submatch":"push.on","value":true},
                 "ORDERS":{"action":"upsert","submatch":"id","value":[{"id":2,"state":"paid"},{"id":3,"state":"new"}]},
                 "_city":{"action":"unset"}}""");
        JsonNode p = getById(db, id);
        assertThat(p.path("COUNT").asLong()).isEqualTo(15);
        assertThat(p.path("BALANCE").asDouble()).isEqualTo(1.25);
        assertThat(p.path("TAGS").toString()).isEqualTo("[\"a\",\"b\",\"c\"]");
        assertThat(p.path("PREFS").toString()).isEqualTo("{\"lang\":\"ru\",\"push\":{\"on\":true}}");
        assertThat(p.path("ORDERS").toString())
                .isEqualTo("[{\"id\":1,\"state\":\"new\"},{\"id\":2,\"state\":\"paid\"},{\"id\":3,\"state\":\"new\"}]");
        assertThat(p.has("_city")).isFalse();

        write(db, "anna@example.com", """
                {"COUNT":{"action":"incr","value":-20},"TAGS":{"action":"delete","value":["a","zzz"]},
                 "ORDERS":{"action":"delete","submatch":"id","value":[{"id":1}]},
                 "PREFS":{"action":"upsert","submatch":"lang","value":"en"}}""");
        p = getById(db, id);
        assertThat(p.path("COUNT").asLong()).isEqualTo(-5);
        assertThat(p.path("TAGS").toString()).isEqualTo("[\"b\",\"c\"]");
        assertThat(p.path("ORDERS").toString()).isEqualTo("[{\"id\":2,\"state\":\"paid\"},{\"id\":3,\"state\":\"new\"}]");
        assertThat(p.path("PREFS").toString()).isEqualTo("{\"lang\":\"en\",\"push\":{\"on\":true}}");

        // incr on an absent field counts from 0; add to an absent list starts one; phones take add too
        String other = write(db, "bob@example.com", "{\"COUNT\":{\"action\":\"incr\",\"value\":3},"
                + "\"phones\":{\"action\":\"add\",\"value\":[\"+79001112233\"]}}");
        assertThat(getById(db, other).path("COUNT").asLong()).isEqualTo(3);
        assertThat(getById(db, other).path("phones").toString()).isEqualTo("[\"+79001112233\"]");

        // functions that do not fit the field are refused, naming it, and change nothing
        String before = getById(db, id).toString();
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"anna@example.com\",\"data\":"
                + "{\"TAGS\":{\"action\":\"incr\",\"value\":1}}}", 400, "'TAGS'", "incr");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"anna@example.com\",\"data\":"
                + "{\"COUNT\":{\"action\":\"incr\",\"value\":\"x\"}}}", 400, "'COUNT'");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"anna@example.com\",\"data\":"
                + "{\"ORDERS\":{\"action\":\"upsert\",\"value\":[{\"id\":9}]}}}", 400, "ORDERS.submatch");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"anna@example.com\",\"data\":"
                + "{\"COUNT\":{\"action\":\"explode\",\"value\":1}}}", 400, "'COUNT'", "explode");
        assertThat(getById(db, id).toString()).isEqualTo(before);
    }

    @Test
    void computedFieldsAreShownAndIgnoredOnInput() throws Exception {
        long db = database();
        field(db, "NOTE", "string");
        String id = write(db, "Anna.Smith@Example.COM", "{\"email\":\"Anna.Smith@Example.COM\",\"NOTE\":\"n\"}");
        JsonNode p = getById(db, id);
        assertThat(p.path("id").asText()).isEqualTo(id);
        assertThat(p.path("db_id").asLong()).isEqualTo(db);
        Instant created = Instant.parse(p.path("_createtime").asText());
        assertThat(Instant.parse(p.path("_updatetime").asText())).isAfterOrEqualTo(created);
        assertThat(p.path("_md5").asText()).isEqualTo(hex("MD5", "anna.smith@example.com"));
        assertThat(p.path("_emaildomain").asText()).isEqualTo("example.com");
        assertThat(p.path("_xxh").asText()).isEqualTo(hex("SHA-256", id).substring(0, 16));

        // computed names in data are ignored
        JsonNode answer = ok("profiles/import", "{\"db_id\":" + db + ",\"email\":\"anna.smith@example.com\",\"data\":"
                + "{\"id\":\"ffffffffffffffffffffffff\",\"db_id\":999,\"_createtime\":\"2000-01-01T00:00:00Z\","
                + "\"_updatetime\":\"2000-01-01T00:00:00Z\",\"_md5\":\"x\",\"_emaildomain\":\"x\",\"_xxh\":\"x\"}}");
        assertThat(answer.path("profile_id").asText()).isEqualTo(id);
        assertThat(getById(db, id)).isEqualTo(p);

        // a profile read with get and sent back as data is accepted and changes nothing
        List<String> before = state(db);
        ObjectNode back = Json.object();
        back.put("db_id", db);
        back.put("email", "anna.smith@example.com");
        back.set("data", p);
        JsonNode sentBack = ok("profiles/import", Json.write(back));
        assertThat(sentBack.path("profile_id").asText()).isEqualTo(id);
        assertThat(state(db)).isEqualTo(before);
        back.remove("email");
        back.put("profile_id", id);
        ok("profiles/update", Json.write(back));
        assertThat(state(db)).isEqualTo(before);
    }

    @Test
    void aFullProfileSentBackChangesNothing() {
        long db = database("\"phone_region\":\"RU\"");
        long resource = resource("email", "sms", "push", "telegram_bot", "viber");
        field(db, "LOYALTY", "int");
        field(db, "SCORE", "float");
        field(db, "SEEN", "date");
        field(db, "VIP", "bool");
        enumField(db, "TIER", "gold", "silver");
        field(db, "LAST_IP", "ip");
        field(db, "TAGS", "tags");
        field(db, "PREFS", "object");
        field(db, "ORDERS", "arr_object");
        String id = write(db, "anna@example.com", """
                {"email":"anna@example.com","phones":["89001112233"],"_fname":"Anna","_sex":2,"_bdate":"1990-01-15",
                 "_tz":"Europe/Moscow","_ip":"::1","LOYALTY":7,"SCORE":2.0,"SEEN":1716813000,"VIP":1,"TIER":2,
                 "LAST_IP":"10.0.0.1","TAGS":"x,y","PREFS":{"a":[1,2]},"ORDERS":[{"id":1.0}],
                 "subscriptions":[
                   {"channel":"email","resource_id":%d,"email":"Anna@Example.com","priority":3,"cats":["news"],
                    "custom_fields":{"_device_type":"web","n":1}},
                   {"channel":"sms","resource_id":%d,"phone":"8 900 111 22 33","status":"unsubscribed"},
                   {"channel":"push","resource_id":%d,"provider":"ios-apns","subscription_id":"tok"},
                   {"channel":"telegram_bot","resource_id":%d,"cc_data":{"id":42}},
                   {"channel":"viber","resource_id":%d,"cc_data":{"phone":"+79001112233"}}]}"""
                .formatted(resource, resource, resource, resource, resource));
        JsonNode p = getById(db, id);
        assertThat(p.path("subscriptions").size()).isEqualTo(5);
        List<String> before = state(db);
        ObjectNode back = Json.object();
        back.put("db_id", db);
        back.put("profile_id", id);
        back.set("data", p);
        JsonNode answer = ok("profiles/update", Json.write(back));
        assertThat(answer.path("profile_id").asText()).isEqualTo(id);
        assertThat(state(db)).isEqualTo(before);
    }

    @Test
    void emailIsMatchedCaseInsensitivelyAndStoredAsSent() {
        long db = database();
        String id = write(db, "Anna.Smith@Example.COM", "{\"email\":\"  Anna.Smith@Example.COM \"}");
        assertThat(getById(db, id).path("email").asText()).isEqualTo("Anna.Smith@Example.COM");
        assertThat(profile(db, "anna.smith@example.com").path("id").asText()).isEqualTo(id);
        assertThat(write(db, "ANNA.SMITH@EXAMPLE.COM", "{\"_fname\":\"Anna\"}")).isEqualTo(id);
        assertThat(getById(db, id).path("email").asText()).isEqualTo("Anna.Smith@Example.COM");
        // a new spelling sent in data is stored as sent; the key stays the same
        write(db, "anna.smith@example.com", "{\"email\":\"anna.smith@example.com\"}");
        assertThat(getById(db, id).path("email").asText()).isEqualTo("anna.smith@example.com");
        assertThat(profileCount(db)).isEqualTo(1);
    }

    @Test
    void phonesAreNormalisedToE164WithTheDatabasesRegion() {
        long ru = database("\"phone_region\":\"RU\"");
        String id = write(ru, "anna@example.com", "{\"phones\":[\"8 (900) 111-22-33\",\"9001112244\",\"+7 900 111 22 55\"]}");
        assertThat(getById(ru, id).path("phones").toString())
                .isEqualTo("[\"+79001112233\",\"+79001112244\",\"+79001112255\"]");
        assertThat(get(ru, "\"matching\":\"phone\",\"phone\":\"89001112244\"").path("id").asText()).isEqualTo(id);

        long de = database("\"phone_region\":\"DE\"");
        String de1 = write(de, "anna@example.com", "{\"phones\":\"030 12345678\"}");
        assertThat(getById(de, de1).path("phones").toString()).isEqualTo("[\"+493012345678\"]");

        // without a region only international numbers are accepted
        long none = database();
        String n = write(none, "anna@example.com", "{\"phones\":[\"+79001112233\"]}");
        assertRefused(none, "profiles/import", "{\"db_id\":" + none + ",\"email\":\"anna@example.com\",\"data\":"
                + "{\"phones\":[\"89001112233\"]}}", 400, "'phones'", "89001112233");
        assertThat(getById(none, n).path("phones").toString()).isEqualTo("[\"+79001112233\"]");
    }

    @Test
    void emailCannotBeClearedWhileItIsTheOnlyIdentityKey() {
        long db = database();
        String id = write(db, "anna@example.com", "{\"_fname\":\"Anna\"}");
        assertRefused(db, "profiles/update", "{\"db_id\":" + db + ",\"profile_id\":\"" + id + "\",\"data\":"
                + "{\"email\":null}}", 400, "email cannot be cleared");
        assertRefused(db, "profiles/update", "{\"db_id\":" + db + ",\"profile_id\":\"" + id + "\",\"data\":"
                + "{\"email\":{\"action\":\"unset\"}}}", 400, "email cannot be cleared");
        assertThat(getById(db, id).path("email").asText()).isEqualTo("anna@example.com");
        // with another identity key (a unique phone) the email may go, and its key with it
        ok("profiles/update", "{\"db_id\":" + db + ",\"profile_id\":\"" + id + "\",\"data\":{\"phones\":[\"+79001112233\"]}}");
        ok("profiles/update", "{\"db_id\":" + db + ",\"profile_id\":\"" + id + "\",\"data\":{\"email\":null}}");
        JsonNode p = getById(db, id);
        assertThat(p.has("email")).isFalse();
        assertThat(p.has("_md5")).isFalse();
        assertThat(getCall(db, "\"email\":\"anna@example.com\"").code()).isEqualTo(404);
        assertThat(importEmail(db, "anna@example.com")).isNotEqualTo(id);
    }
}
