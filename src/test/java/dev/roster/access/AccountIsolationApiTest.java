package dev.roster.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.account.AccountService;
import dev.roster.account.Authentication;
import dev.roster.json.Json;
import dev.roster.testing.ApiTest;
import dev.roster.testing.StoreRows;
import dev.roster.testing.TestServer.ApiClient;
import dev.roster.testing.TestServer.Response;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nothing is visible across accounts (docs/COMPATIBILITY.md, Accounts, tokens and permissions). Generated from the
 * registry, so every method, including ones added later, is called by account B's master token with account A's ids
 * in every id-like parameter it takes.
 * The parameters a method takes are found by asking it: a missing required parameter and an unknown parameter are
 * both named in the 400 it answers.
 */
class AccountIsolationApiTest extends ApiTest {
    /** Names of A's objects: no answer to B may contain them unless B sent them. */
    private static final List<String> A_SECRETS = List.of("alpha_db_secret", "alpha_field_secret",
            "alpha_resource_secret", "alpha_token_secret", "alpha_user_secret");
    private static final Set<String> ID_LIKE_CANDIDATES = Set.of("id", "db_id", "db_ids", "resource_id",
            "resource_ids", "token_id", "user_id", "profile_id", "profile_ids", "field_id", "subscription_id", "task_id");
    private static final Pattern MISSING = Pattern.compile("missing required parameter '([^']+)'");
    private static final Pattern UNKNOWN = Pattern.compile("unknown parameters? ((?:'[^']+'(?:, )?)+) for this method");

    private static ApiClient a;
    private static ApiClient b;
    /** A's ids of every kind that no object of B has, so any answer but "not found" is a leak. */
    private static List<Long> aIds;

    @BeforeAll
    static void twoAccounts() {
        a = master();
        long aDb = a.ok("databases/create", "{\"name\":\"alpha_db_secret\"}").path("data").path("id").asLong();
        a.ok("databases/fields_add", "{\"db_id\":" + aDb + ",\"name\":\"alpha_field_secret\",\"type\":\"string\"}");
        long aRes = a.ok("resources/create", "{\"name\":\"alpha_resource_secret\",\"channels\":[\"email\"],\"db_ids\":[" + aDb + "]}")
                .path("data").path("id").asLong();

        String bToken = new AccountService(server.store(), (account, db) -> false,
                new Authentication(server.store(), new SimpleMeterRegistry()))
                .createAccount("beta").token();
        // profiles.delete is never implied: B's token gets it explicitly, so that delete is tried for isolation too
        String bFullToken = server.client(bToken).ok("tokens/create", "{\"name\":\"beta all\",\"permissions\":"
                + "[\"profiles.read\",\"profiles.write\",\"profiles.delete\",\"subscriptions.write\",\"catalog.read\","
                + "\"catalog.write\",\"history.read\",\"tokens.manage\"]}").path("data").path("token").asText();
        b = server.client(bFullToken);
        long bDb = b.ok("databases/create", "{\"name\":\"beta_db\"}").path("data").path("id").asLong();
        b.ok("databases/fields_add", "{\"db_id\":" + bDb + ",\"name\":\"beta_field\",\"type\":\"string\"}");
        long bRes = b.ok("resources/create", "{\"name\":\"beta_resource\",\"channels\":[\"email\"],\"db_ids\":[" + bDb + "]}")
                .path("data").path("id").asLong();

        // A's second objects of each kind come after B's, so A has ids above and below B's
        long aDb2 = a.ok("databases/create", "{\"name\":\"alpha_db_secret_2\"}").path("data").path("id").asLong();
        long aRes2 = a.ok("resources/create", "{\"name\":\"alpha_resource_secret_2\",\"channels\":[\"sms\"]}")
                .path("data").path("id").asLong();
        long aToken = a.ok("tokens/create", "{\"name\":\"alpha_token_secret\"}").path("data").path("id").asLong();
        long aUser = a.ok("users/create", "{\"login\":\"alpha_user_secret\"}").path("data").path("id").asLong();

        Set<Long> bIds = new TreeSet<>(List.of(bDb, bRes));
        b.ok("tokens/list", "{}").path("data").forEach(t -> bIds.add(t.path("id").asLong()));
        b.ok("users/list", "{}").path("data").forEach(u -> bIds.add(u.path("id").asLong()));
        Set<Long> ids = new TreeSet<>(List.of(aDb, aRes, aDb2, aRes2, aToken, aUser));
        a.ok("tokens/list", "{}").path("data").forEach(t -> ids.add(t.path("id").asLong()));
        a.ok("users/list", "{}").path("data").forEach(u -> ids.add(u.path("id").asLong()));
        ids.removeAll(bIds);
        aIds = List.copyOf(ids);
        assertThat(aIds).as("A must have ids that are none of B's").hasSizeGreaterThanOrEqualTo(2);
    }

