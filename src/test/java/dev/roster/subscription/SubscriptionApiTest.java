package dev.roster.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** subscriptions/set, list, get, delete and undelete (docs/API.md, Subscriptions). */
class SubscriptionApiTest extends SubscriptionApiSupport {

    @Test
    void setCreatesThenMergesWhatIsSent() {
        long db = database();
        long r = resource("email", "sms");
        String id = profile(db, "olga@example.com");

        JsonNode created = set(db, id, r, "\"channel\":\"email\",\"email\":\"Olga.News@Example.com\","
                + "\"custom_fields\":{\"source\":\"form\",\"visits\":1},\"cats\":[\"news\"]");
        assertThat(created.path("created").asBoolean()).isTrue();
        JsonNode sub = created.path("data");
        assertThat(sub.path("resource_id").asLong()).isEqualTo(r);
        assertThat(sub.path("channel").asText()).isEqualTo("email");
        assertThat(sub.path("email").asText()).isEqualTo("Olga.News@Example.com");
        assertThat(sub.path("status").asText()).isEqualTo("subscribed");
        assertThat(sub.path("hash_id").asText()).matches("[0-9a-f]{8}");
        assertThat(sub.path("is_delete").asBoolean()).isFalse();
        assertThat(sub.has("priority")).isFalse();

        // the same address in another case is the same subscription: status by number, fields merged with a function
        JsonNode updated = set(db, id, r, "\"channel\":\"email\",\"email\":\"olga.news@example.com\",\"status\":5,"
                + "\"priority\":3,\"custom_fields\":{\"visits\":{\"action\":\"incr\",\"value\":2},\"ref\":\"x\"}");
        assertThat(updated.path("created").asBoolean()).isFalse();
        JsonNode got = getSub(db, id, r, "\"channel\":\"email\",\"email\":\"OLGA.NEWS@example.com\"");
        assertThat(got.path("status").asText()).isEqualTo("suspended");
        assertThat(got.path("priority").asInt()).isEqualTo(3);
        assertThat(got.path("custom_fields").toString()).isEqualTo("{\"source\":\"form\",\"visits\":3,\"ref\":\"x\"}");
        assertThat(got.path("cats").toString()).isEqualTo("[\"news\"]");
        assertThat(got.path("hash_id").asText()).isEqualTo(sub.path("hash_id").asText());
        assertThat(got.path("email").asText()).isEqualTo("Olga.News@Example.com");

        // a status word replaces it; cats sent replace the cats; unset through null
        set(db, id, r, "\"channel\":\"email\",\"email\":\"olga.news@example.com\",\"status\":\"Unsubscribed\","
                + "\"cats\":[\"sales\",\"news\"],\"custom_fields\":{\"ref\":null}");
        got = getSub(db, id, r, "\"channel\":\"email\",\"email\":\"olga.news@example.com\"");
        assertThat(got.path("status").asText()).isEqualTo("unsubscribed");
        assertThat(got.path("priority").asInt()).isEqualTo(3);
        assertThat(got.path("cats").toString()).isEqualTo("[\"sales\",\"news\"]");
        assertThat(got.path("custom_fields").toString()).isEqualTo("{\"source\":\"form\",\"visits\":3}");

        // profiles/get shows it in the stored form, and the address is now a key of the profile
        JsonNode stored = ok("profiles/get", "{\"db_id\":" + db + ",\"email\":\"olga.news@example.com\"}").path("data");
        assertThat(stored.path("id").asText()).isEqualTo(id);
        assertThat(stored.path("subscriptions").get(0).path("email_data").path("email").asText())
                .isEqualTo("Olga.News@Example.com");
        assertThat(list(db, id).size()).isEqualTo(1);
    }

