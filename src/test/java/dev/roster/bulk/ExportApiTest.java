package dev.roster.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.json.Json;
import dev.roster.testing.ApiTest;
import dev.roster.testing.TestServer.Response;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** profiles/get_all, tasks/status and the download (docs/API.md, Export). */
class ExportApiTest extends ApiTest {
    private static final int PROFILES = 2_500;
    private static long db;

    @BeforeAll
    static void fill() {
        db = createDatabase("export");
        master().ok("databases/fields_add", "{\"db_id\":" + db + ",\"name\":\"TIER\",\"type\":\"string\"}");
        ArrayNode items = Json.array();
        for (int i = 0; i < PROFILES; i++) {
            items.addObject().put("email", "export" + i + "@example.com").put("_fname", i == 7 ? "Ann, \"the\" first" : "N" + i)
                    .put("TIER", i % 10 == 0 ? "gold" : "basic");
        }
        ObjectNode body = Json.object().put("db_id", db);
        body.set("data", items);
        JsonNode result = master().ok("profiles/import_batch", body).path("result");
        assertThat(result.findValues("error").stream().allMatch(e -> e.asInt() == 0)).isTrue();
    }

    /** Polls tasks/status until the task ends (bounded), and returns its last status. */
    private static JsonNode finished(String taskId) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        JsonNode status;
        do {
            status = master().ok("tasks/status", "{\"task_id\":\"" + taskId + "\"}").path("data");
        } while (!status.path("status").asText().matches("completed|failed") && Instant.now().isBefore(deadline));
        return status;
    }

    private static Response download(String url, String token) {
        HttpRequest.Builder request = server.request(url).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return server.send(request);
    }

    private static String start(String body) {
        return master().ok("profiles/get_all", body).path("data").path("task_id").asText();
    }

    @Test
    void csvExportOfAWholeDatabase() {
        String task = start("{\"source_type\":\"database\",\"source_id\":" + db + "}");
        assertThat(task).startsWith("task_");
        JsonNode status = finished(task);
        assertThat(status.path("status").asText()).isEqualTo("completed");
        assertThat(status.path("progress").asInt()).isEqualTo(100);
        assertThat(status.path("result").path("total").asLong()).isEqualTo(PROFILES);
        assertThat(status.path("result").path("source_id").asLong()).isEqualTo(db);
        String url = status.path("result").path("urls").get(0).asText();
        assertThat(url).isEqualTo("/api/download/data/" + task + "/" + db + "_database_export.csv");

        Response file = download(url, server.masterToken());
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type").orElse("")).contains("text/csv");
        String[] lines = file.body().split("\r\n");
        assertThat(lines).hasSize(PROFILES + 1);
        assertThat(lines[0]).startsWith("id,email,phones,_fname").contains("TIER").endsWith("_createtime,_updatetime,subscriptions");
        assertThat(file.body()).contains("export42@example.com").contains("\"Ann, \"\"the\"\" first\"");
    }

    @Test
    void jsonExportWithAFilter() {
        String task = start("{\"source_type\":\"database\",\"source_id\":" + db
                + ",\"file_format\":\"json\",\"custom_request\":{\"TIER\":\"gold\"}}");
        JsonNode status = finished(task);
        assertThat(status.path("status").asText()).isEqualTo("completed");
        Response file = download(status.path("result").path("urls").get(0).asText(), server.masterToken());
        JsonNode profiles = file.json();
        assertThat(profiles.size()).isEqualTo(PROFILES / 10);
        profiles.forEach(p -> assertThat(p.path("TIER").asText()).isEqualTo("gold"));
        assertThat(profiles.get(0).has("_xxh")).isTrue();
        assertThat(profiles.get(0).has("subscriptions")).isTrue();
    }

    @Test
    void badRequestsAndOtherCallersGetNothing() {
        assertThat(master().call("profiles/get_all", "{\"source_type\":\"segment\",\"source_id\":1}").errorText())
                .contains("segment 1 not found");
        assertThat(master().call("profiles/get_all", "{\"source_type\":\"database\",\"source_id\":" + db
                + ",\"file_format\":\"xlsx\"}").errorText()).contains("'file_format'");
        assertThat(master().call("profiles/get_all", "{\"source_type\":\"database\",\"source_id\":424242}").code())
                .isEqualTo(404);
        assertThat(master().call("profiles/get_all", "{\"source_type\":\"database\",\"source_id\":" + db
                + ",\"custom_request\":{\"colour\":\"red\"}}").errorText()).contains("unknown field 'colour'");
        assertThat(master().call("tasks/status", "{\"task_id\":\"task_nope\"}").code()).isEqualTo(404);

        String task = start("{\"source_type\":\"database\",\"source_id\":" + db + "}");
        String url = finished(task).path("result").path("urls").get(0).asText();
        assertThat(download(url, null).status()).isEqualTo(401);
        String noRead = master().ok("tokens/create", "{\"name\":\"no read\",\"permissions\":[\"catalog.read\"]}")
                .path("data").path("token").asText();
        assertThat(download(url, noRead).status()).isEqualTo(403);
        assertThat(download("/api/download/data/" + task + "/other.csv", server.masterToken()).status()).isEqualTo(404);
        assertThat(download("/api/download/data/" + task + "/..%2F..%2Fetc%2Fpasswd", server.masterToken()).status())
                .isEqualTo(404);
    }
}
