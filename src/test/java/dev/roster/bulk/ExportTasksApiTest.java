package dev.roster.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.RosterApp;
import dev.roster.http.HttpSettings;
import dev.roster.json.Json;
import dev.roster.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Export tasks live in the store: every server of the store answers for them; they expire and can be deleted. */
@Tag("api")
class ExportTasksApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> post(RosterApp app, String token, String method, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/v1.1/" + method))
                        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(RosterApp app, String token, String method, String body) throws Exception {
        JsonNode answer = Json.MAPPER.readTree(post(app, token, method, body).body());
        assertThat(answer.path("error").asInt()).as(method + " " + answer).isZero();
        return answer;
    }

    private static HttpResponse<String> download(RosterApp app, String token, String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + url))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void waitFor(String what, BooleanSupplier condition) {
        dev.roster.testing.Conditions.waitFor(what, Duration.ofSeconds(60), condition);
    }

    private static JsonNode finished(RosterApp app, String token, String task) throws Exception {
        JsonNode[] status = new JsonNode[1];
        waitFor("task " + task, () -> {
            try {
                status[0] = ok(app, token, "tasks/status", "{\"task_id\":\"" + task + "\"}").path("data");
                return status[0].path("status").asText().matches("completed|failed");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return status[0];
    }

    private static long chunks(RosterApp app) {
        return app.store().read(h -> h.createQuery("select count(*) from export_chunks")
                .mapTo(Long.class).one());
    }

    @Test
    void anotherServerOfTheStoreAnswersTheStatusAndServesTheFileAndTasksDeleteRemovesIt() throws Exception {
        TestStores.FreshStore fresh = TestStores.fresh();
        try (AutoCloseable cleanup = fresh.cleanup();
             RosterApp first = RosterApp.start(fresh.settings(), HttpSettings.defaults(0))) {
            String token = first.bootstrap().orElseThrow().token();
            long db = ok(first, token, "databases/create", "{\"name\":\"tasks\"}").path("data").path("id").asLong();
            StringBuilder batch = new StringBuilder("{\"db_id\":" + db + ",\"data\":[");
            for (int i = 0; i < 3000; i++) {
                // long names: the file spans several chunks of 1 MB
                batch.append(i == 0 ? "" : ",").append("{\"email\":\"t").append(i).append("@example.com\",\"_fname\":\"")
                        .append("x".repeat(400)).append("\"}");
            }
            ok(first, token, "profiles/import_batch", batch.append("]}").toString());
            String task = ok(first, token, "profiles/get_all", "{\"source_type\":\"database\",\"source_id\":" + db
                    + ",\"file_format\":\"jsonl\"}").path("data").path("task_id").asText();
            String url;
            try (RosterApp second = RosterApp.start(fresh.settings(), HttpSettings.defaults(0))) {
                JsonNode status = finished(second, token, task);
                assertThat(status.path("status").asText()).isEqualTo("completed");
                url = status.path("result").path("urls").get(0).asText();
                assertThat(url).endsWith("_database_export.jsonl");
                HttpResponse<String> file = download(second, token, url);
                assertThat(file.statusCode()).isEqualTo(200);
                assertThat(file.body().length()).isGreaterThan(1 << 20);
                assertThat(file.body().lines()).hasSize(3000);
                assertThat(Json.MAPPER.readTree(file.body().lines().findFirst().orElseThrow()).path("email").asText())
                        .endsWith("@example.com");
                assertThat(chunks(second)).isGreaterThan(1);

                // deleted on one server: gone on both, the file with it
                assertThat(ok(second, token, "tasks/delete", "{\"task_id\":\"" + task + "\"}").path("data")
                        .path("task_id").asText()).isEqualTo(task);
                assertThat(Json.MAPPER.readTree(post(first, token, "tasks/status", "{\"task_id\":\"" + task + "\"}")
                        .body()).path("error").asInt()).isEqualTo(404);
                assertThat(download(first, token, url).statusCode()).isEqualTo(404);
                assertThat(chunks(first)).isZero();
                assertThat(Json.MAPPER.readTree(post(first, token, "tasks/delete", "{\"task_id\":\"" + task + "\"}")
                        .body()).path("error").asInt()).isEqualTo(404);
            }
        }
    }

    @Test
    void filesAreDeletedAfterTheRetention() throws Exception {
        TestStores.FreshStore fresh = TestStores.fresh();
        try (AutoCloseable cleanup = fresh.cleanup();
             RosterApp app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0),
                     RosterApp.Options.defaults().withExportRetention(Duration.ofSeconds(2)))) {
            String token = app.bootstrap().orElseThrow().token();
            long db = ok(app, token, "databases/create", "{\"name\":\"expiring\"}").path("data").path("id").asLong();
            ok(app, token, "profiles/import", "{\"db_id\":" + db + ",\"data\":{\"email\":\"e@example.com\"}}");
            String task = ok(app, token, "profiles/get_all", "{\"source_type\":\"database\",\"source_id\":" + db + "}")
                    .path("data").path("task_id").asText();
            JsonNode status = finished(app, token, task);
            String url = status.path("result").path("urls").get(0).asText();
            assertThat(download(app, token, url).body()).contains("e@example.com");
            waitFor("the export to expire", () -> {
                try {
                    return Json.MAPPER.readTree(post(app, token, "tasks/status", "{\"task_id\":\"" + task + "\"}")
                            .body()).path("error").asInt() == 404;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(download(app, token, url).statusCode()).isEqualTo(404);
            assertThat(chunks(app)).isZero();
        }
    }

    @Test
    void anExportWhoseServerStoppedIsReportedFailed() throws Exception {
        TestStores.FreshStore fresh = TestStores.fresh();
        try (AutoCloseable cleanup = fresh.cleanup();
             RosterApp app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0))) {
            String token = app.bootstrap().orElseThrow().token();
            long db = ok(app, token, "databases/create", "{\"name\":\"stalled\"}").path("data").path("id").asLong();
            long account = app.store().read(h -> h.createQuery("select id from accounts where name = 'default'")
                    .mapTo(Long.class).one());
            // what a server killed in the middle of an export leaves: a running task that stopped reporting
            String task = "task_00000000-0000-0000-0000-000000000001";
            long longAgo = System.currentTimeMillis() - Duration.ofMinutes(30).toMillis();
            app.store().write(h -> h.createUpdate("insert into export_tasks (id, account_id, db_id, file_name, "
                            + "status, total, done, created_at, updated_at) values (:id, :account, :db, 'f.csv', 'running', "
                            + "10, 5, :at, :at)")
                    .bind("id", task).bind("account", account).bind("db", db).bind("at", longAgo).execute());
            JsonNode status = ok(app, token, "tasks/status", "{\"task_id\":\"" + task + "\"}").path("data");
            assertThat(status.path("status").asText()).isEqualTo("failed");
            assertThat(status.path("result").path("errors").get(0).asText()).contains("start the export again");
            assertThat(status.path("result").path("urls")).isEmpty();
        }
    }
}
