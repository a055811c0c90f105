package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.json.Json;
import dev.roster.testing.Gen;
import dev.roster.testing.Property;
import dev.roster.testing.StoreRows;
import dev.roster.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Hostile values deep inside well-formed profile writes, where the service's own validation runs: every field of the
 * database and every member of a subscription gets values of every shape. Each answer is an envelope, never a 5xx;
 * a refused write leaves every table exactly as it was, and an accepted one is read back. Seeded (see
 * {@link Property}): the seed in a failure replays the same requests.
 */
@Tag("api")
class ProfileDataFuzzTest {
    private static final List<String> FIELDS = List.of("email", "phones", "_fname", "_bdate", "_sex", "_regip", "_tz",
            "_status", "_postal_code", "I", "F", "S", "D", "B", "E", "IP", "T", "O", "A", "subscriptions", "nope", "id",
            "_xxh");
    private static final List<String> VALUES = List.of("null", "1", "-1", "0", "2", "1.5", "1e400", "-1e400",
            "123456789012345678901234567890", "9223372036854775807", "true", "\"\"", "\"x\"", "\"1990-01-15\"",
            "\"1990-02-30\"", "\"1990-01-15T12:00:00+25:00\"", "\"+79000000000\"", "\"8 900 000 00 00\"", "\"+1\"",
            "\"a@b.c\"", "\"a@@b.c\"", "\"256.1.1.1\"", "\"::1\"", "\"Europe/Nowhere\"", "\"male\"", "\"MALE\"", "[]",
            "[\"a\",\"a\"]", "[1,2]", "[{}]", "[{\"k\":1}]", "{}", "{\"action\":\"incr\",\"value\":1}",
            "{\"action\":\"incr\",\"value\":\"x\"}", "{\"action\":\"add\",\"value\":[\"t\"]}",
            "{\"action\":\"delete\",\"value\":[{\"k\":1}],\"submatch\":\"k\"}",
            "{\"action\":\"upsert\",\"value\":{\"k\":2},\"submatch\":\"k\"}", "{\"action\":\"unset\"}",
            "{\"action\":\"explode\"}", "{\"action\":\"set\"}", "\"\\u0000\"", "\"" + "z".repeat(3000) + "\"",
            "[{\"channel\":\"email\",\"email\":\"s@example.com\",\"resource_id\":1}]",
            "[{\"channel\":\"sms\",\"phone\":\"garbage\",\"resource_id\":1}]",
            "[{\"channel\":\"push\",\"resource_id\":1}]", "[{\"channel\":\"fax\",\"resource_id\":1}]",
            "[{\"channel\":\"email\",\"email\":\"s@example.com\",\"resource_id\":999999}]",
            "[{\"channel\":\"email\",\"email\":\"s@example.com\",\"resource_id\":1,\"status\":9}]",
            "[{\"channel\":\"telegram_bot\",\"cc_data\":{\"id\":[]},\"resource_id\":1}]", "[\"email\"]");
    private static final List<String> METHODS = List.of("profiles/import", "profiles/update", "profiles/add",
            "profiles/import_batch");

    private static TestServer server;
    private static long db;
    private static final AtomicLong sent = new AtomicLong();
    private static final AtomicLong serverErrors = new AtomicLong();

    @BeforeAll
    static void start() {
        server = TestServer.start();
        db = server.master().ok("databases/create", "{\"name\":\"data fuzz\",\"phone_region\":\"RU\"}").path("data").path("id").asLong();
        String[][] fields = {{"I", "int"}, {"F", "float"}, {"S", "string"}, {"D", "date"}, {"B", "bool"}, {"IP", "ip"},
            {"T", "tags"}, {"O", "object"}, {"A", "arr_object"}};
        for (String[] f : fields) {
            server.master().ok("databases/fields_add", "{\"db_id\":" + db + ",\"name\":\"" + f[0] + "\",\"type\":\"" + f[1] + "\"}");
        }
        server.master().ok("databases/fields_add", "{\"db_id\":" + db + ",\"name\":\"E\",\"type\":\"enum\",\"options\":[\"a\",\"b\"]}");
        server.master().ok("resources/create", "{\"name\":\"data fuzz r\",\"channels\":[\"email\",\"telegram_bot\"],\"db_ids\":[" + db + "]}");
        server.master().ok("profiles/import", "{\"db_id\":" + db + ",\"email\":\"known@example.com\",\"data\":{\"email\":\"known@example.com\"}}");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            System.out.println("Fuzzed " + sent.get() + " profile writes (" + dev.roster.testing.TestStores.current()
                    + "): " + serverErrors.get() + " answers 5xx");
            assertThat(serverErrors.get()).isZero();
        } finally {
            server.close();
        }
    }

    private static final List<String> EXTRAS = List.of("", ",\"matching\":\"phone\"",
            ",\"matching\":\"custom\",\"field_name\":\"S\"", ",\"email\":\"known@example.com\"",
            ",\"profile_id\":\"000000000000000000000000\"", ",\"skip_invalid_subscriptions\":true");

    /** A method, then a line break, then its body: one to four hostile members in data, and a matching extra. */
    static String body(Gen g) {
        String method = g.pick(METHODS);
        String d = "{" + String.join(",", g.list(1, 4, () -> "\"" + g.pick(FIELDS) + "\":" + g.pick(VALUES))) + "}";
        String extra = g.pick(EXTRAS);
        return method + "\n" + (method.endsWith("_batch")
                ? "{\"db_id\":" + db + ",\"data\":[" + d + "," + d + "]}"
                : "{\"db_id\":" + db + (method.equals("profiles/add") ? "" : extra) + ",\"data\":" + d + "}");
    }

    @Test
    void hostileValuesNeverBreakTheServerAndRefusalsChangeNothing() {
        Property.forAll(1500, ProfileDataFuzzTest::body, ProfileDataFuzzTest::sendOne);
    }

    private static void sendOne(String request) throws Exception {
        String method = request.substring(0, request.indexOf('\n'));
        String body = request.substring(request.indexOf('\n') + 1);
        Map<String, List<String>> before = StoreRows.rows(server.store());
        TestServer.Response answer = server.master().call(method, body);
        sent.incrementAndGet();
        if (answer.status() >= 500) {
            serverErrors.incrementAndGet();
        }
        assertThat(answer.status()).as(request + " -> " + answer.body()).isLessThan(500);
        JsonNode envelope = Json.MAPPER.readTree(answer.body());
        assertThat(envelope.has("error")).isTrue();
        if (envelope.path("error").asInt() != 0) {
            assertThat(StoreRows.rows(server.store())).as(request).isEqualTo(before);
        } else if (envelope.has("profile_id")) {
            String id = envelope.path("profile_id").asText();
            assertThat(server.master().ok("profiles/get", "{\"db_id\":" + db + ",\"matching\":\"profile_id\",\"profile_id\":\""
                    + id + "\"}").path("data").path("id").asText()).isEqualTo(id);
        }
    }
}
