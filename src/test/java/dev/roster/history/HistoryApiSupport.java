package dev.roster.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.json.Json;
import dev.roster.testing.ApiTest;
import dev.roster.testing.TestServer.ApiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Helpers of the history API tests: objects made for one test, named tokens, reading history back. */
abstract class HistoryApiSupport extends ApiTest {
    private static final AtomicInteger NAMES = new AtomicInteger();

    static String unique(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet();
    }

    static long database() {
        return createDatabase(unique("db"));
    }

    static long resource(String name, String... channels) {
        return master().ok("resources/create", "{\"name\":\"" + name + "\",\"channels\":" + Json.write(List.of(channels))
                + "}").path("data").path("id").asLong();
    }

    /** A token of the master user with this name and the given permissions (all but profiles.delete when none). */
    static ApiClient token(String name, String... permissions) {
        String body = "{\"name\":\"" + name + "\"" + (permissions.length == 0 ? ""
                : ",\"permissions\":" + Json.write(List.of(permissions))) + "}";
        return server.client(master().ok("tokens/create", body).path("data").path("token").asText());
    }

    static String importProfile(ApiClient client, long db, String email, String moreData) {
        return client.ok("profiles/import", "{\"db_id\":" + db + ",\"data\":{\"email\":\"" + email + "\""
                + (moreData.isEmpty() ? "" : "," + moreData) + "}}").path("profile_id").asText();
    }

    static String xxh(long db, String profileId) {
        return master().ok("profiles/get", "{\"db_id\":" + db + ",\"matching\":\"profile_id\",\"profile_id\":\""
                + profileId + "\"}").path("data").path("_xxh").asText();
    }

    /** history_get of the profile by its xxh, every row of it. */
    static JsonNode history(long db, String xxh) {
        return master().ok("subscribers/history_get", "{\"list_id\":" + db + ",\"xxh\":\"" + xxh + "\"}").path("data");
    }

    static List<String> actions(JsonNode rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.path("action").asText()));
        return out;
    }

    static List<String> tokenNames(JsonNode rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.path("token_name").asText()));
        return out;
    }
}
