package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.testing.TestServer.Response;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Dates as real exports write them (docs/API.md, "Dates"): every accepted form in the standard date fields, custom
 * date fields and typed subscription fields reads back as the same instant in RFC 3339 UTC; zoneless date-times are
 * in the database's {@code timezone}; anything else is a 400 listing the forms and changes nothing.
 */
class DatesApiTest extends ProfileApiSupport {
    private static final long SEED = Long.getLong("roster.seed", System.nanoTime());

    private static long datedDatabase(String timezone) {
        long db = database("\"timezone\":\"" + timezone + "\"");
        field(db, "LAST_SEEN", "date");
        return db;
    }

    @Test
    void theTimezoneOfADatabaseIsSetShownAndValidated() {
        long utc = database();
        assertThat(ok("databases/get", "{\"id\":" + utc + "}").path("data").path("timezone").asText()).isEqualTo("UTC");
        long moscow = database("\"timezone\":\"Europe/Moscow\"");
        assertThat(ok("databases/get", "{\"id\":" + moscow + "}").path("data").path("timezone").asText())
                .isEqualTo("Europe/Moscow");
        ok("databases/update", "{\"id\":" + moscow + ",\"timezone\":\"Asia/Tokyo\"}");
        assertThat(ok("databases/get", "{\"id\":" + moscow + "}").path("data").path("timezone").asText())
                .isEqualTo("Asia/Tokyo");
        long before = ok("databases/list", "{}").path("total_count").asLong();
        Response bad = call("databases/create", "{\"name\":\"" + unique("tz") + "\",\"timezone\":\"Mars/Olympus\"}");
        assertError(bad, 400, "'timezone'", "IANA", "Mars/Olympus");
        assertError(call("databases/create", "{\"name\":\"" + unique("tz") + "\",\"timezone\":\"+03:00\"}"), 400, "'timezone'");
        assertThat(ok("databases/list", "{}").path("total_count").asLong()).isEqualTo(before);
        assertError(call("databases/update", "{\"id\":" + moscow + ",\"timezone\":\"Nowhere\"}"), 400, "'timezone'");
        assertThat(ok("databases/get", "{\"id\":" + moscow + "}").path("data").path("timezone").asText())
                .isEqualTo("Asia/Tokyo");
    }

    @Test
    void zonelessDateTimesAreReadInTheDatabasesTimezone() {
        long db = datedDatabase("Europe/Moscow");
        String id = importOk("{\"db_id\":" + db + ",\"email\":\"zoneless@example.com\",\"data\":{\"email\":"
                + "\"zoneless@example.com\",\"_regdate\":\"2023-01-15T10:20:30.123456\",\"LAST_SEEN\":\"15.01.2023 10:20\","
                + "\"_bdate\":\"1990-01-01\"}}");
        JsonNode data = getById(db, id);
        assertThat(data.path("_regdate").asText()).isEqualTo("2023-01-15T07:20:30.123456Z");
        assertThat(data.path("LAST_SEEN").asText()).isEqualTo("2023-01-15T07:20:00Z");
        assertThat(data.path("_bdate").asText()).as("a date alone is a day, not a moment").isEqualTo("1990-01-01T00:00:00Z");
    }

    @Test
    void everyAcceptedFormOfARandomInstantReadsBackAsThatInstant() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<String> zones = List.of("UTC", "Europe/Moscow", "America/New_York", "Asia/Kolkata");
        long r = resource("email");
        master().ok("resources/fields_add", "{\"id\":" + r + ",\"channel\":\"email\",\"name\":\"confirmed\",\"type\":\"date\"}");
        for (String zone : zones) {
            long db = datedDatabase(zone);
            for (int i = 0; i < 8; i++) {
                Instant instant = DateForms.randomInstant(random);
                for (DateForms.Form form : DateForms.accepted(instant, ZoneId.of(zone), random)) {
                    String email = unique("d") + "@example.com";
                    String body = "{\"db_id\":" + db + ",\"email\":\"" + email + "\",\"data\":{\"email\":\"" + email
                            + "\",\"_regdate\":" + form.json() + ",\"LAST_SEEN\":" + form.json()
                            + ",\"subscriptions\":[{\"resource_id\":" + r + ",\"channel\":\"email\",\"email\":\"" + email
                            + "\",\"custom_fields\":{\"confirmed\":" + form.json() + "}}]}}";
                    Response answer = call("profiles/import", body);
                    String what = "seed " + SEED + ": " + form.kind() + " " + form.json() + " of " + instant + " in " + zone;
                    assertThat(answer.error()).as(what + " -> " + answer.body()).isZero();
                    JsonNode data = getById(db, answer.json().path("profile_id").asText());
                    assertThat(data.path("_regdate").asText()).as(what).isEqualTo(form.expected());
                    assertThat(data.path("LAST_SEEN").asText()).as(what).isEqualTo(form.expected());
                    assertThat(data.path("subscriptions").get(0).path("custom_fields").path("confirmed").asText())
                            .as(what).isEqualTo(form.expected());
                }
            }
        }
    }

    @Test
    void everyRefusedFormIsA400ListingTheFormsAndChangesNothing() {
        SplittableRandom random = new SplittableRandom(SEED);
        long db = datedDatabase("Europe/Moscow");
        String id = importEmail(db, "kept@example.com");
        for (int i = 0; i < 3; i++) {
            for (String sent : DateForms.refused(DateForms.randomInstant(random), random)) {
                for (String field : List.of("_bdate", "_regdate", "LAST_SEEN")) {
                    assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"email\":\"kept@example.com\",\"data\":{\""
                            + field + "\":" + sent + "}}", 400, "'" + field + "'", "YYYY-MM-DD", "+HHMM", "DD.MM.YYYY",
                            "Unix time", "milliseconds");
                }
            }
        }
        assertThat(getById(db, id).has("_bdate")).isFalse();
    }
}