    private static boolean idLike(String name) {
        return name.equals("id") || name.endsWith("_id") || name.endsWith("_ids");
    }

    private static void put(ObjectNode body, String name, long aId) {
        if (name.endsWith("_ids")) {
            body.set(name, Json.array().add(aId));
        } else {
            body.put(name, aId);
        }
    }

    /** A plausible value for a parameter that is not an id, so the call gets as far as looking the ids up. */
    private static void putFiller(ObjectNode body, String name) {
        switch (name) {
            case "type" -> body.put(name, "string");
            case "channels" -> body.set(name, Json.array().add("email"));
            case "password" -> body.put(name, "probe-password-1");
            default -> body.put(name, "probe_" + name);
        }
    }

    /**
     * The body with every required parameter of the method (ids from A), found by asking the method until it
     * stops naming a missing one.
     */
    private static ObjectNode requiredBody(String method, long aId) {
        ObjectNode body = Json.object();
        for (int round = 0; round < 20; round++) {
            Matcher missing = MISSING.matcher(b.call(method, body).errorText());
            if (!missing.find()) {
                return body;
            }
            String name = missing.group(1);
            if (idLike(name)) {
                put(body, name, aId);
            } else {
                putFiller(body, name);
            }
        }
        throw new AssertionError(method + " keeps asking for parameters: " + body);
    }

    /** The optional id-like parameters the method takes: those it does not refuse as unknown. */
    private static Set<String> optionalIdParameters(String method, ObjectNode required) {
        Set<String> taken = new LinkedHashSet<>();
        for (String candidate : ID_LIKE_CANDIDATES) {
            if (required.has(candidate)) {
                continue;
            }
            ObjectNode body = required.deepCopy();
            put(body, candidate, aIds.get(0));
            Matcher unknown = UNKNOWN.matcher(b.call(method, body).errorText());
            if (!(unknown.find() && unknown.group(1).contains("'" + candidate + "'"))) {
                taken.add(candidate);
            }
        }
        return taken;
    }

    @Test
    void everyMethodCalledByAnotherAccountWithTheseIdsAnswersNotFoundAndChangesNothing() {
        Map<String, List<String>> rowsBefore = StoreRows.rows(server.store());
        SoftAssertions soft = new SoftAssertions();
        List<String> probed = new ArrayList<>();
        for (String method : server.methods().keySet()) {
            for (long aId : aIds) {
                ObjectNode required = requiredBody(method, aId);
                List<String> idParameters = new ArrayList<>(required.properties().stream()
                        .map(Map.Entry::getKey).filter(AccountIsolationApiTest::idLike).toList());
                for (String optional : optionalIdParameters(method, required)) {
                    ObjectNode body = required.deepCopy();
                    put(body, optional, aId);
                    check(soft, method, body, true);
                    idParameters.add(optional);
                }
                check(soft, method, required, !idParameters.isEmpty() && required.properties().stream()
                        .anyMatch(e -> idLike(e.getKey())));
                probed.add(method + " " + idParameters);
            }
        }
        soft.assertAll();
        assertThat(probed).as("probed methods").hasSizeGreaterThanOrEqualTo(server.methods().size());
        assertThat(probed).anyMatch(p -> p.startsWith("databases/get [id]"))
                .anyMatch(p -> p.startsWith("databases/fields_delete [db_id]"))
                .anyMatch(p -> p.startsWith("tokens/create [db_ids]"))
                .anyMatch(p -> p.startsWith("resources/create [db_ids]"));

        Map<String, List<String>> rowsAfter = StoreRows.rows(server.store());
        rowsBefore.forEach((table, rows) -> assertThat(rowsAfter.get(table)).as("rows of " + table).containsAll(rows));
        assertThat(a.ok("databases/list", "{}").path("data").findValuesAsText("name"))
                .containsExactly("alpha_db_secret", "alpha_db_secret_2");
        List<String> resources = new ArrayList<>();
        a.ok("resources/list", "{}").path("data").forEach(r -> resources.add(r.path("name").asText()));
        assertThat(resources).containsExactly("alpha_resource_secret", "alpha_resource_secret_2");
        assertThat(a.ok("tokens/list", "{}").path("data").findValuesAsText("revoked_at")).allMatch(r -> r.equals("null"));
    }

    /** With A's ids sent: 404, or a 400 that names none of A's objects; without ids: an answer about B alone. */
    private static void check(SoftAssertions soft, String method, ObjectNode body, boolean sendsIds) {
        Response r = b.call(method, body);
        String sent = body.toString();
        String revealed = A_SECRETS.stream().filter(s -> !sent.contains(s) && r.body().contains(s)).findFirst().orElse(null);
        soft.assertThat(revealed).as(method + " " + sent + " reveals A's object: " + r.body()).isNull();
        if (sendsIds) {
            soft.assertThat(r.error()).as(method + " " + sent + " -> " + r.body()).isIn(404, 400);
        }
    }
}
