package dev.roster.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.json.Json;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The period of subscribers/history_get and history_get_all is read like every other date (docs/API.md, "Dates"):
 * each accepted form bounds the rows, zoneless date-times in the database's time zone, a day alone as the end of a
 * period includes that whole day, and any other form is a 400 listing the accepted ones.
 */
class HistoryDatesApiTest extends HistoryApiSupport {
    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

    private record Db(long id, String xxh, Instant event) {
    }

    /** A database in Moscow time with one profile and its one event; the event's instant as history shows it. */
    private static Db moscowDatabase() {
        long db = master().ok("databases/create", "{\"name\":\"" + unique("zoned") + "\",\"timezone\":\"Europe/Moscow\"}")
                .path("data").path("id").asLong();
        String xxh = xxh(db, importProfile(master(), db, unique("dates") + "@example.com", ""));
        JsonNode rows = history(db, xxh);
        assertThat(rows.size()).isEqualTo(1);
        return new Db(db, xxh, Instant.parse(rows.get(0).path("datetime").asText()));
    }

    private static int rows(Db db, String method, Object from, Object to) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("list_id", db.id());
        if (method.equals("subscribers/history_get")) {
            body.put("xxh", db.xxh());
        }
        body.put("date_from", from);
        body.put("date_to", to);
        return master().ok(method, Json.write(body)).path("data").size();
    }

    private static String local(Instant instant, ZoneId zone, String pattern) {
        return DateTimeFormatter.ofPattern(pattern).format(LocalDateTime.ofInstant(instant, zone));
    }

    @Test
    void everyDateFormBoundsThePeriodOfBothMethods() {
        Db db = moscowDatabase();
        Instant before = db.event().minusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        Instant after = db.event().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        Instant later = after.plusSeconds(60);
        // each form: the instant it writes, for a period around the event and one after it
        Map<String, java.util.function.Function<Instant, Object>> forms = new LinkedHashMap<>();
        forms.put("ISO 8601 with Z", DateTimeFormatter.ISO_INSTANT::format);
        forms.put("+0000 offset with milliseconds", i -> local(i, ZoneOffset.UTC, "yyyy-MM-dd'T'HH:mm:ss.SSS") + "+0000");
        forms.put("+03:00 offset", i -> local(i, MOSCOW, "yyyy-MM-dd'T'HH:mm:ss") + "+03:00");
        forms.put("a space and +03", i -> local(i, MOSCOW, "yyyy-MM-dd HH:mm:ss") + "+03");
        forms.put("zoneless microseconds (the database's zone)", i -> local(i, MOSCOW, "yyyy-MM-dd'T'HH:mm:ss.SSSSSS"));
        forms.put("DD.MM.YYYY HH:MM:SS (the database's zone)", i -> local(i, MOSCOW, "dd.MM.yyyy HH:mm:ss"));
        forms.put("Unix seconds", Instant::getEpochSecond);
        forms.put("Unix seconds as text", i -> String.valueOf(i.getEpochSecond()));
        forms.put("Unix milliseconds", Instant::toEpochMilli);
        for (String method : new String[] {"subscribers/history_get", "subscribers/history_get_all"}) {
            forms.forEach((name, form) -> {
                assertThat(rows(db, method, form.apply(before), form.apply(after))).as("%s %s around", method, name)
                        .isEqualTo(1);
                assertThat(rows(db, method, form.apply(after), form.apply(later))).as("%s %s after", method, name)
                        .isZero();
            });
        }
    }

    @Test
    void zonelessTimesAreReadInTheDatabasesZoneAndAnInstantEndIsIncluded() {
        Db db = moscowDatabase();
        String get = "subscribers/history_get";
        // the UTC wall time, sent without a zone, is read in Moscow: three hours earlier, so the event is after it
        String fromUtcWall = local(db.event().minusSeconds(2), ZoneOffset.UTC, "yyyy-MM-dd'T'HH:mm:ss");
        String toUtcWall = local(db.event().plusSeconds(2), ZoneOffset.UTC, "yyyy-MM-dd'T'HH:mm:ss");
        assertThat(rows(db, get, fromUtcWall, toUtcWall)).isZero();
        assertThat(rows(db, get, fromUtcWall + "Z", toUtcWall + "Z")).isEqualTo(1);
        // the order of a zoneless and a zoned bound is judged in the database's zone: an hour after the event as a UTC
        // wall time is two hours before it in Moscow
        String hourLaterUtcWall = local(db.event().plusSeconds(3600), ZoneOffset.UTC, "yyyy-MM-dd'T'HH:mm:ss");
        assertThat(rows(db, get, hourLaterUtcWall, DateTimeFormatter.ISO_INSTANT.format(db.event().plusSeconds(2))))
                .isEqualTo(1);
        // both ends are included to the millisecond
        long ms = db.event().toEpochMilli();
        assertThat(rows(db, get, ms, ms)).isEqualTo(1);
        assertThat(rows(db, get, ms - 10, ms - 1)).isZero();
        assertThat(rows(db, get, ms + 1, ms + 10)).isZero();
    }

    @Test
    void aDayAloneAsTheEndIncludesTheWholeDayInBothDayForms() {
        Db db = moscowDatabase();
        java.time.LocalDate day = db.event().atZone(ZoneOffset.UTC).toLocalDate();
        DateTimeFormatter russian = DateTimeFormatter.ofPattern("dd.MM.yyyy");
        for (String method : new String[] {"subscribers/history_get", "subscribers/history_get_all"}) {
            assertThat(rows(db, method, day.toString(), day.toString())).as(method).isEqualTo(1);
            assertThat(rows(db, method, russian.format(day), russian.format(day))).as(method).isEqualTo(1);
            assertThat(rows(db, method, day.minusDays(3).toString(), day.minusDays(1).toString())).as(method).isZero();
            assertThat(rows(db, method, russian.format(day.plusDays(1)), russian.format(day.plusDays(2)))).as(method)
                    .isZero();
        }
    }

    @Test
    void aBadDateIsRefusedListingTheAcceptedForms() {
        Db db = moscowDatabase();
        String get = "{\"list_id\":" + db.id() + ",\"xxh\":\"" + db.xxh() + "\",";
        String all = "{\"list_id\":" + db.id() + ",";
        for (String bad : new String[] {"\"01/02/2024\"", "\"yesterday\"", "\"2024-02-30\"", "\"2024-01-01T25:00\"",
                "\"2024-01-01T10:00+19:00\"", "true"}) {
            assertRefused("subscribers/history_get", get + "\"date_from\":" + bad + "}", 400, "'date_from'",
                    "YYYY-MM-DD", "DD.MM.YYYY", "Unix time");
            assertRefused("subscribers/history_get", get + "\"date_to\":" + bad + "}", 400, "'date_to'", "YYYY-MM-DD");
            assertRefused("subscribers/history_get_all", all + "\"date_from\":" + bad + ",\"date_to\":\"2030-01-01\"}",
                    400, "'date_from'", "YYYY-MM-DD", "DD.MM.YYYY", "Unix time");
            assertRefused("subscribers/history_get_all", all + "\"date_from\":\"2020-01-01\",\"date_to\":" + bad + "}",
                    400, "'date_to'", "YYYY-MM-DD");
        }
        // an end before the start, in any forms
        assertRefused("subscribers/history_get_all", all + "\"date_from\":\"2024-02-02T00:00:00Z\","
                + "\"date_to\":1706745600}", 400, "'date_from'", "'date_to'");
        // nothing changed: the profile's one event is still there
        assertThat(history(db.id(), db.xxh()).size()).isEqualTo(1);
    }
}