    @Test
    void everyChannelIsNamedByItsAddress() {
        long db = createDatabaseWithRegion();
        long r = resource("email", "sms", "push", "telegram_bot", "whatsapp");
        String id = profile(db, "pavel@example.com");
        set(db, id, r, "\"channel\":\"email\",\"email\":\"pavel@example.com\",\"status\":\"unconfirmed\"");
        set(db, id, r, "\"channel\":\"sms\",\"phone\":\"8 900 555-11-22\",\"priority\":1");
        set(db, id, r, "\"channel\":\"push\",\"provider\":\"Firefox\",\"subscription_id\":\"tok-1\","
                + "\"custom_fields\":{\"_device_type\":\"web\"}");
        set(db, id, r, "\"channel\":\"telegram_bot\",\"cc_data\":{\"id\":4242}");
        set(db, id, r, "\"channel\":\"whatsapp\",\"cc_data\":{\"phone\":\"+79005551133\"}");

        JsonNode all = list(db, id);
        assertThat(all.findValuesAsText("channel")).containsExactly("email", "sms", "push", "telegram_bot", "whatsapp");
        assertThat(all.get(1).path("phone").asText()).isEqualTo("+79005551122");
        assertThat(all.get(2).path("provider").asText()).isEqualTo("Firefox");
        assertThat(all.get(2).path("subscription_id").asText()).isEqualTo("tok-1");
        assertThat(all.get(3).path("cc_data").path("id").asLong()).isEqualTo(4242);
        assertThat(all.get(0).has("hash_id")).as("list is the flat form (docs/API.md, subscriptions/list)").isFalse();

        assertThat(getSub(db, id, r, "\"channel\":\"sms\",\"phone\":\"+79005551122\"").path("priority").asInt())
                .isEqualTo(1);
        assertThat(getSub(db, id, r, "\"channel\":\"push\",\"provider\":\"Firefox\",\"subscription_id\":\"tok-1\"")
                .path("custom_fields").path("_device_type").asText()).isEqualTo("web");
        assertThat(getSub(db, id, r, "\"channel\":\"telegram_bot\",\"cc_data\":{\"id\":\"4242\"}")
                .path("status").asText()).isEqualTo("subscribed");
        assertThat(getSub(db, id, r, "\"channel\":\"whatsapp\",\"cc_data\":{\"phone\":\"89005551133\"}")
                .path("channel").asText()).isEqualTo("whatsapp");
        assertThat(getSub(db, id, r, "\"channel\":\"email\",\"email\":\"pavel@example.com\"").path("status").asText())
                .isEqualTo("unconfirmed");
        // the sms subscription's number finds the profile
        assertThat(ok("profiles/get", "{\"db_id\":" + db + ",\"matching\":\"phone\",\"phone\":\"+79005551122\"}")
                .path("data").path("id").asText()).isEqualTo(id);
    }

    private static long createDatabaseWithRegion() {
        return master().ok("databases/create", "{\"name\":\"" + unique("db") + "\",\"phone_region\":\"RU\"}")
                .path("data").path("id").asLong();
    }

    @Test
    void anAddressAnotherProfileHoldsIsAConflict() {
        long db = database();
        long r = resource("email");
        String first = profile(db, "kira@example.com");
        String second = profile(db, "lev@example.com");
        assertRefused("subscriptions/set", body(db, second, r, "\"channel\":\"email\",\"email\":\"Kira@example.com\""),
                409, "email 'kira@example.com' already belongs to profile " + first);
        set(db, first, r, "\"channel\":\"email\",\"email\":\"kira@example.com\"");
        assertThat(list(db, first).size()).isEqualTo(1);
        assertThat(list(db, second).size()).isZero();
    }

