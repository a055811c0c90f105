package dev.roster.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.testing.TestServer.ApiClient;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * subscribers/history_get and history_get_all (docs/API.md, Action history), and the events every write records
 * (docs/COMPATIBILITY.md, Storage and transactions).
 */
class HistoryApiTest extends HistoryApiSupport {

    @Test
    void oneSubscriptionsWholeLifeReadsBackInOrderWithTheTokensThatDidIt() {
        long db = database();
        String resourceName = unique("news");
        long r = resource(resourceName, "email");
        String aliceName = unique("alice");
        String bobName = unique("bob");
        ApiClient alice = token(aliceName);
        ApiClient bob = token(bobName);
        String email = unique("life") + "@example.com";
        String id = importProfile(alice, db, email, "");
        String sub = "\"db_id\":" + db + ",\"profile_id\":\"" + id + "\",\"resource_id\":" + r
                + ",\"channel\":\"email\",\"email\":\"" + email + "\"";

        alice.ok("subscriptions/set", "{" + sub + "}");
        bob.ok("subscriptions/set", "{" + sub + ",\"status\":\"unsubscribed\"}");
        alice.ok("subscriptions/set", "{" + sub + ",\"status\":0}");
        bob.ok("subscriptions/suspend_all", "{\"db_id\":" + db + "}");
        alice.ok("subscriptions/unsuspend_all", "{\"db_id\":" + db + ",\"resource_id\":" + r + "}");
        bob.ok("subscriptions/set", "{" + sub + ",\"status\":\"suspended\",\"priority\":2}");
        alice.ok("subscriptions/set", "{" + sub + ",\"status\":\"subscribed\"}");
        bob.ok("subscriptions/delete", "{" + sub + "}");
        alice.ok("subscriptions/undelete", "{" + sub + "}");
        alice.ok("subscriptions/set", "{" + sub + ",\"cats\":[\"sales\"]}");

        JsonNode rows = history(db, xxh(db, id));
        assertThat(actions(rows)).containsExactly("import_api", "subscription_add", "unsub", "subscribe", "suspend",
                "unsuspend", "suspend", "unsuspend", "subscription_delete", "subscription_restore",
                "subscription_update");
        assertThat(tokenNames(rows)).containsExactly(aliceName, aliceName, bobName, aliceName, bobName, aliceName,
                bobName, aliceName, bobName, aliceName, aliceName);

        JsonNode added = rows.get(1);
        assertThat(added.path("xxh").asText()).isEqualTo(xxh(db, id));
        assertThat(added.path("profile_id").asText()).isEqualTo(id);
        assertThat(added.path("email").asText()).isEqualTo(email);
        assertThat(added.path("list_id").asLong()).isEqualTo(db);
        assertThat(added.path("datetime").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
        JsonNode subscription = added.path("subscription");
        assertThat(subscription.path("resource_id").asLong()).isEqualTo(r);
        assertThat(subscription.path("resource_name").asText()).isEqualTo(resourceName);
        assertThat(subscription.path("channel").asText()).isEqualTo("email");
        assertThat(subscription.path("email").asText()).isEqualTo(email);
        assertThat(subscription.path("hash_id").asText()).matches("[0-9a-f]{8}");
        assertThat(added.path("detail").path("status").path("new").asText()).isEqualTo("subscribed");

        assertThat(rows.get(2).path("detail").path("status").toString())
                .isEqualTo("{\"old\":\"subscribed\",\"new\":\"unsubscribed\"}");
        assertThat(rows.get(4).path("detail").path("by").asText()).isEqualTo("suspend_all");
        assertThat(rows.get(5).path("detail").path("by").asText()).isEqualTo("unsuspend_all");
        assertThat(rows.get(6).path("detail").path("priority").toString()).isEqualTo("{\"old\":null,\"new\":2}");
        assertThat(rows.get(8).path("detail").path("is_delete").toString()).isEqualTo("{\"old\":false,\"new\":true}");
        assertThat(rows.get(10).path("detail").path("cats").toString()).isEqualTo("{\"old\":[],\"new\":[\"sales\"]}");
        assertThat(rows.findValuesAsText("id").stream().map(Long::parseLong).toList()).isSorted();

        // found by matching keys as profiles/get takes them, with the same rows
        JsonNode byEmail = master().ok("subscribers/history_get", "{\"list_id\":" + db + ",\"email\":\"" + email
                + "\"}").path("data");
        assertThat(byEmail).isEqualTo(rows);
        JsonNode byId = master().ok("subscribers/history_get", "{\"db_id\":" + db + ",\"profile_id\":\"" + id
                + "\"}").path("data");
        assertThat(byId).isEqualTo(rows);

        // a write that changes nothing records nothing
        alice.ok("subscriptions/set", "{" + sub + ",\"cats\":[\"sales\"]}");
        alice.ok("profiles/import", "{\"db_id\":" + db + ",\"data\":{\"email\":\"" + email + "\"}}");
        assertThat(history(db, xxh(db, id)).size()).isEqualTo(rows.size());
    }

    @Test
    void theV10SuspendCallsAreRecordedToo() {
        long db = database();
        long r = resource(unique("v10"), "email");
        String email = unique("v10") + "@example.com";
        String id = importProfile(master(), db, email, "\"subscriptions\":[{\"channel\":\"email\",\"email\":\""
                + email + "\",\"resource_id\":" + r + "}]");
        var suspend = server.request("/api/v1.0/lists/" + db + "/suspend_all?token=" + server.masterToken())
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody());
        assertThat(server.send(suspend).json().path("Suspended").asInt()).isEqualTo(1);
        JsonNode rows = history(db, xxh(db, id));
        assertThat(actions(rows)).containsExactly("import_api", "subscription_add", "suspend");
        assertThat(rows.get(2).path("detail").path("status").path("new").asText()).isEqualTo("suspended");
    }

