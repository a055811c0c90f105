package dev.roster.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.json.Json;
import dev.roster.testing.ApiTest;
import dev.roster.testing.TestServer.ApiClient;
import dev.roster.testing.TestServer.Response;
import java.util.EnumMap;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generated from the registry's method → permission map: for every method and every permission, a token lacking
 * exactly that permission is refused with 403 naming it when the method needs it, and is never refused for it
 * otherwise.
 */
class PermissionApiTest extends ApiTest {
    private static final Map<Permission, ApiClient> LACKING = new EnumMap<>(Permission.class);

    @BeforeAll
    static void oneTokenLackingEachPermission() {
        for (Permission lacking : Permission.values()) {
            var permissions = Json.array();
            for (Permission p : Permission.values()) {
                if (p != lacking) {
                    permissions.add(p.wireName());
                }
            }
            var body = Json.object().put("name", "without " + lacking.wireName());
            body.set("permissions", permissions);
            LACKING.put(lacking, server.client(master().ok("tokens/create", body).path("data").path("token").asText()));
        }
    }

    @Test
    void everyMethodRefusesATokenLackingItsPermissionAndOnlyThat() {
        Map<String, Permission> methods = server.methods();
        assertThat(methods).containsEntry("databases/create", Permission.CATALOG_WRITE)
                .containsEntry("tokens/create", Permission.TOKENS_MANAGE);
        SoftAssertions soft = new SoftAssertions();
        int refused = 0;
        for (Map.Entry<String, Permission> method : methods.entrySet()) {
            for (Permission lacking : Permission.values()) {
                Response r = LACKING.get(lacking).call(method.getKey(), "{}");
                String label = method.getKey() + " without " + lacking.wireName();
                if (method.getValue() == lacking) {
                    refused++;
                    soft.assertThat(r.code()).as(label).isEqualTo(403);
                    soft.assertThat(r.errorText()).as(label)
                            .isEqualTo("the token lacks the permission '" + lacking.wireName() + "'");
                } else {
                    soft.assertThat(r.errorText()).as(label + ": " + r.body()).doesNotContain(lacking.wireName());
                    soft.assertThat(r.error()).as(label + ": " + r.body()).isNotIn(401, 403, 500);
                }
            }
        }
        soft.assertAll();
        assertThat(refused).isEqualTo(methods.size());
    }
}