    @Test
    void setRefusesBadInputAndChangesNothing() {
        long db = database();
        long other = database();
        long r = resource("email");
        long smsOnly = resource("sms");
        String id = profile(db, "mila@example.com");
        set(db, id, r, "\"channel\":\"email\",\"email\":\"mila@example.com\"");
        String email = "\"channel\":\"email\",\"email\":\"mila@example.com\"";

        assertRefused("subscriptions/set", body(db, "0123456789abcdef01234567", r, email), 404, "profile", "not found");
        assertRefused("subscriptions/set", body(db, "not-an-id", r, email), 400, "'profile_id'");
        assertRefused("subscriptions/set", body(other, id, r, email), 404, "profile " + id, "database " + other);
        assertRefused("subscriptions/set", body(999_999, id, r, email), 404, "database 999999 not found");
        assertRefused("subscriptions/set", body(db, id, 999_999, email), 404, "resource 999999 not found");
        assertRefused("subscriptions/set", body(db, id, smsOnly, email), 400, "channel 'email' is not enabled");
        assertRefused("subscriptions/set", body(db, id, r, "\"channel\":\"fax\",\"email\":\"mila@example.com\""),
                400, "'channel'", "\"fax\"");
        assertRefused("subscriptions/set", body(db, id, r, email + ",\"status\":\"gone\""), 400, "'status'", "\"gone\"");
        assertRefused("subscriptions/set", body(db, id, r, email + ",\"status\":7"), 400, "'status'");
        assertRefused("subscriptions/set", body(db, id, r, email + ",\"priority\":\"high\""), 400, "'priority'");
        assertRefused("subscriptions/set", body(db, id, r, email + ",\"custom_fields\":[1]"), 400, "'custom_fields'");
        assertRefused("subscriptions/set", body(db, id, r, email + ",\"custom_fields\":{\"n\":{\"action\":\"incr\","
                + "\"value\":\"x\"}}"), 400, "custom_fields.n");
        assertRefused("subscriptions/set", body(db, id, r, email + ",\"cats\":5"), 400, "'cats'");
        assertRefused("subscriptions/set", body(db, id, r, "\"channel\":\"email\",\"email\":42"), 400, "'email'");
        assertRefused("subscriptions/set", body(db, id, r, "\"channel\":\"email\",\"email\":\"no-at-sign\""), 400,
                "no-at-sign");
        assertRefused("subscriptions/set", body(db, id, r, "\"channel\":\"email\""), 400, "missing 'email'");
        assertRefused("subscriptions/set", body(db, id, r, email + ",\"date\":\"2026-01-01\""), 400,
                "unknown parameter 'date'");
        assertRefused("subscriptions/set", "{\"db_id\":\"" + db + "\",\"profile_id\":\"" + id + "\",\"resource_id\":"
                + r + "," + email + "}", 400, "'db_id'", "expected an integer");
        assertRefused("subscriptions/set", "{\"db_id\":" + db + ",\"profile_id\":\"" + id + "\"," + email + "}", 400,
                "missing required parameter 'resource_id'");
        assertRefused("subscriptions/set", "{\"db_id\":" + db + ",\"profile_id\":\"" + id + "\",\"resource_id\":" + r
                + ",\"email\":\"mila@example.com\"}", 400, "missing required parameter 'channel'");
        assertThat(statuses(list(db, id))).containsExactly("subscribed");
    }

    @Test
    void deleteIsSoftAndUndeleteRestores() {
        long db = database();
        long r = resource("email", "sms");
        String id = profile(db, "nina@example.com");
        set(db, id, r, "\"channel\":\"email\",\"email\":\"nina@example.com\",\"status\":\"unsubscribed\"");
        set(db, id, r, "\"channel\":\"email\",\"email\":\"nina.work@example.com\"");
        String work = "\"channel\":\"email\",\"email\":\"nina.work@example.com\"";

        JsonNode deleted = ok("subscriptions/delete", body(db, id, r, work)).path("data");
        assertThat(deleted.path("is_delete").asBoolean()).isTrue();
        assertThat(getSub(db, id, r, work).path("is_delete").asBoolean()).isTrue();
        assertThat(list(db, id).findValuesAsText("email")).containsExactly("nina@example.com");
        // deleting twice is fine; the subscription stays deleted when set again (as with import)
        ok("subscriptions/delete", body(db, id, r, work));
        set(db, id, r, work + ",\"priority\":2");
        assertThat(getSub(db, id, r, work).path("is_delete").asBoolean()).isTrue();
        assertThat(getSub(db, id, r, work).path("priority").asInt()).isEqualTo(2);

        JsonNode restored = ok("subscriptions/undelete", body(db, id, r, work)).path("data");
        assertThat(restored.path("is_delete").asBoolean()).isFalse();
        assertThat(restored.path("status").asText()).isEqualTo("subscribed");
        assertThat(list(db, id).findValuesAsText("email")).containsExactly("nina@example.com", "nina.work@example.com");
        assertThat(statuses(list(db, id))).containsExactly("unsubscribed", "subscribed");
    }