    @Test
    void fieldChangesCarryTheirOldAndNewValues() {
        long db = database();
        master().ok("databases/fields_add", "{\"db_id\":" + db + ",\"name\":\"visits\",\"type\":\"int\"}");
        String email = unique("fields") + "@example.com";
        String id = importProfile(master(), db, email, "\"_fname\":\"Anna\",\"visits\":1");
        master().ok("profiles/update", "{\"db_id\":" + db + ",\"profile_id\":\"" + id + "\",\"data\":{\"_fname\":"
                + "\"Anya\",\"_lname\":\"Ivanova\",\"visits\":{\"action\":\"incr\",\"value\":2}}}");
        master().ok("profiles/update", "{\"db_id\":" + db + ",\"profile_id\":\"" + id + "\",\"data\":{\"_lname\":null,"
                + "\"_fname\":\"Anya\"}}");

        JsonNode rows = history(db, xxh(db, id));
        assertThat(actions(rows)).containsExactly("import_api", "fields_update", "fields_update");
        JsonNode created = rows.get(0).path("detail").path("fields");
        assertThat(created.path("email").path("new").asText()).isEqualTo(email);
        assertThat(created.path("_fname").path("new").asText()).isEqualTo("Anna");
        assertThat(created.path("visits").path("new").asInt()).isEqualTo(1);
        JsonNode changed = rows.get(1).path("detail").path("fields");
        assertThat(changed.path("_fname").toString()).isEqualTo("{\"old\":\"Anna\",\"new\":\"Anya\"}");
        assertThat(changed.path("_lname").toString()).isEqualTo("{\"old\":null,\"new\":\"Ivanova\"}");
        assertThat(changed.path("visits").toString()).isEqualTo("{\"old\":1,\"new\":3}");
        JsonNode cleared = rows.get(2).path("detail").path("fields");
        assertThat(cleared.properties()).hasSize(1).as("only what changed: _fname was sent unchanged");
        assertThat(cleared.path("_lname").toString()).isEqualTo("{\"old\":\"Ivanova\",\"new\":null}");
        assertThat(rows.get(0).has("subscription")).isFalse();
    }

