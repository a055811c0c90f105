package dev.roster.profile;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The date forms docs/API.md accepts, written for a random instant, each with the instant it stands for; and forms
 * that must be refused. Shared by the normaliser's property test and the API's.
 */
final class DateForms {
    /** A value as sent (a JSON literal: a quoted string or a number) and the RFC 3339 UTC text it must read back as. */
    record Form(String json, String expected, String kind) {
    }

    private static final long YEAR_1900 = -2_208_988_800L;
    private static final long YEAR_2200 = 7_258_118_400L;
    /** Unix milliseconds start at 100,000,000,000 (1973-03-03). */
    private static final long MILLIS_FROM_SECONDS = 100_000_000L;

    private DateForms() {
    }

    static Instant randomInstant(SplittableRandom random) {
        long seconds = random.nextLong(YEAR_1900, YEAR_2200);
        int digits = random.nextInt(10);
        long nanos = digits == 0 ? 0 : random.nextLong(1_000_000_000L);
        long unit = (long) Math.pow(10, 9 - digits);
        return Instant.ofEpochSecond(seconds, nanos / unit * unit);
    }

    private static String expected(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    private static String q(String text) {
        return "\"" + text + "\"";
    }

    /** Every accepted form of {@code instant} (or of the parts of it a form can carry), zoneless ones in {@code zone}. */
    static List<Form> accepted(Instant instant, ZoneId zone, SplittableRandom random) {
        List<Form> forms = new ArrayList<>();
        LocalDateTime utc = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        forms.add(new Form(q(utc.toLocalDate().toString()), expected(instant.truncatedTo(ChronoUnit.DAYS)), "YYYY-MM-DD"));
        String day = String.format("%02d.%02d.%04d", utc.getDayOfMonth(), utc.getMonthValue(), utc.getYear());
        forms.add(new Form(q(day), expected(instant.truncatedTo(ChronoUnit.DAYS)), "DD.MM.YYYY"));

        String fraction = fraction(instant.getNano());
        String sep = random.nextBoolean() ? "T" : " ";
        String date = utc.toLocalDate().toString();
        String hms = String.format("%02d:%02d:%02d", utc.getHour(), utc.getMinute(), utc.getSecond());
        forms.add(new Form(q(date + sep + hms + fraction + "Z"), expected(instant), "Z"));
        forms.add(new Form(q(date + sep + String.format("%02d:%02d", utc.getHour(), utc.getMinute()) + "Z"),
                expected(instant.truncatedTo(ChronoUnit.MINUTES)), "no seconds"));

        int offsetMinutes = (random.nextInt(-12 * 4, 14 * 4 + 1)) * 15;
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(offsetMinutes * 60);
        LocalDateTime shifted = LocalDateTime.ofInstant(instant, offset);
        String local = shifted.toLocalDate() + sep + String.format("%02d:%02d:%02d", shifted.getHour(),
                shifted.getMinute(), shifted.getSecond()) + fraction;
        String colon = offset.getId().equals("Z") ? "+00:00" : offset.getId();
        forms.add(new Form(q(local + colon), expected(instant), "+HH:MM"));
        forms.add(new Form(q(local + colon.replace(":", "")), expected(instant), "+HHMM"));
        ZoneOffset whole = ZoneOffset.ofHours(offsetMinutes / 60);
        LocalDateTime inWhole = LocalDateTime.ofInstant(instant, whole);
        String wholeText = whole.getId().equals("Z") ? "+00" : whole.getId().substring(0, 3);
        forms.add(new Form(q(inWhole.toLocalDate() + sep + String.format("%02d:%02d:%02d", inWhole.getHour(),
                inWhole.getMinute(), inWhole.getSecond()) + fraction + wholeText), expected(instant), "+HH"));

        LocalDateTime inZone = LocalDateTime.ofInstant(instant, zone);
        if (zone.getRules().getValidOffsets(inZone).size() == 1) {
            String zoneless = inZone.toLocalDate() + sep + String.format("%02d:%02d:%02d", inZone.getHour(),
                    inZone.getMinute(), inZone.getSecond());
            forms.add(new Form(q(zoneless + fraction), expected(instant), "no zone"));
            String russian = String.format("%02d.%02d.%04d %02d:%02d:%02d", inZone.getDayOfMonth(), inZone.getMonthValue(),
                    inZone.getYear(), inZone.getHour(), inZone.getMinute(), inZone.getSecond());
            forms.add(new Form(q(russian), expected(instant.truncatedTo(ChronoUnit.SECONDS)), "DD.MM.YYYY HH:MM:SS"));
            LocalDateTime minute = inZone.truncatedTo(ChronoUnit.MINUTES);
            if (zone.getRules().getValidOffsets(minute).size() == 1) {
                forms.add(new Form(q(russian.substring(0, russian.length() - 3)),
                        expected(minute.atZone(zone).toInstant()), "DD.MM.YYYY HH:MM"));
            }
        }

        long seconds = instant.getEpochSecond();
        Instant whole1 = Instant.ofEpochSecond(seconds);
        forms.add(new Form(Long.toString(seconds), expected(whole1), "unix seconds"));
        if (seconds >= 0) {
            forms.add(new Form(q(Long.toString(seconds)), expected(whole1), "unix seconds as text"));
        }
        long millis = instant.toEpochMilli();
        if (millis >= MILLIS_FROM_SECONDS * 1000) {
            Instant inMillis = Instant.ofEpochMilli(millis);
            forms.add(new Form(Long.toString(millis), expected(inMillis), "unix milliseconds"));
            forms.add(new Form(q(Long.toString(millis)), expected(inMillis), "unix milliseconds as text"));
        }
        return forms;
    }

    /** 0 to 9 fraction digits as the instant has them (none when it has none, sometimes zeros appended). */
    private static String fraction(int nanos) {
        if (nanos == 0) {
            return "";
        }
        String digits = String.format("%09d", nanos).replaceAll("0+$", "");
        return "." + digits;
    }

    /** Forms that are not dates, each a JSON literal. */
    static List<String> refused(Instant instant, SplittableRandom random) {
        LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        return List.of(
                q(String.format("%02d/%02d/%04d", t.getMonthValue(), t.getDayOfMonth(), t.getYear())),
                q(String.format("%04d/%02d/%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth())),
                q(t.toLocalDate() + "T" + t.getHour() + "h"),
                q(t.toLocalDate() + "  " + String.format("%02d:%02d", t.getHour(), t.getMinute())),
                q(t.toLocalDate() + "T" + String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond())
                        + ".1234567891Z"),
                q(String.format("%04d-%02d-32", t.getYear(), t.getMonthValue())),
                q(String.format("%02d.%02d.%04d", t.getDayOfMonth(), 13, t.getYear())),
                q(t.toLocalDate() + "T25:00:00Z"),
                q(t.toLocalDate() + "T10:00:00+19:00"),
                q("yesterday"),
                q("-" + random.nextInt(1, 1_000_000)),
                "true",
                "1.5");
    }
}