    /**
     * docs/API.md (Matching; Subscriptions in data.subscriptions): a resource created with db_ids serves only those
     * databases. Named at the top level, another
     * database's resource is a 404 naming it; inside data.subscriptions, a 400 naming the item (or a skipped one).
     */
    @Test
    void aResourceThatDoesNotServeTheDatabaseIsRefusedEverywhere() {
        long served = database();
        long db = database();
        long r = ok("resources/create", "{\"name\":\"" + unique("narrow") + "\",\"channels\":[\"email\"],\"db_ids\":["
                + served + "]}").path("data").path("id").asLong();
        long everywhere = resource("email");
        String id = profile(db, "nadia@example.com");
        set(db, id, everywhere, "\"channel\":\"email\",\"email\":\"nadia@example.com\"");
        String email = "\"channel\":\"email\",\"email\":\"nadia@example.com\"";
        String notServing = "resource " + r + " does not serve database " + db;
        for (String method : List.of("subscriptions/set", "subscriptions/get", "subscriptions/delete",
                "subscriptions/undelete")) {
            assertRefused(method, body(db, id, r, email), 404, notServing);
        }
        assertRefused("subscriptions/list_all", "{\"db_id\":" + db + ",\"resource_id\":" + r + "}", 404, notServing);
        assertRefused("subscriptions/suspend_all", "{\"db_id\":" + db + ",\"resource_id\":" + r + "}", 404, notServing);
        assertRefused("subscriptions/unsuspend_all", "{\"db_id\":" + db + ",\"resource_id\":" + r + "}", 404,
                notServing);
        assertRefused("databases/get_counters", "{\"id\":" + db + ",\"resource_id\":" + r + "}", 404, notServing);
        assertRefused("resources/get_counters", "{\"id\":" + r + ",\"db_id\":" + db + "}", 404, notServing);
        long segment = ok("segments/create", "{\"db_id\":" + db + ",\"name\":\"" + unique("seg")
                + "\",\"type\":\"static\"}").path("data").path("id").asLong();
        assertRefused("segments/get_counters", "{\"id\":" + segment + ",\"resource_id\":" + r + "}", 404, notServing);
        String item = "{\"channel\":\"email\",\"resource_id\":" + r + ",\"email\":\"nadia@example.com\"}";
        assertRefused("profiles/import", "{\"db_id\":" + db + ",\"data\":{\"email\":\"nadia@example.com\","
                + "\"subscriptions\":[" + item + "]}}", 400, "data.subscriptions[0]: " + notServing);
        JsonNode skipped = ok("profiles/import", "{\"db_id\":" + db + ",\"skip_invalid_subscriptions\":true,"
                + "\"data\":{\"email\":\"nadia@example.com\",\"subscriptions\":[" + item + "]}}");
        assertThat(skipped.path("skipped_subscriptions").get(0).path("reason").asText()).contains(notServing);
        assertThat(list(db, id).size()).as("only the subscription to the resource that serves every database").isEqualTo(1);
        // in the database it serves, the same calls work
        String there = profile(served, "nadia@example.com");
        assertThat(set(served, there, r, email).path("created").asBoolean()).isTrue();
        assertThat(ok("subscriptions/list_all", "{\"db_id\":" + served + ",\"resource_id\":" + r + "}")
                .path("data").size()).isEqualTo(1);
    }