    @Test
    void batchAndQuickImportsRecordAnEventPerItem() {
        long db = database();
        long r = resource(unique("batch"), "email");
        String batchToken = unique("batcher");
        ApiClient batcher = token(batchToken);
        String known = unique("known") + "@example.com";
        String knownId = importProfile(master(), db, known, "\"_fname\":\"Old\"");
        String fresh = unique("fresh") + "@example.com";
        String twice = unique("twice") + "@example.com";
        JsonNode result = batcher.ok("profiles/import_batch", "{\"db_id\":" + db + ",\"data\":["
                + "{\"email\":\"" + known + "\",\"_fname\":\"New\"},"
                + "{\"email\":\"" + fresh + "\",\"subscriptions\":[{\"channel\":\"email\",\"email\":\"" + fresh
                + "\",\"resource_id\":" + r + ",\"status\":\"unconfirmed\"}]},"
                + "{\"email\":\"" + twice + "\",\"_fname\":\"One\"},"
                + "{\"email\":\"" + twice + "\",\"_fname\":\"Two\"},"
                + "{\"email\":\"not an email\"}]}").path("result");
        assertThat(result.get(4).path("error").asInt()).isEqualTo(400);

        JsonNode knownRows = history(db, xxh(db, knownId));
        assertThat(actions(knownRows)).containsExactly("import_api", "fields_update");
        assertThat(knownRows.get(1).path("token_name").asText()).isEqualTo(batchToken);
        assertThat(knownRows.get(1).path("detail").path("fields").path("_fname").toString())
                .isEqualTo("{\"old\":\"Old\",\"new\":\"New\"}");
        JsonNode freshRows = history(db, xxh(db, result.get(1).path("profile_id").asText()));
        assertThat(actions(freshRows)).containsExactly("import_api", "subscription_add");
        assertThat(freshRows.get(1).path("detail").path("status").path("new").asText()).isEqualTo("unconfirmed");
        // two items of one batch for one new profile: created by the first, changed by the second
        JsonNode twiceRows = history(db, xxh(db, result.get(2).path("profile_id").asText()));
        assertThat(actions(twiceRows)).containsExactly("import_api", "fields_update");
        assertThat(twiceRows.get(1).path("detail").path("fields").path("_fname").toString())
                .isEqualTo("{\"old\":\"One\",\"new\":\"Two\"}");

        String quick = unique("quick") + "@example.com";
        var request = server.request("/api/integrations/any/profile_import?token=" + server.masterToken() + "&db_id="
                + db + "&resource_id=" + r + "&email=" + quick).POST(java.net.http.HttpRequest.BodyPublishers.noBody());
        assertThat(server.send(request).status()).isEqualTo(200);
        JsonNode quickRows = master().ok("subscribers/history_get", "{\"list_id\":" + db + ",\"email\":\"" + quick
                + "\"}").path("data");
        assertThat(actions(quickRows)).containsExactly("import_api", "subscription_add");
    }

