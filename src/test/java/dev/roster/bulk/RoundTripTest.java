package dev.roster.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.RosterApp;
import dev.roster.http.HttpSettings;
import dev.roster.json.Json;
import dev.roster.testing.RosterCli;
import dev.roster.testing.RosterCli.Run;
import dev.roster.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code roster export} writes, {@code roster import} reads back into an empty database with nothing lost: every
 * field type, phones, values a spreadsheet would run as formulas, and subscriptions of every shape, in each format.
 */
@Tag("api")
class RoundTripTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long SEED = 0x5EED_16L;
    private static final int PROFILES = 120;

    @TempDir
    Path dir;

    private static JsonNode ok(RosterApp app, String token, String method, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.port() + "/api/v1.1/" + method))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode answer = Json.MAPPER.readTree(response.body());
        assertThat(answer.path("error").asInt()).as(method + " " + body + " -> " + answer).isZero();
        return answer;
    }

    /** The same catalog in each store: the export carries profiles, not databases, fields and resources. */
    private static long catalog(RosterApp app, String token) throws Exception {
        long db = ok(app, token, "databases/create", "{\"name\":\"round trip\",\"phone_region\":\"RU\"}")
                .path("data").path("id").asLong();
        String[][] fields = {{"LOYALTY", "int"}, {"SCORE", "float"}, {"NOTE", "string"}, {"SEEN", "date"},
                {"VIP", "bool"}, {"LAST_IP", "ip"}, {"TAGS", "tags"}, {"PREFS", "object"}, {"ORDERS", "arr_object"}};
        for (String[] f : fields) {
            ok(app, token, "databases/fields_add", "{\"db_id\":" + db + ",\"name\":\"" + f[0] + "\",\"type\":\"" + f[1] + "\"}");
        }
        ok(app, token, "databases/fields_add", "{\"db_id\":" + db + ",\"name\":\"TIER\",\"type\":\"enum\","
                + "\"options\":[\"gold\",\"silver\",\"=bronze\"]}");
        ok(app, token, "databases/fields_add", "{\"db_id\":" + db + ",\"name\":\"CRM_ID\",\"type\":\"string\",\"unique\":true}");
        long resource = ok(app, token, "resources/create", "{\"name\":\"shop\",\"channels\":[\"email\",\"sms\",\"push\"],"
                + "\"db_ids\":[" + db + "]}").path("data").path("id").asLong();
        ok(app, token, "resources/fields_add", "{\"id\":" + resource + ",\"channel\":\"email\",\"name\":\"visits\",\"type\":\"int\"}");
        ok(app, token, "resources/fields_add", "{\"id\":" + resource + ",\"channel\":\"email\",\"name\":\"plan\","
                + "\"type\":\"enum\",\"options\":[\"free\",\"paid\"]}");
        return db;
    }

    /** Strings that CSV and spreadsheets treat specially. */
    private static final String[] AWKWARD = {"=SUM(A1:A9)", "@handle", "+notaphone", "-minus words", "'quoted",
            "'=already escaped", "''twice", "comma, inside", "quote \" inside", "line\nbreak", "tab\tinside",
            "Ünïcødé ✓", " padded ", "-42", "+7 900 123-45-67", "plain"};

    /** Every tenth profile is known only by its phones: no email, no email subscription. */
    private static boolean phoneOnly(int i) {
        return i % 10 == 9;
    }

    /** The profiles/get lookup of profile i. */
    private static String lookup(long db, int i) {
        return phoneOnly(i) ? "{\"db_id\":" + db + ",\"matching\":\"phone\",\"phone\":\"" + String.format("+7901%03d0000", i)
                + "\"}" : "{\"db_id\":" + db + ",\"email\":\"rt" + i + "@example.com\"}";
    }

    private static ObjectNode profile(SplittableRandom random, int i, long resource) {
        ObjectNode data = Json.object();
        if (!phoneOnly(i)) {
            data.put("email", "rt" + i + "@example.com");
        }
        if (phoneOnly(i) || random.nextInt(3) > 0) {
            ArrayNode phones = data.putArray("phones");
            int n = 1 + random.nextInt(3);
            for (int k = 0; k < n; k++) {
                phones.add(String.format("+7901%03d%04d", i, k));
            }
        }
        data.put("_fname", AWKWARD[random.nextInt(AWKWARD.length)]);
        if (random.nextBoolean()) {
            data.put("_lname", "Last" + i);
        }
        if (random.nextBoolean()) {
            data.put("_sex", random.nextBoolean() ? "male" : "female");
        }
        if (random.nextBoolean()) {
            data.put("_bdate", String.format("19%02d-%02d-%02d", 50 + random.nextInt(50), 1 + random.nextInt(12),
                    1 + random.nextInt(28)));
        }
        if (random.nextBoolean()) {
            data.put("_city", AWKWARD[random.nextInt(AWKWARD.length)]);
        }
        data.put("LOYALTY", random.nextInt(2001) - 1000);
        if (random.nextBoolean()) {
            data.put("SCORE", (random.nextInt(20001) - 10000) / 100.0);
        }
        data.put("NOTE", AWKWARD[random.nextInt(AWKWARD.length)]);
        if (random.nextBoolean()) {
            data.put("SEEN", "2024-0" + (1 + random.nextInt(9)) + "-1" + random.nextInt(10) + "T0" + random.nextInt(10)
                    + ":30:00Z");
        }
        data.put("VIP", random.nextBoolean());
        data.put("TIER", List.of("gold", "silver", "=bronze").get(random.nextInt(3)));
        if (random.nextBoolean()) {
            data.put("LAST_IP", random.nextBoolean() ? "10.0." + random.nextInt(256) + ".1" : "2001:db8::" + i);
        }
        if (random.nextBoolean()) {
            ArrayNode tags = data.putArray("TAGS");
            tags.add("tag " + i);
            tags.add("=formula tag");
        }
        if (random.nextBoolean()) {
            data.putObject("PREFS").put("lang", "ru").put("note", "-x, \"y\"").putArray("list").add(1).add(2).add(3);
        }
        if (random.nextBoolean()) {
            ArrayNode orders = data.putArray("ORDERS");
            orders.addObject().put("id", i).put("sum", 10.5);
            orders.addObject().put("id", i + 1000).put("sku", "=A1");
        }
        if (random.nextBoolean()) {
            data.put("CRM_ID", "crm-" + i);
        }
        ArrayNode subscriptions = data.putArray("subscriptions");
        if (!phoneOnly(i) && random.nextInt(4) > 0) {
            ObjectNode email = subscriptions.addObject().put("channel", "email").put("resource_id", resource)
                    .put("email", "rt" + i + "@example.com")
                    .put("status", List.of("subscribed", "unsubscribed", "suspended").get(random.nextInt(3)));
            if (random.nextBoolean()) {
                email.put("priority", random.nextInt(10));
            }
            if (random.nextBoolean()) {
                email.putObject("custom_fields").put("visits", random.nextInt(100)).put("plan", "paid");
            }
        }
        if (random.nextBoolean()) {
            subscriptions.addObject().put("channel", "sms").put("resource_id", resource)
                    .put("phone", String.format("+7902%03d0000", i));
        }
        if (random.nextBoolean()) {
            subscriptions.addObject().put("channel", "push").put("resource_id", resource)
                    .put("provider", random.nextBoolean() ? "fcm" : "apns").put("subscription_id", "push-token-" + i + "-=+@");
        }
        return data;
    }

    /** What may differ in the copy: its ids, what derives from them (_xxh, hash_id) and the times of its creation. */
    private static JsonNode comparable(JsonNode profile) {
        ObjectNode copy = profile.deepCopy();
        for (String computed : List.of("id", "_createtime", "_updatetime", "_xxh")) {
            copy.remove(computed);
        }
        copy.path("subscriptions").forEach(s -> ((ObjectNode) s).remove(List.of("reg_info", "hash_id")));
        return copy;
    }

    @Test
    void everyExportFormatImportsBackIntoAnEmptyDatabaseWithNothingLost() throws Exception {
        TestStores.FreshStore source = TestStores.fresh();
        try (AutoCloseable cleanup = source.cleanup()) {
            Map<String, JsonNode> originals = new LinkedHashMap<>();
            long db;
            try (RosterApp app = RosterApp.start(source.settings(), HttpSettings.defaults(0))) {
                String token = app.bootstrap().orElseThrow().token();
                db = catalog(app, token);
                long resource = 1;
                SplittableRandom random = new SplittableRandom(SEED);
                for (int i = 0; i < PROFILES; i++) {
                    ObjectNode data = profile(random, i, resource);
                    ObjectNode body = Json.object().put("db_id", db);
                    if (phoneOnly(i)) {
                        body.put("matching", "phone");
                    }
                    ok(app, token, "profiles/import", Json.write(body.set("data", data)));
                }
                for (int i = 0; i < PROFILES; i++) {
                    originals.put(lookup(db, i), ok(app, token, "profiles/get", lookup(db, i)).path("data"));
                }
            }
            assertThat(originals.values()).as("seed %s: subscriptions of every channel, profiles without email", SEED)
                    .anyMatch(p -> !p.has("email"))
                    .anyMatch(p -> p.path("subscriptions").toString().contains("\"push\""))
                    .anyMatch(p -> p.path("subscriptions").toString().contains("\"sms\""))
                    .anyMatch(p -> p.path("subscriptions").toString().contains("\"visits\""));

            for (String format : List.of("csv", "jsonl", "json")) {
                Path file = dir.resolve("export." + format);
                Run export = RosterCli.run(RosterCli.on(source, "export", "--db-id", Long.toString(db), "--out",
                        file.toString()));
                assertThat(export.exit()).as(export.err()).isZero();
                assertThat(export.out()).contains("exported " + PROFILES + " profiles");
                if (format.equals("csv")) {
                    String csv = Files.readString(file);
                    // formulas are escaped for spreadsheets; phones and numbers are not touched
                    assertThat(csv).contains("'=SUM(A1:A9)").contains("'@handle").contains("'+notaphone")
                            .contains("+7901").doesNotContain("'+7901").doesNotContain("'-42");
                }
                TestStores.FreshStore target = TestStores.fresh();
                try (AutoCloseable targetCleanup = target.cleanup()) {
                    String token;
                    try (RosterApp app = RosterApp.start(target.settings(), HttpSettings.defaults(0))) {
                        token = app.bootstrap().orElseThrow().token();
                        assertThat(catalog(app, token)).isEqualTo(db);
                    }
                    Run imported = RosterCli.run(RosterCli.on(target, "import", file.toString(), "--db-id",
                            Long.toString(db)));
                    assertThat(imported.exit()).as(format + ": " + imported.out() + imported.err()).isZero();
                    assertThat(imported.out()).as(format).contains("imported " + PROFILES + " of " + PROFILES
                            + " rows: " + PROFILES + " created");
                    try (RosterApp app = RosterApp.start(target.settings(), HttpSettings.defaults(0))) {
                        for (Map.Entry<String, JsonNode> original : originals.entrySet()) {
                            JsonNode copy = ok(app, token, "profiles/get", original.getKey()).path("data");
                            assertThat(comparable(copy)).as("seed %s, %s, %s", SEED, format, original.getKey())
                                    .isEqualTo(comparable(original.getValue()));
                        }
                    }
                }
            }

            // standard output: JSON Lines unless told otherwise
            Run stdout = RosterCli.run(RosterCli.on(source, "export", "--db-id", Long.toString(db), "--out", "-"));
            assertThat(stdout.exit()).as(stdout.err()).isZero();
            assertThat(stdout.out().lines()).hasSize(PROFILES);
            assertThat(Json.MAPPER.readTree(stdout.out().lines().findFirst().orElseThrow()).path("email").asText())
                    .endsWith("@example.com");
            assertThat(stdout.err()).contains("exported " + PROFILES + " profiles");
            assertThat(dir.resolve("-")).doesNotExist();
        }
    }

    @Test
    void aFailedExportLeavesNoPartFile() throws Exception {
        TestStores.FreshStore source = TestStores.fresh();
        try (AutoCloseable cleanup = source.cleanup()) {
            try (RosterApp app = RosterApp.start(source.settings(), HttpSettings.defaults(0))) {
                assertThat(app.bootstrap()).isPresent();
            }
            Path out = dir.resolve("gone.csv");
            Run run = RosterCli.run(RosterCli.on(source, "export", "--db-id", "424242", "--out", out.toString()));
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err()).contains("database 424242 not found");
            try (var files = Files.list(dir)) {
                assertThat(files.toList()).as("files left behind").isEmpty();
            }
        }
    }
}