    @Test
    void readsAndDeletesRefuseBadInputAndChangeNothing() {
        long db = database();
        long other = database();
        long r = resource("email", "sms");
        long r2 = resource("email");
        String id = profile(db, "oleg@example.com");
        String elsewhere = profile(other, "oleg@example.com");
        set(db, id, r, "\"channel\":\"email\",\"email\":\"oleg@example.com\"");
        String email = "\"channel\":\"email\",\"email\":\"oleg@example.com\"";
        List<String> methods = List.of("subscriptions/get", "subscriptions/delete", "subscriptions/undelete");
        for (String method : methods) {
            assertRefused(method, body(db, "0123456789abcdef01234567", r, email), 404, "profile", "not found");
            assertRefused(method, body(db, elsewhere, r, email), 404, "profile " + elsewhere);
            assertRefused(method, body(other, elsewhere, r, email), 404, "subscription not found");
            assertRefused(method, body(other, id, r, email), 404, "profile " + id);
            assertRefused(method, body(db, id, r2, email), 404, "subscription not found");
            assertRefused(method, body(db, id, 999_999, email), 404, "resource 999999 not found");
            assertRefused(method, body(db, id, r, "\"channel\":\"sms\",\"phone\":\"+79005550000\""), 404,
                    "subscription not found");
            assertRefused(method, body(db, id, r, "\"channel\":\"pigeon\",\"email\":\"oleg@example.com\""), 400,
                    "'channel'");
            assertRefused(method, body(db, id, r, email + ",\"status\":\"subscribed\""), 400,
                    "unknown parameter 'status'");
            assertRefused(method, body(db, id, r, "\"channel\":\"email\",\"email\":[\"oleg@example.com\"]"), 400,
                    "'email'");
            assertRefused(method, "{\"db_id\":" + db + ",\"profile_id\":5,\"resource_id\":" + r + "," + email + "}",
                    400, "'profile_id'");
        }
        assertRefused("subscriptions/list", "{\"db_id\":" + db + ",\"profile_id\":\"0123456789abcdef01234567\"}", 404,
                "profile");
        assertRefused("subscriptions/list", "{\"db_id\":" + other + ",\"profile_id\":\"" + id + "\"}", 404, "profile");
        assertRefused("subscriptions/list", "{\"db_id\":" + db + "}", 400, "missing required parameter 'profile_id'");
        assertRefused("subscriptions/list", "{\"db_id\":" + db + ",\"profile_id\":\"" + id + "\",\"resource_id\":" + r
                + "}", 400, "unknown parameter 'resource_id'");
        assertThat(getSub(db, id, r, email).path("is_delete").asBoolean()).isFalse();
        assertThat(list(other, elsewhere)).isEmpty();
    }

    @Test
    void readsNeedProfilesReadAndWritesSubscriptionsWrite() {
        long db = database();
        long r = resource("email");
        String id = profile(db, "pyotr@example.com");
        set(db, id, r, "\"channel\":\"email\",\"email\":\"pyotr@example.com\"");
        var reader = server.client(ok("tokens/create", "{\"name\":\"" + unique("reader")
                + "\",\"permissions\":[\"profiles.read\"]}").path("data").path("token").asText());
        String email = body(db, id, r, "\"channel\":\"email\",\"email\":\"pyotr@example.com\"");
        assertThat(reader.ok("subscriptions/get", email).path("data").path("email").asText())
                .isEqualTo("pyotr@example.com");
        List<String> refused = new ArrayList<>();
        for (String method : List.of("subscriptions/set", "subscriptions/delete", "subscriptions/undelete")) {
            var response = reader.call(method, email);
            assertError(response, 403, "subscriptions.write");
            refused.add(method);
        }
        assertThat(refused).hasSize(3);
        assertThat(getSub(db, id, r, "\"channel\":\"email\",\"email\":\"pyotr@example.com\"").path("is_delete")
                .asBoolean()).isFalse();
    }
}