    @Test
    void deletingAProfileDeletesItsHistoryAndLeavesTheAuditLine() {
        long db = database();
        long r = resource(unique("gone"), "email");
        String email = unique("gone") + "@example.com";
        String id = importProfile(master(), db, email, "\"_fname\":\"Gone\",\"subscriptions\":[{\"channel\":\"email\","
                + "\"email\":\"" + email + "\",\"resource_id\":" + r + "}]");
        String keep = importProfile(master(), db, unique("stays") + "@example.com", "");
        String xxh = xxh(db, id);
        assertThat(history(db, xxh).size()).isEqualTo(2);

        ApiClient deleter = token(unique("deleter"), "profiles.delete", "history.read");
        deleter.ok("profiles/delete", "{\"db_id\":" + db + ",\"email\":\"" + email + "\"}");

        assertError(master().call("subscribers/history_get", "{\"list_id\":" + db + ",\"xxh\":\"" + xxh + "\"}"), 404,
                "xxh");
        long left = server.store().read(h -> h.createQuery("select count(*) from history_events where profile_id = :id")
                .bind("id", id).mapTo(Long.class).one());
        assertThat(left).isZero();
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonNode all = master().ok("subscribers/history_get_all", "{\"list_id\":" + db + ",\"date_from\":\"" + today
                + "\",\"date_to\":\"" + today + "\"}").path("data");
        assertThat(all.findValuesAsText("profile_id")).containsOnly(keep);
        List<String> audit = server.store().read(h -> h.createQuery("select object from audit_log where action = "
                + "'profile.delete'").mapTo(String.class).list());
        assertThat(audit).anyMatch(line -> line.contains(id));

        // deleting the database deletes the history of all its profiles
        master().ok("databases/delete", "{\"id\":" + db + "}");
        long ofDatabase = server.store().read(h -> h.createQuery("select count(*) from history_events where db_id = :db")
                .bind("db", db).mapTo(Long.class).one());
        assertThat(ofDatabase).isZero();
    }

    @Test
    void theDateRangeAndTheFieldsParameterShapeTheRows() {
        long db = database();
        master().ok("databases/fields_add", "{\"db_id\":" + db + ",\"name\":\"Tier\",\"type\":\"string\"}");
        String email = unique("range") + "@example.com";
        String id = importProfile(master(), db, email, "\"_fname\":\"Rita\",\"Tier\":\"gold\"");
        String xxh = xxh(db, id);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String around = "\"date_from\":\"" + today.minusDays(1) + "\",\"date_to\":\"" + today.plusDays(1) + "\"";
        String before = "\"date_from\":\"2001-01-01\",\"date_to\":\"" + today.minusDays(1) + "\"";
        String after = "\"date_from\":\"" + today.plusDays(1) + "\",\"date_to\":\"" + today.plusDays(9) + "\"";
        String get = "{\"list_id\":" + db + ",\"xxh\":\"" + xxh + "\",";
        assertThat(master().ok("subscribers/history_get", get + around + "}").path("data").size()).isEqualTo(1);
        assertThat(master().ok("subscribers/history_get", get + before + "}").path("data").size()).isZero();
        assertThat(master().ok("subscribers/history_get", get + after + "}").path("data").size()).isZero();
        String todayOnly = "\"date_from\":\"" + today + "\",\"date_to\":\"" + today + "\"";
        assertThat(master().ok("subscribers/history_get", get + todayOnly + "}").path("data").size()).isEqualTo(1);

        JsonNode rows = master().ok("subscribers/history_get_all", "{\"list_id\":" + db + "," + around
                + ",\"fields\":[\"_fname\",\"tier\",\"_lname\"]}").path("data");
        assertThat(rows.size()).isEqualTo(1);
        assertThat(rows.get(0).path("fields").toString()).isEqualTo("{\"_fname\":\"Rita\",\"Tier\":\"gold\","
                + "\"_lname\":null}");
        assertThat(master().ok("subscribers/history_get_all", "{\"list_id\":" + db + "," + before + "}").path("data")
                .size()).isZero();
        assertThat(rows.get(0).has("fields")).isTrue();
        assertThat(master().ok("subscribers/history_get_all", "{\"list_id\":" + db + "," + around + "}").path("data")
                .get(0).has("fields")).as("no fields unless asked").isFalse();
    }

