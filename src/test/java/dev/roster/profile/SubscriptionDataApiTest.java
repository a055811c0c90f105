package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.json.Json;
import dev.roster.testing.TestServer.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions inside {@code data} (docs/COMPATIBILITY.md, Subscriptions): channels, stored form, merge, validation.
 */
class SubscriptionDataApiTest extends ProfileApiSupport {
    private static final String[] STATUS_WORDS = {"subscribed", "unsubscribed", "complained", "hardbounced",
        "unconfirmed", "suspended", "invalid"};

    private static String subscribe(long db, String email, String subscriptions) {
        return importOk("{\"db_id\":" + db + ",\"email\":\"" + email + "\",\"data\":{\"email\":\"" + email
                + "\",\"subscriptions\":[" + subscriptions + "]}}");
    }

    private static JsonNode subscriptions(long db, String id) {
        return getById(db, id).path("subscriptions");
    }

    /** The one subscription of that channel (and resource). */
    private static JsonNode subscription(long db, String id, long resource, String channel) {
        List<JsonNode> hits = new ArrayList<>();
        subscriptions(db, id).forEach(s -> {
            if (s.path("channel").asText().equals(channel) && s.path("resource_id").asLong() == resource) {
                hits.add(s);
            }
        });
        assertThat(hits).as("%s subscriptions on resource %d", channel, resource).hasSize(1);
        return hits.get(0);
    }

    @Test
    void everyChannelInItsStoredForm() {
        long db = database("\"phone_region\":\"RU\"");
        long r = resource("email", "sms", "push", "telegram_bot", "whatsapp", "viber", "notify");
        String id = subscribe(db, "anna@example.com", """
                {"channel":"email","resource_id":%1$d,"email":"Anna.Work@Example.com"},
                {"channel":"sms","resource_id":%1$d,"phone":"8 900 111-22-33"},
                {"channel":"push","resource_id":%1$d,"provider":"android-firebase","subscription_id":"a81c-token"},
                {"channel":"telegram_bot","resource_id":%1$d,"cc_data":{"id":123456789}},
                {"channel":"whatsapp","resource_id":%1$d,"cc_data":{"phone":"+79001112244"}},
                {"channel":"viber","resource_id":%1$d,"cc_data":{"phone":"89001112255"}},
                {"channel":"notify","resource_id":%1$d,"cc_data":{"phone":"+7 900 111 22 66"}}""".formatted(r));
        JsonNode subs = subscriptions(db, id);
        assertThat(subs.size()).isEqualTo(7);
        for (JsonNode s : subs) {
            assertThat(s.path("resource_id").asLong()).isEqualTo(r);
            assertThat(s.path("status").asText()).isEqualTo("subscribed");
            assertThat(s.path("is_delete").asBoolean()).isFalse();
            assertThat(s.path("hash_id").asText()).matches("[0-9a-f]{8}");
            assertThat(s.path("reg_info").path("date").asText()).isNotEmpty();
        }
        JsonNode email = subscription(db, id, r, "email");
        assertThat(email.path("email_data").path("email").asText()).isEqualTo("Anna.Work@Example.com");
        assertThat(email.path("email_data").path("domain").asText()).isEqualTo("example.com");
        assertThat(email.path("email_data").path("md5").asText()).isEqualTo(md5("anna.work@example.com"));
        assertThat(subscription(db, id, r, "sms").path("sms_data").path("phone").asText()).isEqualTo("+79001112233");
        JsonNode push = subscription(db, id, r, "push").path("push_data");
        assertThat(push.path("provider").asText()).isEqualTo("android-firebase");
        assertThat(push.path("subscription_id").asText()).isEqualTo("a81c-token");
        assertThat(subscription(db, id, r, "telegram_bot").path("cc_data").path("id").asLong()).isEqualTo(123456789);
        assertThat(subscription(db, id, r, "whatsapp").path("cc_data").path("phone").asText()).isEqualTo("+79001112244");
        assertThat(subscription(db, id, r, "viber").path("cc_data").path("phone").asText()).isEqualTo("+79001112255");
        assertThat(subscription(db, id, r, "notify").path("cc_data").path("phone").asText()).isEqualTo("+79001112266");
        // the email and sms subscriptions' addresses are keys of the profile
        assertThat(get(db, "\"email\":\"anna.work@example.com\"").path("id").asText()).isEqualTo(id);
        assertThat(get(db, "\"matching\":\"phone\",\"phone\":\"+79001112233\"").path("id").asText()).isEqualTo(id);
    }

