package dev.roster.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.testing.ApiTest;
import dev.roster.testing.TestServer.Response;
import java.net.http.HttpRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Tokens found in the header, the body or the query; 401, 403 and what each says (docs/COMPATIBILITY.md, Accounts,
 * tokens and permissions).
 */
class AuthApiTest extends ApiTest {

    private long databaseCount() {
        return master().ok("databases/list", "{}").path("total_count").asLong();
    }

    private String token(String body) {
        return master().ok("tokens/create", body).path("data").path("token").asText();
    }

    @Test
    void missingTokenIs401SayingItIsRequired() {
        long before = databaseCount();
        Response r = server.client(null).call("databases/create", "{\"name\":\"nope\"}");
        assertThat(r.code()).isEqualTo(401);
        assertThat(r.errorText()).contains("token required");
        assertThat(databaseCount()).isEqualTo(before);
    }

    @Test
    void unknownTokenIs401SayingUnknown() {
        long before = databaseCount();
        Response r = server.client("0123456789abcdef0123456789abcdef").call("databases/create", "{\"name\":\"nope\"}");
        assertThat(r.code()).isEqualTo(401);
        assertThat(r.errorText()).contains("unknown API token");
        assertThat(server.client("not-a-token").call("databases/list", "{}").errorText()).contains("unknown API token");
        assertThat(databaseCount()).isEqualTo(before);
    }

    @Test
    void revokedTokenIs401SayingRevoked() {
        long before = databaseCount();
        JsonNode created = master().ok("tokens/create", "{\"name\":\"short-lived\"}").path("data");
        String token = created.path("token").asText();
        assertThat(server.client(token).call("databases/list", "{}").error()).isZero();

        master().ok("tokens/revoke", "{\"id\":" + created.path("id").asLong() + "}");
        Response r = server.client(token).call("databases/create", "{\"name\":\"after-revoke\"}");
        assertThat(r.code()).isEqualTo(401);
        assertThat(r.errorText()).contains("revoked");
        assertThat(databaseCount()).isEqualTo(before);
        JsonNode listed = master().ok("tokens/list", "{}").path("data");
        assertThat(listed.findValues("revoked_at").stream().filter(n -> !n.isNull()).count()).isEqualTo(1);
    }

