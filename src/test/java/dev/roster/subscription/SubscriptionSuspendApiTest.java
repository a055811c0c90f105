package dev.roster.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.testing.StoreRows;
import dev.roster.testing.TestServer.Response;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** subscriptions/suspend_all and unsuspend_all and the v1.0 lists/{id}/suspend_all (docs/API.md, Subscriptions). */
class SubscriptionSuspendApiTest extends SubscriptionApiSupport {

    /** A database with one profile whose subscriptions cover two resources, two channels and several statuses. */
    private record Fixture(long db, String profile, long r1, long r2) {
        String status(long resource, String address) {
            String member = address.startsWith("+") ? "\"channel\":\"sms\",\"phone\":\"" + address + "\""
                    : "\"channel\":\"email\",\"email\":\"" + address + "\"";
            return getSub(db, profile, resource, member).path("status").asText();
        }
    }

    private static Fixture fixture(String prefix) {
        long db = database();
        long r1 = resource("email", "sms");
        long r2 = resource("email", "sms");
        String id = profile(db, prefix + "@example.com");
        set(db, id, r1, "\"channel\":\"email\",\"email\":\"" + prefix + ".1@example.com\"");
        set(db, id, r1, "\"channel\":\"sms\",\"phone\":\"" + phone(prefix) + "\"");
        set(db, id, r2, "\"channel\":\"email\",\"email\":\"" + prefix + ".2@example.com\"");
        set(db, id, r2, "\"channel\":\"email\",\"email\":\"" + prefix + ".unsub@example.com\",\"status\":\"unsubscribed\"");
        set(db, id, r2, "\"channel\":\"email\",\"email\":\"" + prefix + ".gone@example.com\"");
        ok("subscriptions/delete", body(db, id, r2, "\"channel\":\"email\",\"email\":\"" + prefix + ".gone@example.com\""));
        return new Fixture(db, id, r1, r2);
    }

    private static String phone(String prefix) {
        return "+7900" + String.format("%07d", Math.abs(prefix.hashCode() % 10_000_000));
    }

    private static int updated(String method, String members) {
        return ok(method, "{" + members + "}").path("updated").asInt();
    }

    @Test
    void scopesOfSuspendAllAndUnsuspendAll() {
        Fixture f = fixture("scope");
        Fixture untouched = fixture("other");
        String db = "\"db_id\":" + f.db();

        assertThat(updated("subscriptions/suspend_all", db + ",\"channel\":\"email\",\"resource_id\":" + f.r1()))
                .isEqualTo(1);
        assertThat(f.status(f.r1(), "scope.1@example.com")).isEqualTo("suspended");
        assertThat(f.status(f.r1(), phone("scope"))).isEqualTo("subscribed");
        assertThat(updated("subscriptions/suspend_all", db + ",\"channel\":\"sms\"")).isEqualTo(1);
        assertThat(f.status(f.r1(), phone("scope"))).isEqualTo("suspended");
        assertThat(updated("subscriptions/suspend_all", db + ",\"resource_id\":" + f.r2())).isEqualTo(1);
        assertThat(f.status(f.r2(), "scope.2@example.com")).isEqualTo("suspended");
        assertThat(f.status(f.r2(), "scope.unsub@example.com")).as("only subscribed is suspended")
                .isEqualTo("unsubscribed");
        assertThat(f.status(f.r2(), "scope.gone@example.com")).as("deleted subscriptions are left alone")
                .isEqualTo("subscribed");
        assertThat(updated("subscriptions/suspend_all", db)).as("nothing subscribed is left").isZero();

        assertThat(updated("subscriptions/unsuspend_all", db + ",\"resource_id\":" + f.r1())).isEqualTo(2);
        assertThat(f.status(f.r1(), "scope.1@example.com")).isEqualTo("subscribed");
        assertThat(f.status(f.r2(), "scope.2@example.com")).isEqualTo("suspended");
        assertThat(updated("subscriptions/unsuspend_all", db)).isEqualTo(1);
        assertThat(f.status(f.r2(), "scope.unsub@example.com")).isEqualTo("unsubscribed");
        assertThat(updated("subscriptions/suspend_all", db)).as("the whole database").isEqualTo(3);

        // the other database was never in scope
        assertThat(untouched.status(untouched.r1(), "other.1@example.com")).isEqualTo("subscribed");
        assertThat(untouched.status(untouched.r2(), "other.2@example.com")).isEqualTo("subscribed");
        assertThat(statuses(list(untouched.db(), untouched.profile())))
                .containsExactly("subscribed", "subscribed", "subscribed", "unsubscribed");
    }