    @Test
    void importMergesSubscriptions() {
        long db = database();
        long r1 = resource("email", "sms", "push");
        long r2 = resource("email");
        String id = subscribe(db, "anna@example.com", """
                {"channel":"email","resource_id":%1$d,"email":"anna@example.com","cats":["news"],"priority":1,
                 "custom_fields":{"_device_type":"web","keep":"me"}},
                {"channel":"push","resource_id":%1$d,"provider":"Firefox","subscription_id":"tok"},
                {"channel":"email","resource_id":%2$d,"email":"anna@example.com","status":"unsubscribed"}""".formatted(r1, r2));
        JsonNode emailBefore = subscription(db, id, r1, "email");
        JsonNode pushBefore = subscription(db, id, r1, "push");
        JsonNode r2Before = subscription(db, id, r2, "email");
        assertThat(r2Before.path("status").asText()).isEqualTo("unsubscribed");

        subscribe(db, "anna@example.com", """
                {"channel":"email","resource_id":%1$d,"email":"ANNA@example.com","status":3,"priority":5,
                 "cats":["promo","news"],"custom_fields":{"_device_type":"mobile","extra":1}},
                {"channel":"sms","resource_id":%1$d,"phone":"+79001112233","status":"unconfirmed"},
                {"channel":"email","resource_id":%2$d,"email":"anna@example.com"}""".formatted(r1, r2));
        assertThat(subscriptions(db, id).size()).isEqualTo(4);
        // the known subscription gets status, priority, custom_fields and cats as sent; its identity stays
        JsonNode email = subscription(db, id, r1, "email");
        assertThat(email.path("status").asText()).isEqualTo("hardbounced");
        assertThat(email.path("priority").asInt()).isEqualTo(5);
        assertThat(email.path("cats").toString()).isEqualTo("[\"promo\",\"news\"]");
        assertThat(email.path("custom_fields").toString())
                .isEqualTo("{\"_device_type\":\"mobile\",\"keep\":\"me\",\"extra\":1}");
        assertThat(email.path("hash_id")).isEqualTo(emailBefore.path("hash_id"));
        assertThat(email.path("reg_info")).isEqualTo(emailBefore.path("reg_info"));
        assertThat(email.path("email_data")).isEqualTo(emailBefore.path("email_data"));
        // a new one takes the status sent
        assertThat(subscription(db, id, r1, "sms").path("status").asText()).isEqualTo("unconfirmed");
        // a known one sent without status keeps its status: import does not resubscribe
        assertThat(subscription(db, id, r2, "email")).isEqualTo(r2Before);
        // one not mentioned stays as it was
        assertThat(subscription(db, id, r1, "push")).isEqualTo(pushBefore);

        // import without subscriptions leaves them all
        List<String> before = state(db);
        importOk("{\"db_id\":" + db + ",\"email\":\"anna@example.com\",\"data\":{\"subscriptions\":[]}}");
        importOk("{\"db_id\":" + db + ",\"email\":\"anna@example.com\",\"data\":{}}");
        assertThat(state(db)).isEqualTo(before);
    }

