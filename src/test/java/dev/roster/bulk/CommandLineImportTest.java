package dev.roster.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.RosterApp;
import dev.roster.http.HttpSettings;
import dev.roster.json.Json;
import dev.roster.testing.RosterCli;
import dev.roster.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code roster import} and {@code roster export} on the store of this run. */
@Tag("api")
class CommandLineImportTest {
    @TempDir
    Path dir;

    /** The command line run in this process, standard output and error captured ({@link RosterCli}). */
    private static RosterCli.Run roster(List<String> args) {
        return RosterCli.run(args);
    }

    private static List<String> storeArgs(TestStores.FreshStore fresh) {
        return fresh.settings().dbUrl() != null ? List.of("--db-url", fresh.settings().dbUrl())
                : List.of("--data", fresh.settings().dataDir().toString());
    }

    /** {@code roster import FILE --db-id DB OPTIONS...} on the store of this run. */
    private static List<String> importArgs(Path file, Object db, TestStores.FreshStore fresh, String... options) {
        List<String> args = new ArrayList<>(List.of("import", file.toString(), "--db-id", db.toString()));
        args.addAll(List.of(options));
        args.addAll(storeArgs(fresh));
        return args;
    }

    private static JsonNode call(RosterApp app, String token, String method, String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.port() + "/api/v1.1/" + method))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(response.body());
    }

    private static long profiles(RosterApp app, long db) {
        return app.store().read(h -> h.createQuery("select count(*) from profiles where db_id = :db")
                .bind("db", db).mapTo(Long.class).one());
    }

    @Test
    void importsACsvFileReportsTheBadRowsAndCanRunAgainWithoutDuplicates() throws Exception {
        TestStores.FreshStore fresh = TestStores.fresh();
        try (AutoCloseable cleanup = fresh.cleanup()) {
            long db;
            String token;
            try (RosterApp app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0))) {
                token = app.bootstrap().orElseThrow().token();
                db = call(app, token, "databases/create", "{\"name\":\"cli\",\"phone_region\":\"RU\"}").path("data").path("id").asLong();
                call(app, token, "databases/fields_add", "{\"db_id\":" + db + ",\"name\":\"CRM_ID\",\"type\":\"int\"}");
            }
            StringBuilder csv = new StringBuilder("email,_fname,phones,CRM_ID\r\n");
            List<Integer> bad = List.of(10, 1500, 2999);
            for (int i = 0; i < 3000; i++) {
                String email = bad.contains(i) ? "broken-" + i : "cli" + i + "@example.com";
                String name = i == 5 ? "\"Smith, John\nJr.\"" : "Name" + i;
                csv.append(email).append(',').append(name).append(',').append(String.format("+7901%07d", i))
                        .append(',').append(i).append("\r\n");
            }
            Path file = dir.resolve("people.csv");
            Files.writeString(file, csv);
            List<String> args = importArgs(file, db, fresh);

            RosterCli.Run first = roster(args);
            assertThat(first.exit()).as(first.err()).isEqualTo(3);
            assertThat(first.out()).contains("imported 2997 of 3000 rows: 2997 created, 0 updated, 0 unchanged, "
                    + "0 duplicate; 3 rejected");
            assertThat(first.err()).contains("rows/s").contains("ETA");
            // not a terminal: plain lines, no carriage-return frames
            assertThat(first.err()).doesNotContain("\r");
            List<String> report = Files.readAllLines(dir.resolve("people.csv.rejected.csv"));
            assertThat(report).hasSize(4);
            // line 13: the header is line 1, and row 5 spans two lines
            assertThat(report.get(1)).startsWith("13,400,").contains("email").contains("broken-10");

            RosterCli.Run again = roster(args);
            assertThat(again.out()).contains("imported 2997 of 3000 rows: 0 created, 0 updated, 2997 unchanged");
            try (RosterApp app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0))) {
                assertThat(profiles(app, db)).isEqualTo(2997);
                JsonNode five = call(app, token, "profiles/get", "{\"db_id\":" + db + ",\"email\":\"cli5@example.com\"}").path("data");
                assertThat(five.path("_fname").asText()).isEqualTo("Smith, John\nJr.");
                assertThat(five.path("CRM_ID").asInt()).isEqualTo(5);
                assertThat(five.path("phones").get(0).asText()).isEqualTo("+79010000005");
                // created from a file by the command line, and the rerun, which changed nothing, recorded nothing
                JsonNode history = call(app, token, "subscribers/history_get", "{\"list_id\":" + db
                        + ",\"email\":\"cli5@example.com\"}").path("data");
                assertThat(history.findValuesAsText("action")).containsExactly("import_file");
                assertThat(history.get(0).path("token_name").asText()).isEqualTo("command line");
                assertThat(history.get(0).path("detail").path("fields").path("CRM_ID").path("new").asInt()).isEqualTo(5);
            }

            Path jsonl = dir.resolve("more.jsonl");
            Files.writeString(jsonl, "{\"email\":\"jl1@example.com\",\"CRM_ID\":7001}\n\n{\"email\":\"jl2@example.com\"}\nnot json\n");
            List<String> jsonArgs = importArgs(jsonl, db, fresh);
            RosterCli.Run lines = roster(jsonArgs);
            assertThat(lines.out()).contains("imported 2 of 3 rows: 2 created, 0 updated, 0 unchanged, 0 duplicate; "
                    + "1 rejected");

            Path exported = dir.resolve("all.json");
            List<String> exportArgs = new ArrayList<>(List.of("export", "--db-id", Long.toString(db), "--out", exported.toString()));
            exportArgs.addAll(storeArgs(fresh));
            RosterCli.Run export = roster(exportArgs);
            assertThat(export.exit()).as(export.err()).isZero();
            assertThat(export.out()).contains("exported 2999 profiles");
            assertThat(Json.MAPPER.readTree(exported.toFile()).size()).isEqualTo(2999);
        }
    }

    @Test
    void theSummaryCountsEachKindOfRowAndTheReportNamesBothLinesOfADuplicate() throws Exception {
        TestStores.FreshStore fresh = TestStores.fresh();
        try (AutoCloseable cleanup = fresh.cleanup()) {
            long db;
            String token;
            try (RosterApp app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0))) {
                token = app.bootstrap().orElseThrow().token();
                db = call(app, token, "databases/create", "{\"name\":\"summary\"}").path("data").path("id").asLong();
                call(app, token, "databases/fields_add", "{\"db_id\":" + db + ",\"name\":\"PREFS\",\"type\":\"object\"}");
                call(app, token, "databases/fields_add", "{\"db_id\":" + db + ",\"name\":\"ITEMS\",\"type\":\"arr_object\"}");
                call(app, token, "profiles/import", "{\"db_id\":" + db + ",\"data\":{\"email\":\"old@example.com\","
                        + "\"_fname\":\"Old\"}}");
                call(app, token, "profiles/import", "{\"db_id\":" + db + ",\"data\":{\"email\":\"same@example.com\","
                        + "\"_fname\":\"Same\"}}");
            }
            Path clean = dir.resolve("clean.csv");
            Files.writeString(clean, "email,_fname\nfresh@example.com,Fresh\n");
            List<String> cleanArgs = importArgs(clean, db, fresh);
            RosterCli.Run quiet = roster(cleanArgs);
            assertThat(quiet.exit()).as(quiet.err()).isZero();
            assertThat(dir.resolve("clean.csv.rejected.csv")).as("no report when nothing is to report").doesNotExist();

            Path file = dir.resolve("mixed.csv");
            Files.writeString(file, "email,_fname,PREFS,ITEMS\n"
                    + "new@example.com,New,\"{\"\"list\"\":[1,2,3],\"\"flag\"\":false}\",\"[{\"\"sku\"\":\"\"A-1\"\"}]\"\n" // line 2
                    + "old@example.com,Older,,\n"                                    // line 3: updated
                    + "same@example.com,Same,,\n"                                    // line 4: unchanged
                    + "broken,X,,\n"                                                 // line 5: rejected
                    + "NEW@example.com,Newer,,\n");                                  // line 6: same key as line 2
            List<String> args = importArgs(file, db, fresh, "--report", dir.resolve("report.csv").toString());
            RosterCli.Run run = roster(args);
            assertThat(run.exit()).as(run.err()).isEqualTo(3);
            assertThat(run.out()).contains("imported 4 of 5 rows: 1 created, 1 updated, 1 unchanged, 1 duplicate; "
                    + "1 rejected (see " + dir.resolve("report.csv") + ")");
            List<String> report = Files.readAllLines(dir.resolve("report.csv"));
            assertThat(report.get(0)).isEqualTo("line,error,error_text,row");
            assertThat(report).anyMatch(l -> l.startsWith("5,400,"));
            assertThat(report).anyMatch(l -> l.startsWith("6,duplicate,") && l.contains("the same profile as line 2"));
            try (RosterApp app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0))) {
                JsonNode profile = call(app, token, "profiles/get", "{\"db_id\":" + db + ",\"email\":\"new@example.com\"}")
                        .path("data");
                assertThat(profile.path("_fname").asText()).isEqualTo("Newer");
                assertThat(profile.path("PREFS")).isEqualTo(Json.MAPPER.readTree("{\"list\":[1,2,3],\"flag\":false}"));
                assertThat(profile.path("ITEMS")).isEqualTo(Json.MAPPER.readTree("[{\"sku\":\"A-1\"}]"));
                assertThat(call(app, token, "profiles/get", "{\"db_id\":" + db + ",\"email\":\"old@example.com\"}")
                        .path("data").path("_fname").asText()).isEqualTo("Older");
            }
        }
    }

    @Test
    void unknownDatabaseOrFileIsOneLineAndANonZeroExit() throws Exception {
        TestStores.FreshStore fresh = TestStores.fresh();
        try (AutoCloseable cleanup = fresh.cleanup()) {
            try (RosterApp app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0))) {
                assertThat(app.bootstrap()).isPresent();
            }
            Path file = dir.resolve("x.csv");
            Files.writeString(file, "email\nx@example.com\n");
            List<String> args = importArgs(file, "424242", fresh);
            RosterCli.Run run = roster(args);
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err()).contains("database 424242 not found");
            List<String> missing = importArgs(dir.resolve("nope.csv"), "1", fresh);
            RosterCli.Run nope = roster(missing);
            assertThat(nope.exit()).isEqualTo(1);
            assertThat(nope.err().strip()).isEqualTo("roster: cannot read " + dir.resolve("nope.csv") + ": no such file");
        }
    }

    /** JSON Lines with one subscription each, more rows than one statement chunk, N-th row's name given. */
    private static String nightlyFile(long resource, String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 450; i++) {
            String email = "night" + i + "@example.com";
            out.append("{\"email\":\"").append(email).append("\",\"_fname\":\"").append(name).append(i)
                    .append("\",\"phones\":[\"+7902").append(String.format("%07d", i)).append("\"],")
                    .append("\"subscriptions\":[{\"channel\":\"email\",\"email\":\"").append(email)
                    .append("\",\"resource_id\":").append(resource).append("}]}\n");
        }
        return out.toString();
    }

    @Test
    void theNightlyReimportOfTheSameFileWritesNothingAndAChangedFieldWritesOnlyProfiles() throws Exception {
        TestStores.FreshStore fresh = TestStores.fresh();
        try (AutoCloseable cleanup = fresh.cleanup()) {
            long db;
            long resource;
            try (RosterApp app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0))) {
                String token = app.bootstrap().orElseThrow().token();
                db = call(app, token, "databases/create", "{\"name\":\"nightly\"}").path("data").path("id").asLong();
                resource = call(app, token, "resources/create", "{\"name\":\"shop\",\"channels\":[\"email\"],"
                        + "\"db_ids\":[" + db + "]}").path("data").path("id").asLong();
            }
            Path file = dir.resolve("crm.jsonl");
            Files.writeString(file, nightlyFile(resource, "Name"));
            List<String> args = importArgs(file, db, fresh);
            RosterCli.Run first = roster(args);
            assertThat(first.exit()).as(first.err()).isZero();
            assertThat(first.out()).contains("imported 450 of 450 rows: 450 created");
            java.util.Map<String, List<String>> before;
            try (RosterApp app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0))) {
                before = dev.roster.testing.StoreRows.rowsAndVersions(app.store());
            }

            RosterCli.Run again = roster(args);
            assertThat(again.exit()).as(again.err()).isZero();
            assertThat(again.out()).contains("imported 450 of 450 rows: 0 created, 0 updated, 450 unchanged");
            java.util.Map<String, List<String>> after;
            try (RosterApp app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0))) {
                after = dev.roster.testing.StoreRows.rowsAndVersions(app.store());
            }
            assertThat(after).as("the store after the same file again").isEqualTo(before);

            long eventsBefore = before.get("history_events").size();
            Files.writeString(file, nightlyFile(resource, "Changed"));
            RosterCli.Run changed = roster(args);
            assertThat(changed.out()).contains("imported 450 of 450 rows: 0 created, 450 updated, 0 unchanged");
            try (RosterApp app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0))) {
                java.util.Map<String, List<String>> now = dev.roster.testing.StoreRows.rowsAndVersions(app.store());
                for (String table : List.of("subscriptions", "profile_keys", "profile_lookups")) {
                    assertThat(now.get(table)).as(table).isEqualTo(before.get(table));
                    assertThat(now.get(table + "#versions")).as(table + " versions").isEqualTo(before.get(table + "#versions"));
                }
                long events = app.store().read(h -> h.createQuery("select count(*) from history_events where db_id = :db")
                        .bind("db", db).mapTo(Long.class).one());
                assertThat(events).as("one event more per profile").isEqualTo(eventsBefore + 450);
            }
        }
    }

    /**
     * A row known only by its phone is matched by a lookup (phones not unique here), the others by their email key:
     * the file is applied in its order all the same, as it is one row at a time ({@code --batch-size 1}). Written as
     * a batch, the phone-only row used to go after the batch and found the profile a later row created.
     */
    @Test
    void rowsMatchedByLookupAreAppliedInFileOrderAmongBatchedRows() throws Exception {
        TestStores.FreshStore fresh = TestStores.fresh();
        try (AutoCloseable cleanup = fresh.cleanup()) {
            long batched;
            long oneByOne;
            String token;
            try (RosterApp app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0))) {
                token = app.bootstrap().orElseThrow().token();
                batched = call(app, token, "databases/create", "{\"name\":\"batched\",\"unique_phones\":false}")
                        .path("data").path("id").asLong();
                oneByOne = call(app, token, "databases/create", "{\"name\":\"single\",\"unique_phones\":false}")
                        .path("data").path("id").asLong();
            }
            Path file = dir.resolve("mixed.csv");
            Files.writeString(file, """
                    email,phones,_fname
                    ,+79005550001,Phone only
                    first@example.com,+79005550001,First
                    ,+79005550002,Second phone
                    second@example.com,+79005550002,Second
                    """);
            java.util.Map<Long, String> summaries = new java.util.HashMap<>();
            for (long db : List.of(batched, oneByOne)) {
                List<String> args = db == oneByOne ? importArgs(file, db, fresh, "--batch", "1")
                        : importArgs(file, db, fresh);
                RosterCli.Run run = roster(args);
                assertThat(run.exit()).as(run.err()).isNotEqualTo(1);
                summaries.put(db, run.out().lines().filter(l -> l.startsWith("imported")).findFirst().orElse(run.out()));
            }
            assertThat(summaries.get(oneByOne)).contains("imported 4 of 4 rows: 4 created, 0 updated, 0 unchanged, "
                    + "0 duplicate");
            assertThat(summaries.get(batched)).isEqualTo(summaries.get(oneByOne));
            try (RosterApp app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0))) {
                java.util.function.LongFunction<List<String>> stored = db -> app.store().read(h -> h.createQuery(
                                "select data from profiles where db_id = :db").bind("db", db).mapTo(String.class).list())
                        .stream().map(d -> Json.readStored(d)).map(d -> d.path("_fname").asText() + "|"
                                + d.path("email").asText() + "|" + d.path("phones")).sorted().toList();
                assertThat(stored.apply(oneByOne)).containsExactly(
                        "First|first@example.com|[\"+79005550001\"]",
                        "Phone only||[\"+79005550001\"]",
                        "Second phone||[\"+79005550002\"]",
                        "Second|second@example.com|[\"+79005550002\"]");
                assertThat(stored.apply(batched)).isEqualTo(stored.apply(oneByOne));
            }
        }
    }

    /**
     * Batches of a file are written two at a time on PostgreSQL: random rows that reach the same existing profiles by
     * email and by phone (values no two rows share, so their batches may be in flight together) leave the same
     * profiles, summary and report as the file written one row at a time. Seeded; the seed is in each failure message.
     */
    @Test
    void batchesWrittenTogetherLeaveWhatTheFileOneRowAtATimeLeaves() throws Exception {
        long seed = Long.getLong("roster.test.seed", System.nanoTime());
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        TestStores.FreshStore fresh = TestStores.fresh();
        try (AutoCloseable cleanup = fresh.cleanup()) {
            List<Long> dbs = new ArrayList<>();
            try (RosterApp app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0))) {
                String token = app.bootstrap().orElseThrow().token();
                for (String name : List.of("batched", "single")) {
                    dbs.add(call(app, token, "databases/create", "{\"name\":\"" + name + "\",\"phone_region\":\"RU\"}")
                            .path("data").path("id").asLong());
                }
            }
            int people = 40;
            StringBuilder known = new StringBuilder("email,phones,_fname\n");
            for (int k = 0; k < people; k++) {
                known.append("p").append(k).append("@example.com,+7900555").append(String.format("%04d", k))
                        .append(",Known\n");
            }
            StringBuilder rows = new StringBuilder("email,phones,_fname\n");
            for (int line = 2; line < 1202; line++) {
                int k = random.nextInt(people);
                String email = "p" + k + "@example.com";
                String phone = "+7900555" + String.format("%04d", k);
                switch (random.nextInt(5)) {
                    case 0, 1 -> rows.append(email).append(",,L").append(line);
                    case 2, 3 -> rows.append(",").append(phone).append(",L").append(line);
                    default -> rows.append("new").append(line).append("@example.com,").append(phone).append(",L").append(line);
                }
                rows.append('\n');
            }
            Path knownFile = dir.resolve("known.csv");
            Files.writeString(knownFile, known);
            Path file = dir.resolve("mixed-people.csv");
            Files.writeString(file, rows);
            java.util.Map<Long, String> outcomes = new java.util.HashMap<>();
            for (long db : dbs) {
                assertThat(roster(importArgs(knownFile, db, fresh)).exit()).as("seed %d", seed).isZero();
                List<String> args = importArgs(file, db, fresh, "--batch", db == dbs.get(0) ? "7" : "1",
                        "--report", dir.resolve("report-" + db).toString());
                RosterCli.Run run = roster(args);
                assertThat(run.exit()).as("seed %d: %s", seed, run.err()).isIn(0, 3);
                Path report = dir.resolve("report-" + db);
                outcomes.put(db, run.out().lines().filter(l -> l.startsWith("imported")).findFirst().orElse(run.out())
                        .replaceAll(" \\(see .*\\)", "") + "\n" + (Files.exists(report)
                        ? Files.readString(report).replaceAll("[0-9a-f]{24}", "ID") : ""));
            }
            assertThat(outcomes.get(dbs.get(0))).as("seed %d", seed).isEqualTo(outcomes.get(dbs.get(1)));
            try (RosterApp app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0))) {
                java.util.function.LongFunction<List<String>> stored = db -> app.store().read(h -> h.createQuery(
                                "select data from profiles where db_id = :db").bind("db", db).mapTo(String.class).list())
                        .stream().map(d -> Json.readStored(d)).map(d -> d.path("email").asText() + "|"
                                + d.path("phones") + "|" + d.path("_fname").asText()).sorted().toList();
                assertThat(stored.apply(dbs.get(0))).as("seed %d", seed).isEqualTo(stored.apply(dbs.get(1)));
            }
        }
    }
}
