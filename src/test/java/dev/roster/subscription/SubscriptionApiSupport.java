package dev.roster.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.json.Json;
import dev.roster.testing.ApiTest;
import dev.roster.testing.TestServer.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Helpers of the subscription API tests: objects made for one test, calls with the master token, refusals. */
abstract class SubscriptionApiSupport extends ApiTest {
    private static final AtomicInteger NAMES = new AtomicInteger();

    static String unique(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet();
    }

    static long database() {
        return createDatabase(unique("db"));
    }

    static long resource(String... channels) {
        return master().ok("resources/create", "{\"name\":\"" + unique("res") + "\",\"channels\":"
                + Json.write(List.of(channels)) + "}").path("data").path("id").asLong();
    }

    static Response call(String method, String body) {
        return master().call(method, body);
    }

    static JsonNode ok(String method, String body) {
        return master().ok(method, body);
    }

    /** A new profile with this email; its id. */
    static String profile(long db, String email) {
        return ok("profiles/import", "{\"db_id\":" + db + ",\"email\":\"" + email + "\",\"data\":{\"email\":\"" + email
                + "\"}}").path("profile_id").asText();
    }

    /** The members {@code db_id}, {@code profile_id} and {@code resource_id} followed by {@code rest}. */
    static String body(long db, String profileId, long resource, String rest) {
        return "{\"db_id\":" + db + ",\"profile_id\":\"" + profileId + "\",\"resource_id\":" + resource
                + (rest.isEmpty() ? "" : "," + rest) + "}";
    }

    static JsonNode set(long db, String profileId, long resource, String rest) {
        return ok("subscriptions/set", body(db, profileId, resource, rest));
    }

    static JsonNode getSub(long db, String profileId, long resource, String rest) {
        return ok("subscriptions/get", body(db, profileId, resource, rest)).path("data");
    }

    static JsonNode list(long db, String profileId) {
        return ok("subscriptions/list", "{\"db_id\":" + db + ",\"profile_id\":\"" + profileId + "\"}").path("data");
    }

    static List<String> statuses(JsonNode rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.path("status").asText()));
        return out;
    }
}
