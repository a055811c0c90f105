package dev.roster.segment;

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

/** {@code roster import --add-to-segment} and {@code roster export --query | --segment} on the store of this run. */
@Tag("api")
class SegmentCommandLineTest {
    @TempDir
    Path dir;

    /** The command line run in this process, standard output and error captured ({@link RosterCli}). */
    private static RosterCli.Run roster(List<String> args) {
        return RosterCli.run(args);
    }

    private static List<String> with(TestStores.FreshStore fresh, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(fresh.settings().dbUrl() != null ? List.of("--db-url", fresh.settings().dbUrl())
                : List.of("--data", fresh.settings().dataDir().toString()));
        return all;
    }

    private static JsonNode call(RosterApp app, String token, String method, String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.port() + "/api/v1.1/" + method))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(response.body());
    }

    @Test
    void importJoinsASegmentAndExportTakesAQueryOrASegment() throws Exception {
        TestStores.FreshStore fresh = TestStores.fresh();
        try (AutoCloseable cleanup = fresh.cleanup()) {
            long db;
            long segment;
            String token;
            try (RosterApp app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0))) {
                token = app.bootstrap().orElseThrow().token();
                db = call(app, token, "databases/create", "{\"name\":\"cli\"}").path("data").path("id").asLong();
                segment = call(app, token, "segments/create", "{\"db_id\":" + db + ",\"name\":\"new\",\"type\":\"static\"}")
                        .path("data").path("id").asLong();
            }
            Path file = dir.resolve("people.jsonl");
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 30; i++) {
                lines.append("{\"email\":\"c").append(i).append("@example.com\",\"_city\":\"")
                        .append(i % 3 == 0 ? "Moscow" : "Kazan").append("\"}\n");
            }
            Files.writeString(file, lines);
            RosterCli.Run imported = roster(with(fresh, "import", file.toString(), "--db-id", Long.toString(db), "--add-to-segment",
                    Long.toString(segment)));
            assertThat(imported.exit()).as(imported.err()).isZero();

            Path moscow = dir.resolve("moscow.json");
            RosterCli.Run byQuery = roster(with(fresh, "export", "--db-id", Long.toString(db), "--query", "{\"_city\":\"Moscow\"}",
                    "--out", moscow.toString()));
            assertThat(byQuery.exit()).as(byQuery.err()).isZero();
            JsonNode rows = Json.MAPPER.readTree(moscow.toFile());
            assertThat(rows).hasSize(10);
            rows.forEach(r -> assertThat(r.path("_city").asText()).isEqualTo("Moscow"));

            Path members = dir.resolve("segment.json");
            RosterCli.Run bySegment = roster(with(fresh, "export", "--segment", Long.toString(segment), "--out", members.toString()));
            assertThat(bySegment.exit()).as(bySegment.err()).isZero();
            assertThat(Json.MAPPER.readTree(members.toFile())).hasSize(30);

            RosterCli.Run bad = roster(with(fresh, "export", "--db-id", Long.toString(db), "--query", "{\"nope\":1}",
                    "--out", dir.resolve("bad.json").toString()));
            assertThat(bad.exit()).isNotZero();
            assertThat(bad.err()).contains("unknown field 'nope'");
            assertThat(dir.resolve("bad.json")).doesNotExist();
        }
    }
}