    @Test
    void tokenIsFoundInBodyAndQueryToo() {
        String token = server.masterToken();
        Response inBody = server.client(null).call("databases/list", "{\"token\":\"" + token + "\"}");
        assertThat(inBody.error()).isZero();
        Response inQuery = server.send(server.request("/api/v1.1/databases/list?token=" + token)
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(inQuery.error()).isZero();
    }

    @Test
    void headerWinsOverBodyAndQuery() {
        Response r = server.send(server.request("/api/v1.1/databases/list?token=" + server.masterToken())
                .header("Authorization", "Bearer 0123456789abcdef0123456789abcdef")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + server.masterToken() + "\"}")));
        assertThat(r.code()).isEqualTo(401);
    }

    @Test
    void tokenWithoutThePermissionIs403NamingIt() {
        long before = databaseCount();
        String reader = token("{\"name\":\"reader\",\"permissions\":[\"catalog.read\"]}");
        Response r = server.client(reader).call("databases/create", "{\"name\":\"forbidden\"}");
        assertThat(r.code()).isEqualTo(403);
        assertThat(r.errorText()).contains("catalog.write");
        assertThat(databaseCount()).isEqualTo(before);
        assertThat(server.client(reader).call("databases/list", "{}").error()).isZero();
        assertThat(server.client(reader).call("tokens/list", "{}").errorText()).contains("tokens.manage");
    }

    @Test
    void defaultTokenHasEverythingButProfilesDelete() {
        JsonNode tokens = master().ok("tokens/list", "{}").path("data");
        assertThat(tokens.get(0).path("permissions").toString()).doesNotContain("profiles.delete").contains("catalog.write");
        String made = token("{\"name\":\"default-permissions\"}");
        String id = master().ok("tokens/list", "{}").path("data").findValuesAsText("name").contains("default-permissions")
                ? "ok" : "missing";
        assertThat(id).isEqualTo("ok");
        assertThat(server.client(made).call("databases/list", "{}").error()).isZero();
        for (JsonNode t : master().ok("tokens/list", "{}").path("data")) {
            if (t.path("name").asText().equals("default-permissions")) {
                assertThat(t.path("permissions").toString()).doesNotContain("profiles.delete");
                assertThat(t.toString()).doesNotContain(made);
            }
        }
        String deleter = token("{\"name\":\"deleter\",\"permissions\":[\"profiles.delete\",\"profiles.read\"]}");
        assertThat(server.client(deleter).call("databases/list", "{}").code()).isEqualTo(403);
    }

    @Test
    void unknownPermissionIs400() {
        Response r = master().call("tokens/create", "{\"name\":\"x\",\"permissions\":[\"everything\"]}");
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.errorText()).contains("permissions").contains("everything").contains("profiles.read");
    }

    @Test
    void tokenLimitedToDatabasesSeesOnlyThem() {
        long visible = createDatabase("visible-db");
        long hidden = createDatabase("hidden-db");
        String limited = token("{\"name\":\"limited\",\"db_ids\":[" + visible + "]}");
        var client = server.client(limited);
        assertThat(client.ok("databases/list", "{}").path("data").findValuesAsText("name")).containsExactly("visible-db");
        assertThat(client.call("databases/get", "{\"id\":" + visible + "}").error()).isZero();
        Response r = client.call("databases/get", "{\"id\":" + hidden + "}");
        assertThat(r.code()).isEqualTo(403);
        assertThat(r.errorText()).contains("database " + hidden);
        assertThat(master().call("tokens/create", "{\"name\":\"x\",\"db_ids\":[987654]}").code()).isEqualTo(404);
        master().ok("databases/delete", "{\"id\":" + visible + "}");
        master().ok("databases/delete", "{\"id\":" + hidden + "}");
    }

    @Test
    void onlyMasterUsersManageTokensAndUsers() {
        JsonNode user = master().ok("users/create", "{\"login\":\"analyst\"}").path("data");
        assertThat(user.path("password").asText()).hasSize(16);
        String analystToken = token("{\"name\":\"analyst token\",\"login\":\"analyst\"}");
        var analyst = server.client(analystToken);
        assertThat(analyst.call("databases/list", "{}").error()).isZero();
        Response r = analyst.call("tokens/create", "{\"name\":\"escalate\"}");
        assertThat(r.code()).isEqualTo(403);
        assertThat(r.errorText()).contains("master");
        assertThat(analyst.call("users/create", "{\"login\":\"another\"}").code()).isEqualTo(403);
        assertThat(master().ok("users/list", "{}").path("data").findValuesAsText("login")).containsExactly("admin", "analyst");

        assertThat(master().call("users/create", "{\"login\":\"analyst\"}").code()).isEqualTo(409);
        assertThat(master().call("users/create", "{\"login\":\"bad login!\"}").code()).isEqualTo(400);
        assertThat(master().call("users/create", "{\"login\":\"shortpw\",\"password\":\"abc\"}").code()).isEqualTo(400);
        assertThat(master().ok("users/list", "{}").path("data").size()).isEqualTo(2);
    }

    @Test
    void revokingAnUnknownTokenIs404() {
        Response r = master().call("tokens/revoke", "{\"id\":424242}");
        assertThat(r.code()).isEqualTo(404);
        assertThat(r.errorText()).contains("token 424242");
    }

    @Test
    void tokenListNeverShowsSecretsOrHashes() {
        String secret = token("{\"name\":\"secret-check\"}");
        String listing = master().ok("tokens/list", "{}").toString();
        assertThat(listing).doesNotContain(secret).doesNotContain(server.masterToken()).doesNotContain("hash");
    }
    /**
     * A token's first use in a while records its last use, a write. That bookkeeping must not hold up the request:
     * here another transaction holds the token's row (on SQLite, the store's write lock) while the token is used for
     * the first time; the read answers at once, and the last use is recorded once the row is free.
     */
    @Test
    void recordingALastUseNeverHoldsUpTheRequest() throws Exception {
        JsonNode created = master().ok("tokens/create", "{\"name\":\"first-use\"}").path("data");
        long id = created.path("id").asLong();
        String token = created.path("token").asText();
        CompletableFuture<Response> answer;
        try (org.jdbi.v3.core.Handle other = server.openHandle()) {
            other.begin();
            other.createUpdate("update tokens set name = name where id = :id").bind("id", id).execute();
            answer = CompletableFuture.supplyAsync(() -> server.client(token).call("databases/list", "{}"));
            Response r = answer.get(3, TimeUnit.SECONDS);
            assertThat(r.error()).isZero();
            other.rollback();
        }
        dev.roster.testing.Conditions.waitFor("the last use of token " + id, java.time.Duration.ofSeconds(10),
                () -> !tokenListed(id).path("last_used_at").isNull());
        JsonNode listed = tokenListed(id);
        assertThat(listed.path("last_used_at").isNull()).as("last_used_at of %s", listed).isFalse();
    }

    private JsonNode tokenListed(long id) {
        for (JsonNode t : master().ok("tokens/list", "{}").path("data")) {
            if (t.path("id").asLong() == id) {
                return t;
            }
        }
        throw new AssertionError("token " + id + " not listed");
    }
}
