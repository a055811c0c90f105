package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.testing.TestServer.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The 11 matching modes (docs/COMPATIBILITY.md, Identity keys and matching), each with a profile found, none found,
 * several found (or,
 * where a unique index makes that impossible, the refused second profile), and the key missing; then the rules of
 * import, update, add and delete around matching.
 */
class MatchingApiTest extends ProfileApiSupport {
    private static final String UNKNOWN_ID = "0123456789abcdef01234567";

    private static String emailSub(long resource, String email) {
        return "{\"channel\":\"email\",\"resource_id\":" + resource + ",\"email\":\"" + email + "\"}";
    }

    private static String smsSub(long resource, String phone) {
        return "{\"channel\":\"sms\",\"resource_id\":" + resource + ",\"phone\":\"" + phone + "\"}";
    }

    private static String pushSub(long resource, String provider, String token) {
        return "{\"channel\":\"push\",\"resource_id\":" + resource + ",\"provider\":\"" + provider
                + "\",\"subscription_id\":\"" + token + "\"}";
    }

    private static String telegramSub(long resource, long chat) {
        return "{\"channel\":\"telegram_bot\",\"resource_id\":" + resource + ",\"cc_data\":{\"id\":" + chat + "}}";
    }

    /** profiles/add with this data: a new profile, whatever it holds. */
    private static String add(long db, String data) {
        return ok("profiles/add", "{\"db_id\":" + db + ",\"data\":" + data + "}").path("profile_id").asText();
    }

    private static String found(long db, String matching) {
        return get(db, matching).path("id").asText();
    }

    private static void notFound(long db, String matching, String mode) {
        assertError(getCall(db, matching), 404, "profile not found", "'" + mode + "'");
    }

    private static void ambiguous(long db, String matching, String... owners) {
        Response r = getCall(db, matching);
        assertError(r, 409, "ambiguous match");
        for (String owner : owners) {
            assertThat(r.errorText()).contains(owner);
        }
    }

    // ---- email ----

    @Test
    void email() {
        long db = database();
        long resource = resource("email", "sms");
        String a = importEmail(db, "Anna@Example.com");
        String b = add(db, "{\"subscriptions\":[" + emailSub(resource, "bob@example.com") + "]}");

        // found: by the profile's email, case-insensitively and trimmed, and by an email subscription
        assertThat(found(db, "\"matching\":\"email\",\"email\":\" anna@EXAMPLE.com \"")).isEqualTo(a);
        assertThat(found(db, "\"matching\":\"email\",\"email\":\"BOB@example.com\"")).isEqualTo(b);
        // not found
        notFound(db, "\"matching\":\"email\",\"email\":\"nobody@example.com\"", "email");
        // ambiguous is impossible: an email is a unique key of one profile, so a second profile cannot take it,
        // neither as its email nor as an email subscription
        assertRefused(db, "profiles/add", "{\"db_id\":" + db + ",\"data\":{\"email\":\"ANNA@example.com\"}}", 409,
                "email 'anna@example.com'", a);
        assertRefused(db, "profiles/add", "{\"db_id\":" + db + ",\"data\":{\"subscriptions\":["
                + emailSub(resource, "bob@example.com") + "]}}", 409, "email 'bob@example.com'", b);
        // missing key
        assertError(getCall(db, "\"matching\":\"email\""), 400, "missing matching key 'email'");
    }