    @Test
    void badInputsAreRefusedNamingTheParameterAndChangeNothing() {
        long db = database();
        String email = unique("bad") + "@example.com";
        String xxh = xxh(db, importProfile(master(), db, email, ""));
        String get = "subscribers/history_get";
        String all = "subscribers/history_get_all";
        String period = ",\"date_from\":\"2020-01-01\",\"date_to\":\"2030-01-01\"";

        assertRefused(get, "{\"xxh\":\"" + xxh + "\"}", 400, "'list_id'");
        assertRefused(get, "{\"list_id\":" + db + "}", 400, "'xxh'");
        assertRefused(get, "{\"list_id\":999999,\"xxh\":\"" + xxh + "\"}", 404, "database 999999");
        assertRefused(get, "{\"list_id\":" + db + ",\"xxh\":\"0123456789abcdef\"}", 404, "0123456789abcdef");
        assertRefused(get, "{\"list_id\":" + db + ",\"xxh\":\"XYZ\"}", 400, "'xxh'", "XYZ");
        assertRefused(get, "{\"list_id\":" + db + ",\"email\":\"nobody@example.com\"}", 404, "profile not found");
        assertRefused(get, "{\"list_id\":" + db + ",\"xxh\":\"" + xxh + "\",\"email\":\"" + email + "\"}", 400, "xxh");
        assertRefused(get, "{\"list_id\":" + db + ",\"db_id\":" + (db + 1) + ",\"xxh\":\"" + xxh + "\"}", 400,
                "'db_id'");
        assertRefused(get, "{\"list_id\":" + db + ",\"xxh\":\"" + xxh + "\",\"date_from\":\"2024-13-01\"}", 400,
                "'date_from'", "2024-13-01");
        assertRefused(get, "{\"list_id\":" + db + ",\"xxh\":\"" + xxh + "\",\"date_to\":\"01/02/2024\"}", 400,
                "'date_to'", "YYYY-MM-DD", "DD.MM.YYYY");
        assertRefused(get, "{\"list_id\":" + db + ",\"xxh\":\"" + xxh + "\",\"date_from\":\"2024-02-02\","
                + "\"date_to\":\"2024-02-01\"}", 400, "'date_from'", "'date_to'");

        assertRefused(all, "{\"list_id\":" + db + ",\"date_to\":\"2030-01-01\"}", 400, "'date_from'");
        assertRefused(all, "{\"list_id\":" + db + ",\"date_from\":\"2020-01-01\"}", 400, "'date_to'");
        assertRefused(all, "{\"list_id\":999999" + period + "}", 404, "database 999999");
        assertRefused(all, "{\"list_id\":" + db + period + ",\"from_id\":\"abc\"}", 400, "'from_id'", "abc");
        assertRefused(all, "{\"list_id\":" + db + period + ",\"from_id\":-1}", 400, "'from_id'");
        assertRefused(all, "{\"list_id\":" + db + period + ",\"from_id\":\"0eb51aefd919f90a.20240101\"}", 400,
                "'from_id'");
        assertRefused(all, "{\"list_id\":" + db + period + ",\"limit\":0}", 400, "'limit'");
        assertRefused(all, "{\"list_id\":" + db + period + ",\"limit\":10001}", 400, "'limit'");
        assertRefused(all, "{\"list_id\":" + db + period + ",\"fields\":[\"no_such_field\"]}", 400, "'fields'",
                "no_such_field");
        assertRefused(all, "{\"list_id\":" + db + period + ",\"fields\":\"email\"}", 400, "'fields'");
        assertRefused(all, "{\"list_id\":" + db + period + ",\"xxh\":\"" + xxh + "\"}", 400, "'xxh'");

        // the reference's start value and a cursor as a number are both taken
        assertThat(master().ok(all, "{\"list_id\":" + db + period + ",\"from_id\":\"0000000000000000.20010101\"}")
                .path("data").size()).isEqualTo(1);
        assertThat(master().ok(all, "{\"list_id\":" + db + period + ",\"from_id\":0,\"limit\":10000}")
                .path("data").size()).isEqualTo(1);
    }
}