    @Test
    void badInputIsRefusedAndChangesNothing() {
        Fixture f = fixture("bad");
        long stranger = resource("email");
        for (String method : List.of("subscriptions/suspend_all", "subscriptions/unsuspend_all")) {
            assertRefused(method, "{}", 400, "missing required parameter 'db_id'");
            assertRefused(method, "{\"db_id\":999999}", 404, "database 999999 not found");
            assertRefused(method, "{\"db_id\":\"" + f.db() + "\"}", 400, "'db_id'", "expected an integer");
            assertRefused(method, "{\"db_id\":" + f.db() + ",\"channel\":\"fax\"}", 400, "'channel'");
            assertRefused(method, "{\"db_id\":" + f.db() + ",\"channel\":1}", 400, "'channel'");
            assertRefused(method, "{\"db_id\":" + f.db() + ",\"resource_id\":999999}", 404, "resource 999999 not found");
            assertRefused(method, "{\"db_id\":" + f.db() + ",\"resource_id\":-3}", 400, "'resource_id'");
            assertRefused(method, "{\"db_id\":" + f.db() + ",\"status\":\"subscribed\"}", 400,
                    "unknown parameter 'status'");
        }
        // a resource of the account with no subscriptions in the database: nothing to do, not an error
        assertThat(updated("subscriptions/suspend_all", "\"db_id\":" + f.db() + ",\"resource_id\":" + stranger)).isZero();
        assertThat(f.status(f.r1(), "bad.1@example.com")).isEqualTo("subscribed");
    }

    private static Response v10(String path, String token, boolean header) {
        HttpRequest.Builder request = server.request(path + (header ? "" : "?token=" + token))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (header) {
            request.header("Authorization", "Bearer " + token);
        }
        return server.send(request);
    }

    @Test
    void theV10CallsSuspendAndUnsuspendTheWholeDatabase() {
        Fixture f = fixture("legacy");
        Response suspended = v10("/api/v1.0/lists/" + f.db() + "/suspend_all", server.masterToken(), false);
        assertThat(suspended.status()).isEqualTo(200);
        assertThat(suspended.json().toString()).isEqualTo("{\"Status\":\"Ok\",\"Suspended\":3}");
        assertThat(f.status(f.r1(), "legacy.1@example.com")).isEqualTo("suspended");
        assertThat(f.status(f.r2(), "legacy.unsub@example.com")).isEqualTo("unsubscribed");

        Response unsuspended = v10("/api/v1.0/lists/" + f.db() + "/unsuspend_all/", server.masterToken(), true);
        assertThat(unsuspended.json().toString()).isEqualTo("{\"Status\":\"Ok\",\"Unsuspended\":3}");
        assertThat(f.status(f.r2(), "legacy.2@example.com")).isEqualTo("subscribed");
    }

    @Test
    void theV10CallsRefuseBadTokensAndIdsWithTheEnvelope() {
        Fixture f = fixture("legacybad");
        String reader = ok("tokens/create", "{\"name\":\"" + unique("reader") + "\",\"permissions\":[\"profiles.read\"]}")
                .path("data").path("token").asText();
        Map<String, List<String>> before = StoreRows.rows(server.store());
        String path = "/api/v1.0/lists/" + f.db() + "/suspend_all";
        assertError(v10(path, "", false), 401);
        assertError(v10(path, "0123456789abcdef0123456789abcdef", true), 401);
        assertError(v10(path, reader, false), 403, "subscriptions.write");
        assertError(v10("/api/v1.0/lists/999999/suspend_all", server.masterToken(), false), 404,
                "database 999999 not found");
        assertError(v10("/api/v1.0/lists/abc/unsuspend_all", server.masterToken(), true), 400, "'list_id'", "abc");
        assertThat(StoreRows.rows(server.store())).isEqualTo(before);
        JsonNode after = list(f.db(), f.profile());
        assertThat(statuses(after)).containsExactly("subscribed", "subscribed", "subscribed", "unsubscribed");
    }
}