    @Test
    void emailProfile() {
        long db = database();
        long resource = resource("email");
        String a = importEmail(db, "anna@example.com");
        String b = add(db, "{\"subscriptions\":[" + emailSub(resource, "bob@example.com") + "]}");

        assertThat(found(db, "\"matching\":\"email_profile\",\"email\":\"Anna@example.com\"")).isEqualTo(a);
        // the address is only an email subscription of b: email_profile looks at the profile field only
        notFound(db, "\"matching\":\"email_profile\",\"email\":\"bob@example.com\"", "email_profile");
        // ambiguous is impossible (unique email key): import finds no profile by b's address, and creating one with
        // it as email is refused, naming the address and its owner
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"matching\":\"email_profile\",\"email\":"
                + "\"bob@example.com\",\"data\":{\"email\":\"bob@example.com\"}}", 409, "email 'bob@example.com'", b);
        assertError(getCall(db, "\"matching\":\"email_profile\""), 400, "'email'");
    }

    @Test
    void emailSub() {
        long db = database();
        long r1 = resource("email");
        long r2 = resource("email");
        String a = importEmail(db, "anna@example.com");
        String b = add(db, "{\"subscriptions\":[" + emailSub(r1, "Bob@Example.com") + "]}");

        assertThat(found(db, "\"matching\":\"email_sub\",\"email\":\"bob@example.com\"")).isEqualTo(b);
        assertThat(found(db, "\"matching\":\"email_sub\",\"email\":\"bob@example.com\",\"resource_id\":" + r1)).isEqualTo(b);
        // not found: another resource, or an address that is only a profile's email
        notFound(db, "\"matching\":\"email_sub\",\"email\":\"bob@example.com\",\"resource_id\":" + r2, "email_sub");
        notFound(db, "\"matching\":\"email_sub\",\"email\":\"anna@example.com\"", "email_sub");
        // ambiguous is impossible: the subscription's address is a unique email key, even on another resource
        assertRefused(db, "profiles/add", "{\"db_id\":" + db + ",\"data\":{\"subscriptions\":["
                + emailSub(r2, "bob@example.com") + "]}}", 409, "email 'bob@example.com'", b);
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"anna@example.com\",\"data\":"
                + "{\"subscriptions\":[" + emailSub(r2, "BOB@example.com") + "]}}", 409, "email 'bob@example.com'", b);
        assertThat(getById(db, a).path("subscriptions").isEmpty()).isTrue();
        assertError(getCall(db, "\"matching\":\"email_sub\",\"resource_id\":" + r1), 400, "'email'");
    }

    @Test
    void phone() {
        long shared = database("\"unique_phones\":false");
        String a = add(shared, "{\"phones\":[\"+79001112233\"]}");
        String b = add(shared, "{\"phones\":[\"+7 900 111-22-33\"]}");
        String c = add(shared, "{\"phones\":[\"+79005556677\",\"+79001112233\"]}");
        String d = add(shared, "{\"phones\":[\"+79007778899\"]}");

        assertThat(found(shared, "\"matching\":\"phone\",\"phone\":\"+7 (900) 777-88-99\"")).isEqualTo(d);
        notFound(shared, "\"matching\":\"phone\",\"phone\":\"+79009990000\"", "phone");
        // phones that are not unique: several profiles found is a 409 naming them
        ambiguous(shared, "\"matching\":\"phone\",\"phone\":\"+79001112233\"", "phone '+79001112233'", a, b);
        assertThat(profileIds(shared)).contains(c);
        assertRefused(shared, "profiles/import", "{\"db_id\":" + shared + ",\"matching\":\"phone\",\"phone\":"
                + "\"+79001112233\",\"data\":{\"_fname\":\"X\"}}", 409, "ambiguous match");
        assertError(getCall(shared, "\"matching\":\"phone\""), 400, "missing matching key 'phone'");

        // unique phones (the default): a second profile cannot take the phone
        long unique = database();
        String e = add(unique, "{\"phones\":[\"+79001112233\"]}");
        assertThat(found(unique, "\"matching\":\"phone\",\"phone\":\"+79001112233\"")).isEqualTo(e);
        assertRefused(unique, "profiles/add", "{\"db_id\":" + unique + ",\"data\":{\"phones\":[\"+79001112233\"]}}",
                409, "phone '+79001112233'", e);
    }

    @Test
    void phoneSub() {
        long db = database("\"unique_phones\":false");
        long r1 = resource("sms");
        long r2 = resource("sms");
        String a = add(db, "{\"subscriptions\":[" + smsSub(r1, "+79001112233") + "]}");
        String b = add(db, "{\"subscriptions\":[" + smsSub(r2, "+79001112233") + "]}");
        String c = add(db, "{\"phones\":[\"+79005556677\"],\"subscriptions\":[" + smsSub(r1, "+79004445566") + "]}");

        assertThat(found(db, "\"matching\":\"phone_sub\",\"phone\":\"+79004445566\"")).isEqualTo(c);
        // resource_id narrows a shared phone to one profile
        assertThat(found(db, "\"matching\":\"phone_sub\",\"phone\":\"+79001112233\",\"resource_id\":" + r1)).isEqualTo(a);
        assertThat(found(db, "\"matching\":\"phone_sub\",\"phone\":\"+79001112233\",\"resource_id\":" + r2)).isEqualTo(b);
        // a phone that is only in the profile's phones is no sms subscription
        notFound(db, "\"matching\":\"phone_sub\",\"phone\":\"+79005556677\"", "phone_sub");
        ambiguous(db, "\"matching\":\"phone_sub\",\"phone\":\"+79001112233\"", a, b);
        assertError(getCall(db, "\"matching\":\"phone_sub\""), 400, "'phone'");

        // with unique phones an sms subscription's phone is a unique key: no second profile may subscribe it
        long unique = database();
        long r3 = resource("sms");
        String d = add(unique, "{\"subscriptions\":[" + smsSub(r3, "+79001112233") + "]}");
        assertRefused(unique, "profiles/add", "{\"db_id\":" + unique + ",\"data\":{\"subscriptions\":["
                + smsSub(r3, "+79001112233") + "]}}", 409, "phone '+79001112233'", d);
    }

    @Test
    void profileId() {
        long db = database();
        String a = importEmail(db, "anna@example.com");
        assertThat(found(db, "\"matching\":\"profile_id\",\"profile_id\":\"" + a + "\"")).isEqualTo(a);
        notFound(db, "\"matching\":\"profile_id\",\"profile_id\":\"" + UNKNOWN_ID + "\"", "profile_id");
        // ambiguous is impossible: the id is the primary key, and no request chooses it (data.id is read-only)
        String other = add(db, "{\"id\":\"" + a + "\",\"email\":\"other@example.com\"}");
        assertThat(other).isNotEqualTo(a);
        assertThat(getById(db, a).path("email").asText()).isEqualTo("anna@example.com");
        assertError(getCall(db, "\"matching\":\"profile_id\""), 400, "missing matching key 'profile_id'");
        assertError(getCall(db, "\"matching\":\"profile_id\",\"profile_id\":\"XYZ\""), 400, "'profile_id'", "XYZ");
        // a profile of another database is not found through this one
        long otherDb = database();
        notFound(otherDb, "\"matching\":\"profile_id\",\"profile_id\":\"" + a + "\"", "profile_id");
    }

    @Test
    void pushSub() {
        long db = database();
        long r1 = resource("push");
        long r2 = resource("push");
        String a = add(db, "{\"subscriptions\":[" + pushSub(r1, "android-firebase", "tok-a") + "]}");

        assertThat(found(db, "\"matching\":\"push_sub\",\"provider\":\"android-firebase\",\"subscription_id\":\"tok-a\""))
                .isEqualTo(a);
        assertThat(found(db, "\"matching\":\"push_sub\",\"provider\":\"android-firebase\",\"subscription_id\":\"tok-a\","
                + "\"resource_id\":" + r1)).isEqualTo(a);
        notFound(db, "\"matching\":\"push_sub\",\"provider\":\"android-firebase\",\"subscription_id\":\"tok-a\","
                + "\"resource_id\":" + r2, "push_sub");
        notFound(db, "\"matching\":\"push_sub\",\"provider\":\"ios-apns\",\"subscription_id\":\"tok-a\"", "push_sub");
        // ambiguous is impossible: (provider, subscription_id) is a unique key, on any resource
        assertRefused(db, "profiles/add", "{\"db_id\":" + db + ",\"data\":{\"subscriptions\":["
                + pushSub(r2, "android-firebase", "tok-a") + "]}}", 409, "push subscription 'android-firebase/tok-a'", a);
        // keys from data: the push subscription sent is the key
        JsonNode imported = ok("profiles/import", "{\"db_id\":" + db + ",\"matching\":\"push_sub\",\"data\":{"
                + "\"_fname\":\"Anna\",\"subscriptions\":[" + pushSub(r1, "android-firebase", "tok-a") + "]}}");
        assertThat(imported.path("profile_id").asText()).isEqualTo(a);
        assertThat(getById(db, a).path("_fname").asText()).isEqualTo("Anna");
        assertError(getCall(db, "\"matching\":\"push_sub\",\"provider\":\"android-firebase\""), 400,
                "'provider' and 'subscription_id'");
        assertError(getCall(db, "\"matching\":\"push_sub\""), 400, "'provider'", "'subscription_id'");
    }

    @Test
    void custom() {
        long db = database();
        uniqueField(db, "CRM_ID", "string");
        field(db, "Region", "int");
        String a = add(db, "{\"CRM_ID\":\"A-1\",\"Region\":77}");
        String b = add(db, "{\"CRM_ID\":\"B-2\",\"Region\":77}");
        String c = add(db, "{\"CRM_ID\":\"C-3\",\"Region\":78}");

        assertThat(found(db, "\"matching\":\"custom\",\"field_name\":\"CRM_ID\",\"field_value\":\"A-1\"")).isEqualTo(a);
        assertThat(found(db, "\"matching\":\"custom\",\"field_name\":\"Region\",\"field_value\":78")).isEqualTo(c);
        assertThat(found(db, "\"matching\":\"custom\",\"field_name\":\"Region\",\"field_value\":\"78\"")).isEqualTo(c);
        notFound(db, "\"matching\":\"custom\",\"field_name\":\"CRM_ID\",\"field_value\":\"Z-9\"", "custom");
        notFound(db, "\"matching\":\"custom\",\"field_name\":\"Region\",\"field_value\":50", "custom");
        // a field that is not unique may match several profiles: 409 naming them
        ambiguous(db, "\"matching\":\"custom\",\"field_name\":\"Region\",\"field_value\":77", "'Region'", a, b);
        // a unique field cannot be ambiguous: a second profile cannot take the value
        assertRefused(db, "profiles/add", "{\"db_id\":" + db + ",\"data\":{\"CRM_ID\":\"A-1\"}}", 409,
                "value 'A-1' of unique field 'CRM_ID'", a);
        // missing or wrong keys
        assertError(getCall(db, "\"matching\":\"custom\",\"field_value\":\"A-1\""), 400, "'field_name'");
        assertError(getCall(db, "\"matching\":\"custom\",\"field_name\":\"CRM_ID\""), 400, "'field_value'");
        assertError(getCall(db, "\"matching\":\"custom\",\"field_name\":\"NOPE\",\"field_value\":\"1\""), 400, "'NOPE'");
        // the key may come from data
        JsonNode imported = ok("profiles/import", "{\"db_id\":" + db + ",\"matching\":\"custom\",\"field_name\":\"CRM_ID\","
                + "\"data\":{\"CRM_ID\":\"B-2\",\"_fname\":\"Bob\"}}");
        assertThat(imported.path("profile_id").asText()).isEqualTo(b);
        assertThat(getById(db, b).path("_fname").asText()).isEqualTo("Bob");
    }

    @Test
    void customSub() {
        long db = database();
        long r1 = resource("telegram_bot", "whatsapp");
        long r2 = resource("telegram_bot");
        String a = add(db, "{\"subscriptions\":[" + telegramSub(r1, 1001) + "]}");
        String b = add(db, "{\"subscriptions\":[" + telegramSub(r2, 1001) + "]}");
        String c = add(db, "{\"subscriptions\":[" + telegramSub(r1, 3003) + ",{\"channel\":\"whatsapp\",\"resource_id\":"
                + r1 + ",\"cc_data\":{\"phone\":\"+79001112233\"}}]}");

        assertThat(found(db, "\"matching\":\"custom_sub\",\"field_name\":\"telegram_bot\",\"field_value\":3003")).isEqualTo(c);
        assertThat(found(db, "\"matching\":\"custom_sub\",\"field_name\":\"telegram_bot\",\"field_value\":\"3003\""))
                .isEqualTo(c);
        assertThat(found(db, "\"matching\":\"custom_sub\",\"field_name\":\"whatsapp\",\"field_value\":\"+7 900 111 22 33\""))
                .isEqualTo(c);
        assertThat(found(db, "\"matching\":\"custom_sub\",\"field_name\":\"telegram_bot\",\"field_value\":1001,"
                + "\"resource_id\":" + r2)).isEqualTo(b);
        notFound(db, "\"matching\":\"custom_sub\",\"field_name\":\"telegram_bot\",\"field_value\":9999", "custom_sub");
        // a telegram chat id is no identity key: two profiles may share it, and matching it is then a 409
        ambiguous(db, "\"matching\":\"custom_sub\",\"field_name\":\"telegram_bot\",\"field_value\":1001", a, b);
        assertError(getCall(db, "\"matching\":\"custom_sub\",\"field_name\":\"telegram_bot\""), 400, "'field_value'");
        assertError(getCall(db, "\"matching\":\"custom_sub\",\"field_value\":1001"), 400, "'field_name'");
        assertError(getCall(db, "\"matching\":\"custom_sub\",\"field_name\":\"email\",\"field_value\":\"a@b.cd\""), 400,
                "'field_name'");
    }

    @Test
    void emailPhone() {
        long db = database();
        String a = add(db, "{\"email\":\"anna@example.com\",\"phones\":[\"+79001112233\"]}");
        String b = add(db, "{\"phones\":[\"+79005556677\"]}");

        assertThat(found(db, "\"matching\":\"email_phone\",\"email\":\"anna@example.com\"")).isEqualTo(a);
        assertThat(found(db, "\"matching\":\"email_phone\",\"phone\":\"+79005556677\"")).isEqualTo(b);
        assertThat(found(db, "\"matching\":\"email_phone\",\"email\":\"anna@example.com\",\"phone\":\"+79001112233\""))
                .isEqualTo(a);
        // one of the two keys is enough
        assertThat(found(db, "\"matching\":\"email_phone\",\"email\":\"anna@example.com\",\"phone\":\"+79009990000\""))
                .isEqualTo(a);
        notFound(db, "\"matching\":\"email_phone\",\"email\":\"x@example.com\",\"phone\":\"+79009990000\"", "email_phone");
        // the email leads to one profile and the phone to another
        ambiguous(db, "\"matching\":\"email_phone\",\"email\":\"anna@example.com\",\"phone\":\"+79005556677\"", a, b);
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"matching\":\"email_phone\",\"email\":"
                + "\"anna@example.com\",\"phone\":\"+79005556677\",\"data\":{\"_fname\":\"X\"}}", 409, "ambiguous match");
        assertError(getCall(db, "\"matching\":\"email_phone\""), 400, "'email' or 'phone'");
    }

    @Test
    void emailPhoneSub() {
        long db = database();
        long resource = resource("email", "sms");
        String a = add(db, "{\"subscriptions\":[" + emailSub(resource, "anna@example.com") + "]}");
        String b = add(db, "{\"subscriptions\":[" + smsSub(resource, "+79005556677") + "]}");
        add(db, "{\"email\":\"carl@example.com\",\"phones\":[\"+79007778899\"]}");

        assertThat(found(db, "\"matching\":\"email_phone_sub\",\"email\":\"anna@example.com\"")).isEqualTo(a);
        assertThat(found(db, "\"matching\":\"email_phone_sub\",\"phone\":\"+79005556677\"")).isEqualTo(b);
        // carl's email and phone are profile fields, not subscriptions
        notFound(db, "\"matching\":\"email_phone_sub\",\"email\":\"carl@example.com\",\"phone\":\"+79007778899\"",
                "email_phone_sub");
        ambiguous(db, "\"matching\":\"email_phone_sub\",\"email\":\"anna@example.com\",\"phone\":\"+79005556677\"", a, b);
        assertError(getCall(db, "\"matching\":\"email_phone_sub\""), 400, "'email' or 'phone'");
    }

    // ---- rules around matching ----

    @Test
    void defaultMatchingIsEmailAndEmptyMatchingToo() {
        long db = database();
        String a = importEmail(db, "anna@example.com");
        assertThat(found(db, "\"email\":\"anna@example.com\"")).isEqualTo(a);
        assertThat(found(db, "\"matching\":\"\",\"email\":\"anna@example.com\"")).isEqualTo(a);
        assertThat(ok("profiles/import", "{\"db_id\":" + db + ",\"data\":{\"email\":\"ANNA@example.com\",\"_fname\":\"A\"}}")
                .path("profile_id").asText()).isEqualTo(a);
        assertThat(profileCount(db)).isEqualTo(1);
    }

    @Test
    void resourceIdNarrowsEmailAndPhoneMatching() {
        long db = database();
        long r1 = resource("email", "sms");
        long r2 = resource("email", "sms");
        String a = add(db, "{\"subscriptions\":[" + emailSub(r1, "anna@example.com") + "," + smsSub(r1, "+79001112233")
                + "]}");
        String b = add(db, "{\"email\":\"bob@example.com\"}");
        assertThat(found(db, "\"email\":\"anna@example.com\",\"resource_id\":" + r1)).isEqualTo(a);
        notFound(db, "\"email\":\"anna@example.com\",\"resource_id\":" + r2, "email");
        assertThat(found(db, "\"matching\":\"phone\",\"phone\":\"+79001112233\",\"resource_id\":" + r1)).isEqualTo(a);
        notFound(db, "\"matching\":\"phone\",\"phone\":\"+79001112233\",\"resource_id\":" + r2, "phone");
        // the profile's own email still matches whatever the resource
        assertThat(found(db, "\"email\":\"bob@example.com\",\"resource_id\":" + r2)).isEqualTo(b);
    }

    @Test
    void keysFromTheTopLevelWinOverData() {
        long db = database();
        String a = importEmail(db, "anna@example.com");
        String b = importEmail(db, "bob@example.com");
        JsonNode answer = ok("profiles/import", "{\"db_id\":" + db + ",\"email\":\"anna@example.com\",\"data\":"
                + "{\"email\":\"anna.new@example.com\",\"_fname\":\"Anna\"}}");
        assertThat(answer.path("profile_id").asText()).isEqualTo(a);
        assertThat(answer.path("created").asBoolean()).isFalse();
        JsonNode anna = getById(db, a);
        assertThat(anna.path("email").asText()).isEqualTo("anna.new@example.com");
        assertThat(anna.path("_fname").asText()).isEqualTo("Anna");
        assertThat(getById(db, b).has("_fname")).isFalse();
        // the old address was freed and the new one is the key now
        notFound(db, "\"email\":\"anna@example.com\"", "email");
        assertThat(found(db, "\"email\":\"anna.new@example.com\"")).isEqualTo(a);
        // data alone is enough when the top level has no key
        assertThat(ok("profiles/import", "{\"db_id\":" + db + ",\"data\":{\"email\":\"bob@example.com\",\"_fname\":\"Bob\"}}")
                .path("profile_id").asText()).isEqualTo(b);
        assertThat(profileCount(db)).isEqualTo(2);
    }

    @Test
    void keysMissingEverywhereAre400NamingTheKey() {
        long db = database();
        field(db, "CRM_ID", "string");
        importEmail(db, "anna@example.com");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"data\":{\"_fname\":\"X\"}}", 400, "'email'");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"matching\":\"phone\",\"data\":{\"_fname\":\"X\"}}",
                400, "'phone'");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"matching\":\"custom\",\"field_name\":\"CRM_ID\","
                + "\"data\":{\"_fname\":\"X\"}}", 400, "'field_value'");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"matching\":\"profile_id\",\"data\":{}}", 400,
                "'profile_id'");
        assertRefused(db, "profiles/update", "{\"db_id\":" + db + ",\"matching\":\"email\",\"data\":{\"_fname\":\"X\"}}",
                400, "'email'");
    }

    @Test
    void importCreatesAProfileThatCarriesTheKeyItWasSearchedBy() {
        long db = database();
        uniqueField(db, "CRM_ID", "string");
        // keys only at the top level: the new profile gets them, and the same request finds it next time
        String[] requests = {
            "{\"db_id\":" + db + ",\"email\":\"anna@example.com\",\"data\":{}}",
            "{\"db_id\":" + db + ",\"matching\":\"phone\",\"phone\":\"+79001112233\",\"data\":{}}",
            "{\"db_id\":" + db + ",\"matching\":\"custom\",\"field_name\":\"CRM_ID\",\"field_value\":\"C-1\",\"data\":{}}",
        };
        for (String request : requests) {
            JsonNode first = ok("profiles/import", request);
            assertThat(first.path("created").asBoolean()).as(request).isTrue();
            JsonNode second = ok("profiles/import", request);
            assertThat(second.path("created").asBoolean()).as(request).isFalse();
            assertThat(second.path("profile_id").asText()).as(request).isEqualTo(first.path("profile_id").asText());
        }
        assertThat(profileCount(db)).isEqualTo(3);
        assertThat(get(db, "\"email\":\"anna@example.com\"").path("email").asText()).isEqualTo("anna@example.com");
        assertThat(get(db, "\"matching\":\"phone\",\"phone\":\"+79001112233\"").path("phones").toString())
                .isEqualTo("[\"+79001112233\"]");
        assertThat(get(db, "\"matching\":\"custom\",\"field_name\":\"CRM_ID\",\"field_value\":\"C-1\"").path("CRM_ID")
                .asText()).isEqualTo("C-1");
    }

    @Test
    void profileIdMatchingNeverCreates() {
        long db = database();
        importEmail(db, "anna@example.com");
        Response r = assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"matching\":\"profile_id\",\"profile_id\":\""
                + UNKNOWN_ID + "\",\"data\":{\"email\":\"new@example.com\"}}", 404, "profile not found");
        assertThat(r.json().has("profile_id")).isFalse();
        assertThat(profileCount(db)).isEqualTo(1);
    }

    @Test
    void updateNeverCreatesAndTakesProfileIdWithoutMatching() {
        long db = database();
        String a = importEmail(db, "anna@example.com");
        assertRefused(db, "profiles/update", "{\"db_id\":" + db + ",\"email\":\"new@example.com\",\"data\":"
                + "{\"email\":\"new@example.com\"}}", 404, "profile not found");
        assertRefused(db, "profiles/update", "{\"db_id\":" + db + ",\"profile_id\":\"" + UNKNOWN_ID + "\",\"data\":"
                + "{\"_fname\":\"X\"}}", 404, "profile not found");

        JsonNode updated = ok("profiles/update", "{\"db_id\":" + db + ",\"profile_id\":\"" + a + "\",\"data\":"
                + "{\"_fname\":\"Anna\"}}");
        assertThat(updated.path("profile_id").asText()).isEqualTo(a);
        assertThat(getById(db, a).path("_fname").asText()).isEqualTo("Anna");
        JsonNode byEmail = ok("profiles/update", "{\"db_id\":" + db + ",\"email\":\"anna@example.com\",\"data\":"
                + "{\"_lname\":\"Smith\"}}");
        assertThat(byEmail.path("profile_id").asText()).isEqualTo(a);
        assertThat(getById(db, a).path("_lname").asText()).isEqualTo("Smith");
        assertThat(profileCount(db)).isEqualTo(1);
    }

    @Test
    void addAlwaysCreatesAndRefusesATakenEmail() {
        long db = database();
        String a = add(db, "{\"_fname\":\"Twin\"}");
        String b = add(db, "{\"_fname\":\"Twin\"}");
        String empty = ok("profiles/add", "{\"db_id\":" + db + "}").path("profile_id").asText();
        assertThat(List.of(a, b, empty)).doesNotHaveDuplicates();
        assertThat(getById(db, empty).path("subscriptions").isEmpty()).isTrue();
        String c = add(db, "{\"email\":\"carl@example.com\"}");
        assertThat(profileCount(db)).isEqualTo(4);
        assertRefused(db, "profiles/add", "{\"db_id\":" + db + ",\"data\":{\"email\":\"Carl@Example.com\"}}", 409,
                "email 'carl@example.com'", c);
        // add does not search: matching parameters are not among its parameters
        assertRefused(db, "profiles/add", "{\"db_id\":" + db + ",\"matching\":\"email\",\"email\":\"carl@example.com\","
                + "\"data\":{}}", 400, "'matching'");
    }

    @Test
    void deleteNeedsTheDeletePermissionAndRemovesEverything() {
        long db = database();
        long resource = resource("email", "sms", "push");
        uniqueField(db, "CRM_ID", "string");
        String a = importOk("{\"db_id\":" + db + ",\"email\":\"anna@example.com\",\"data\":{\"email\":\"anna@example.com\","
                + "\"phones\":[\"+79001112233\"],\"CRM_ID\":\"A-1\",\"subscriptions\":[" + emailSub(resource, "anna.work@example.com")
                + "," + smsSub(resource, "+79001112233") + "," + pushSub(resource, "Firefox", "tok") + "]}}");
        String b = importEmail(db, "bob@example.com");
        long auditBefore = server.store().read(h -> h.createQuery(
                "select count(*) from audit_log where action = 'profile.delete'").mapTo(Long.class).one());

        // the master token has no profiles.delete unless granted explicitly
        assertRefused(db, "profiles/delete", "{\"db_id\":" + db + ",\"email\":\"anna@example.com\"}", 403,
                "'profiles.delete'");
        String deleter = ok("tokens/create", "{\"name\":\"deleter\",\"permissions\":[\"profiles.read\",\"profiles.write\","
                + "\"profiles.delete\"]}").path("data").path("token").asText();
        // delete takes email, phone, profile_id and custom only
        assertError(server.client(deleter).call("profiles/delete", "{\"db_id\":" + db + ",\"matching\":\"email_sub\","
                + "\"email\":\"anna.work@example.com\"}"), 400, "'matching'");
        assertError(server.client(deleter).call("profiles/delete", "{\"db_id\":" + db + ",\"email\":\"x@example.com\"}"),
                404, "profile not found");

        JsonNode deleted = server.client(deleter).ok("profiles/delete", "{\"db_id\":" + db + ",\"email\":\"anna@example.com\"}");
        assertThat(deleted.path("data").path("profile_id").asText()).isEqualTo(a);
        notFound(db, "\"matching\":\"profile_id\",\"profile_id\":\"" + a + "\"", "profile_id");
        assertThat(profileIds(db)).containsExactly(b);
        assertThat(count("select count(*) from subscriptions where db_id = :db", db)).isZero();
        long keysLeft = server.store().read(h -> h.createQuery(
                "select count(*) from profile_keys where profile_id = :id").bind("id", a).mapTo(Long.class).one());
        assertThat(keysLeft).isZero();
        // the keys are free again: the email, phone, push token and CRM_ID make a new profile
        JsonNode again = ok("profiles/import", "{\"db_id\":" + db + ",\"email\":\"anna@example.com\",\"data\":{\"email\":"
                + "\"anna@example.com\",\"phones\":[\"+79001112233\"],\"CRM_ID\":\"A-1\",\"subscriptions\":["
                + emailSub(resource, "anna.work@example.com") + "," + pushSub(resource, "Firefox", "tok") + "]}}");
        assertThat(again.path("created").asBoolean()).isTrue();
        assertThat(again.path("profile_id").asText()).isNotEqualTo(a);
        // the audit line: who deleted which profile, no personal data
        List<String> audit = server.store().read(h -> h.createQuery("select token_name || '|' || object "
                        + "from audit_log where action = 'profile.delete' order by id").mapTo(String.class).list());
        assertThat(audit).hasSize((int) auditBefore + 1);
        String line = audit.get(audit.size() - 1);
        assertThat(line).startsWith("deleter|").contains(a).doesNotContain("anna");
        // other matchings of delete
        String c = importEmail(db, "carl@example.com");
        server.client(deleter).ok("profiles/delete", "{\"db_id\":" + db + ",\"matching\":\"profile_id\",\"profile_id\":\""
                + c + "\"}");
        String d = importOk("{\"db_id\":" + db + ",\"matching\":\"custom\",\"field_name\":\"CRM_ID\",\"field_value\":\"D-4\","
                + "\"data\":{\"CRM_ID\":\"D-4\"}}");
        server.client(deleter).ok("profiles/delete", "{\"db_id\":" + db + ",\"matching\":\"custom\",\"field_name\":"
                + "\"CRM_ID\",\"field_value\":\"D-4\"}");
        assertThat(profileIds(db)).doesNotContain(a, c, d).contains(b);
    }
}