    @Test
    void statusWordsAndNumbersZeroToSix() {
        long db = database();
        long r = resource("email");
        String id = subscribe(db, "anna@example.com", "");
        for (int n = 0; n <= 6; n++) {
            subscribe(db, "anna@example.com", "{\"channel\":\"email\",\"resource_id\":" + r
                    + ",\"email\":\"anna@example.com\",\"status\":" + n + "}");
            assertThat(subscription(db, id, r, "email").path("status").asText()).as("status %d", n)
                    .isEqualTo(STATUS_WORDS[n]);
            int other = (n + 3) % 7;
            subscribe(db, "anna@example.com", "{\"channel\":\"email\",\"resource_id\":" + r
                    + ",\"email\":\"anna@example.com\",\"status\":\"" + STATUS_WORDS[other].toUpperCase() + "\"}");
            assertThat(subscription(db, id, r, "email").path("status").asText()).isEqualTo(STATUS_WORDS[other]);
            subscribe(db, "anna@example.com", "{\"channel\":\"email\",\"resource_id\":" + r
                    + ",\"email\":\"anna@example.com\",\"status\":\"" + n + "\"}");
            assertThat(subscription(db, id, r, "email").path("status").asText()).isEqualTo(STATUS_WORDS[n]);
        }
        // -1 means "keep it" (docs/COMPATIBILITY.md, Subscriptions: everywhere a subscription is written)
        subscribe(db, "anna@example.com", "{\"channel\":\"email\",\"resource_id\":" + r
                + ",\"email\":\"anna@example.com\",\"status\":-1}");
        assertThat(subscription(db, id, r, "email").path("status").asText()).isEqualTo(STATUS_WORDS[6]);
        for (String bad : new String[] {"7", "-2", "\"gone\"", "true", "1.5"}) {
            assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"anna@example.com\",\"data\":"
                    + "{\"subscriptions\":[{\"channel\":\"email\",\"resource_id\":" + r + ",\"email\":\"anna@example.com\","
                    + "\"status\":" + bad + "}]}}", 400, "data.subscriptions[0]", "'status'");
        }
    }

    @Test
    void flatAndStoredInputForms() {
        long db = database();
        long r = resource("email", "sms", "push", "telegram_bot");
        String id = subscribe(db, "anna@example.com", """
                {"channel":"email","resource_id":%1$d,"email_data":{"email":"anna.work@example.com"}},
                {"channel":"sms","resource_id":%1$d,"sms_data":{"phone":"+79001112233"}},
                {"channel":"push","resource_id":%1$d,"push_data":{"provider":"ios-apns","subscription_id":"t1"}}""".formatted(r));
        assertThat(subscription(db, id, r, "email").path("email_data").path("email").asText())
                .isEqualTo("anna.work@example.com");
        assertThat(subscription(db, id, r, "sms").path("sms_data").path("phone").asText()).isEqualTo("+79001112233");
        assertThat(subscription(db, id, r, "push").path("push_data").path("subscription_id").asText()).isEqualTo("t1");
        // the flat form names the same subscriptions: no new ones
        subscribe(db, "anna@example.com", """
                {"channel":"email","resource_id":%1$d,"email":"anna.work@example.com","status":"unsubscribed"},
                {"channel":"push","resource_id":%1$d,"provider":"ios-apns","subscription_id":"t1"},
                {"channel":"telegram_bot","resource_id":%1$d,"cc_data":{"id":"777"}}""".formatted(r));
        assertThat(subscriptions(db, id).size()).isEqualTo(4);
        assertThat(subscription(db, id, r, "email").path("status").asText()).isEqualTo("unsubscribed");

        // the subscriptions read with get, sent back, are accepted and change nothing
        List<String> before = state(db);
        ObjectNode body = Json.object();
        body.put("db_id", db);
        body.put("email", "anna@example.com");
        body.set("data", Json.object().set("subscriptions", subscriptions(db, id)));
        assertThat(ok("profiles/import", Json.write(body)).path("profile_id").asText()).isEqualTo(id);
        assertThat(state(db)).isEqualTo(before);
    }

    @Test
    void invalidSubscriptionsAreRefusedNamingTheItemAndChangeNothing() {
        long db = database();
        long emailOnly = resource("email");
        long other = otherAccountsResource();
        String id = subscribe(db, "anna@example.com", "{\"channel\":\"email\",\"resource_id\":" + emailOnly
                + ",\"email\":\"anna@example.com\"}");
        String prefix = "{\"db_id\":" + db + ",\"email\":\"anna@example.com\",\"data\":{\"_fname\":\"Changed\","
                + "\"subscriptions\":[{\"channel\":\"email\",\"resource_id\":" + emailOnly + ",\"email\":\"anna@example.com\","
                + "\"status\":\"unsubscribed\"},";
        // a channel the resource does not enable
        assertRefused(db, "profiles/import", prefix + "{\"channel\":\"sms\",\"resource_id\":" + emailOnly
                + ",\"phone\":\"+79001112233\"}]}}", 400, "data.subscriptions[1]", "'sms'", "resource " + emailOnly);
        // an unknown resource is a 404 naming it (docs/COMPATIBILITY.md, Subscriptions), the item named too
        assertRefused(db, "profiles/import", prefix + "{\"channel\":\"email\",\"resource_id\":987654,"
                + "\"email\":\"x@example.com\"}]}}", 404, "data.subscriptions[1]", "resource 987654 not found");
        // a resource of another account is the same as an unknown one
        assertRefused(db, "profiles/import", prefix + "{\"channel\":\"email\",\"resource_id\":" + other
                + ",\"email\":\"x@example.com\"}]}}", 404, "data.subscriptions[1]", "resource " + other + " not found");
        // an unknown channel, a missing address, a missing resource, an unknown member
        assertRefused(db, "profiles/import", prefix + "{\"channel\":\"fax\",\"resource_id\":" + emailOnly + "}]}}", 400,
                "data.subscriptions[1]", "'channel'", "fax");
        assertRefused(db, "profiles/import", prefix + "{\"channel\":\"email\",\"resource_id\":" + emailOnly + "}]}}", 400,
                "data.subscriptions[1]", "'email'");
        assertRefused(db, "profiles/import", prefix + "{\"channel\":\"email\",\"email\":\"y@example.com\"}]}}", 400,
                "data.subscriptions[1]", "'resource_id'");
        assertRefused(db, "profiles/import", prefix + "{\"channel\":\"email\",\"resource_id\":" + emailOnly
                + ",\"email\":\"y@example.com\",\"colour\":\"red\"}]}}", 400, "data.subscriptions[1]", "'colour'");
        assertRefused(db, "profiles/import", prefix + "{\"channel\":\"email\",\"resource_id\":" + emailOnly
                + ",\"email\":\"not an email\"}]}}", 400, "data.subscriptions[1]", "not an email");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"anna@example.com\",\"data\":"
                + "{\"subscriptions\":{\"channel\":\"email\"}}}", 400, "'data.subscriptions'");
        assertThat(subscription(db, id, emailOnly, "email").path("status").asText()).isEqualTo("subscribed");
        assertThat(getById(db, id).has("_fname")).isFalse();
    }

    /** A resource of a second account, made in the store: the API never shows one account's objects to another. */
    private static long otherAccountsResource() {
        return server.store().write(h -> {
            long now = System.currentTimeMillis();
            long account = h.createQuery("insert into accounts (name, created_at) values (:name, :now) returning id")
                    .bind("name", unique("other-account")).bind("now", now).mapTo(Long.class).one();
            return h.createQuery("insert into resources (account_id, name, channels, created_at, updated_at) "
                            + "values (:account, 'theirs', 'email,sms,push', :now, :now) returning id")
                    .bind("account", account).bind("now", now).mapTo(Long.class).one();
        });
    }

    @Test
    void skipInvalidSubscriptionsAppliesTheValidOnesAndListsTheOthers() {
        long db = database();
        long r = resource("email", "push");
        Response response = call("profiles/import", """
                {"db_id":%1$d,"email":"anna@example.com","skip_invalid_subscriptions":true,"data":{"email":"anna@example.com",
                 "subscriptions":[
                   {"channel":"email","resource_id":%2$d,"email":"anna@example.com"},
                   {"channel":"sms","resource_id":%2$d,"phone":"+79001112233"},
                   {"channel":"push","resource_id":%2$d,"provider":"Firefox","subscription_id":"tok"},
                   {"channel":"email","resource_id":987654,"email":"anna@example.com"},
                   {"channel":"email","resource_id":%2$d,"email":"broken"}]}}"""
                .formatted(db, r));
        assertThat(response.error()).as(response.body()).isZero();
        String id = response.json().path("profile_id").asText();
        JsonNode skipped = response.json().path("skipped_subscriptions");
        assertThat(skipped.size()).as(response.body()).isEqualTo(3);
        assertThat(skipped.get(0).path("index").asInt()).isEqualTo(1);
        assertThat(skipped.get(0).path("channel").asText()).isEqualTo("sms");
        assertThat(skipped.get(0).path("resource_id").asLong()).isEqualTo(r);
        assertThat(skipped.get(0).path("reason").asText()).contains("'sms'").contains("not enabled");
        assertThat(skipped.get(1).path("index").asInt()).isEqualTo(3);
        assertThat(skipped.get(1).path("reason").asText()).contains("resource 987654 not found");
        assertThat(skipped.get(2).path("index").asInt()).isEqualTo(4);
        assertThat(skipped.get(2).path("reason").asText()).contains("broken");
        JsonNode subs = subscriptions(db, id);
        assertThat(subs.findValuesAsText("channel")).containsExactlyInAnyOrder("email", "push");
        // nothing to skip: the list is there and empty
        Response clean = call("profiles/import", "{\"db_id\":" + db + ",\"email\":\"anna@example.com\","
                + "\"skip_invalid_subscriptions\":true,\"data\":{}}");
        assertThat(clean.json().path("skipped_subscriptions").isArray()).isTrue();
        assertThat(clean.json().path("skipped_subscriptions").isEmpty()).isTrue();
    }

    @Test
    void customFieldsTakeFieldFunctions() {
        long db = database();
        long r = resource("email");
        String sub = "{\"channel\":\"email\",\"resource_id\":" + r + ",\"email\":\"anna@example.com\",\"custom_fields\":";
        String id = subscribe(db, "anna@example.com", sub + "{\"visits\":1,\"score\":1.5,\"topics\":[\"a\"],"
                + "\"device\":{\"os\":\"linux\"},\"gone\":\"soon\",\"old\":\"x\"}}");
        subscribe(db, "anna@example.com", sub + "{\"visits\":{\"action\":\"incr\",\"value\":2},"
                + "\"score\":{\"action\":\"incr\",\"value\":0.25},\"topics\":{\"action\":\"add\",\"value\":[\"b\",\"a\"]},"
                + "\"device\":{\"action\":\"upsert\",\"submatch\":\"version\",\"value\":\"6.1\"},"
                + "\"gone\":{\"action\":\"unset\"},\"old\":null,\"fresh\":{\"action\":\"set\",\"value\":\"y\"}}}");
        JsonNode fields = subscription(db, id, r, "email").path("custom_fields");
        assertThat(fields.path("visits").asInt()).isEqualTo(3);
        assertThat(fields.path("score").asDouble()).isEqualTo(1.75);
        assertThat(fields.path("topics").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(fields.path("device").toString()).isEqualTo("{\"os\":\"linux\",\"version\":\"6.1\"}");
        assertThat(fields.path("fresh").asText()).isEqualTo("y");
        assertThat(fields.has("gone")).isFalse();
        assertThat(fields.has("old")).isFalse();
        subscribe(db, "anna@example.com", sub + "{\"topics\":{\"action\":\"delete\",\"value\":[\"a\"]}}}");
        assertThat(subscription(db, id, r, "email").path("custom_fields").path("topics").toString()).isEqualTo("[\"b\"]");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"anna@example.com\",\"data\":"
                + "{\"subscriptions\":[" + sub + "{\"visits\":{\"action\":\"incr\",\"value\":\"many\"}}}]}}", 400,
                "custom_fields.visits");
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"anna@example.com\",\"data\":"
                + "{\"subscriptions\":[" + sub + "{\"bad name\":1}}]}}", 400, "custom_fields", "bad name");
    }

    @Test
    void aSubscriptionsAddressIsAnIdentityKey() {
        long db = database();
        long r = resource("email", "sms", "push");
        String a = subscribe(db, "anna@example.com", """
                {"channel":"email","resource_id":%1$d,"email":"anna.work@example.com"},
                {"channel":"sms","resource_id":%1$d,"phone":"+79001112233"},
                {"channel":"push","resource_id":%1$d,"provider":"Firefox","subscription_id":"tok"}""".formatted(r));
        importEmail(db, "bob@example.com");
        String bob = "{\"db_id\":" + db + ",\"email\":\"bob@example.com\",\"data\":{\"subscriptions\":[";
        assertRefused(db, "profiles/import", bob + "{\"channel\":\"email\",\"resource_id\":" + r
                + ",\"email\":\"Anna.Work@example.com\"}]}}", 409, "email 'anna.work@example.com'", a);
        assertRefused(db, "profiles/import", bob + "{\"channel\":\"sms\",\"resource_id\":" + r
                + ",\"phone\":\"+79001112233\"}]}}", 409, "phone '+79001112233'", a);
        assertRefused(db, "profiles/import", bob + "{\"channel\":\"push\",\"resource_id\":" + r
                + ",\"provider\":\"Firefox\",\"subscription_id\":\"tok\"}]}}", 409, "push subscription 'Firefox/tok'", a);
        // nor as the profile's own email or phone
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"bob@example.com\",\"data\":"
                + "{\"email\":\"anna.work@example.com\"}}", 409, "email 'anna.work@example.com'", a);
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"bob@example.com\",\"data\":"
                + "{\"phones\":[\"+79001112233\"]}}", 409, "phone '+79001112233'", a);
        // the same profile may hold the address as its email and a subscription alike
        importOk("{\"db_id\":" + db + ",\"email\":\"anna@example.com\",\"data\":{\"phones\":[\"+79001112233\"],"
                + "\"subscriptions\":[{\"channel\":\"email\",\"resource_id\":" + r + ",\"email\":\"anna@example.com\"}]}}");
        assertThat(subscriptions(db, a).size()).isEqualTo(4);
    }
}
