package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.testing.TestServer.Response;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

/**
 * Replays the request shapes of real Altcraft clients, written by hand from what they sent: a PostgreSQL-to-Altcraft
 * batch exporter, a Spring service and a Go client. Each must work unchanged, and what they stored must read back
 * with profiles/get.
 */
class ClientReplayApiTest extends ProfileApiSupport {

    /** Sends the body exactly as the client did: its path, its headers, its bytes. */
    private static Response send(String path, String contentType, String body) {
        return server.send(server.request(path)
                .header("Authorization", "Bearer " + server.masterToken())
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /**
     * The exporter: import_batch by phone, phones only in data, timestamps as PostgreSQL's text output without a
     * zone and with microseconds, _sex as a number, detect_geo set, and the database in Moscow time.
     */
    @Test
    void postgresBatchExporter() {
        long db = database("\"phone_region\":\"RU\",\"timezone\":\"Europe/Moscow\"");
        field(db, "LAST_ORDER_AT", "date");
        field(db, "ORDERS", "int");
        String fixture = """
                {
                  "db_id": %d,
                  "matching": "phone",
                  "detect_geo": true,
                  "skip_triggers": true,
                  "data": [
                    {"phones": ["+79161234567"], "_fname": "Ivan", "_sex": 1,
                     "_regdate": "2023-01-15T10:20:30.123456", "LAST_ORDER_AT": "2023-03-01 09:00:00.5", "ORDERS": 3},
                    {"phones": ["89167654321"], "_fname": "Olga", "_sex": 2,
                     "_regdate": "2022-12-31T23:59:59.999999", "LAST_ORDER_AT": "2023-02-28 18:30:00", "ORDERS": 1}
                  ]
                }
                """.formatted(db);
        Response answer = send("/api/v1.1/profiles/import_batch", "application/json", fixture);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.error()).as(answer.body()).isZero();
        for (JsonNode item : answer.json().path("result")) {
            assertThat(item.path("error").asInt()).as(answer.body()).isZero();
            assertThat(item.path("created").asBoolean()).isTrue();
        }
        JsonNode ivan = get(db, "\"matching\":\"phone\",\"phone\":\"+79161234567\"");
        assertThat(ivan.path("_fname").asText()).isEqualTo("Ivan");
        assertThat(ivan.path("_sex").asText()).isEqualTo("male");
        assertThat(ivan.path("_regdate").asText()).isEqualTo("2023-01-15T07:20:30.123456Z");
        assertThat(ivan.path("LAST_ORDER_AT").asText()).isEqualTo("2023-03-01T06:00:00.500Z");
        assertThat(ivan.path("ORDERS").asInt()).isEqualTo(3);
        JsonNode olga = get(db, "\"matching\":\"phone\",\"phone\":\"+79167654321\"");
        assertThat(olga.path("phones").toString()).isEqualTo("[\"+79167654321\"]");
        assertThat(olga.path("_sex").asText()).isEqualTo("female");
        assertThat(olga.path("_regdate").asText()).isEqualTo("2022-12-31T20:59:59.999999Z");
        assertThat(olga.path("LAST_ORDER_AT").asText()).isEqualTo("2023-02-28T15:30:00Z");

        // the next nightly run sends the same rows again: no new profiles
        Response again = send("/api/v1.1/profiles/import_batch", "application/json", fixture);
        assertThat(again.error()).isZero();
        again.json().path("result").forEach(item -> assertThat(item.path("created").asBoolean()).isFalse());
        assertThat(profileCount(db)).isEqualTo(2);
    }

    /**
     * The Spring service: Jackson writes epoch milliseconds for an Instant and "+0000" offsets for a Date, and any
     * answer that is not HTTP 2xx counts as a transport failure there, so refusals must be HTTP 200 too.
     */
    @Test
    void springServiceWithJacksonDates() {
        long db = database();
        String fixture = """
                {"db_id":%d,"matching":"email","email":"spring.user@example.com","detect_geo":false,\
                "data":{"email":"spring.user@example.com","_fname":"Spring","_regdate":1673778030123,\
                "_bdate":"1990-01-01T00:00:00.000+0000","_sex":"MALE"}}""".formatted(db);
        Response answer = send("/api/v1.1/profiles/import", "application/json;charset=UTF-8", fixture);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.error()).as(answer.body()).isZero();
        JsonNode stored = get(db, "\"email\":\"spring.user@example.com\"");
        assertThat(stored.path("_regdate").asText()).isEqualTo("2023-01-15T10:20:30.123Z");
        assertThat(stored.path("_bdate").asText()).isEqualTo("1990-01-01T00:00:00Z");
        assertThat(stored.path("_sex").asText()).isEqualTo("male");

        Response refused = send("/api/v1.1/profiles/import", "application/json;charset=UTF-8", """
                {"db_id":%d,"email":"spring.user@example.com","data":{"_bdate":"01/02/1990"}}""".formatted(db));
        assertThat(refused.status()).as("an error is HTTP 200 with the code in the envelope").isEqualTo(200);
        assertThat(refused.error()).isEqualTo(400);
        assertThat(refused.errorText()).contains("'_bdate'").contains("YYYY-MM-DD");
        assertThat(get(db, "\"email\":\"spring.user@example.com\"").path("_bdate").asText()).isEqualTo("1990-01-01T00:00:00Z");
    }

    /** The Go client: a base URL ending in '/', so "//databases/list", and json.Encoder's trailing newline. */
    @Test
    void goClientWithDoubleSlashAndTrailingNewline() {
        long db = database();
        Response list = send("/api/v1.1//databases/list", "application/json", "{\"limit\":100}\n");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.error()).as(list.body()).isZero();
        assertThat(list.data().findValuesAsText("id")).contains(Long.toString(db));
        Response imported = send("/api/v1.1//profiles/import", "application/json",
                "{\"db_id\":" + db + ",\"email\":\"go@example.com\",\"data\":{\"email\":\"go@example.com\","
                        + "\"_regdate\":\"1673778030\"}}\n");
        assertThat(imported.error()).as(imported.body()).isZero();
        assertThat(get(db, "\"email\":\"go@example.com\"").path("_regdate").asText()).isEqualTo("2023-01-15T10:20:30Z");
    }
}
