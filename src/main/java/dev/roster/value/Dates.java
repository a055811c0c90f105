package dev.roster.value;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.error.RosterException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * The one reader of dates, for every feature that takes one (profile fields, subscription fields, queries, history
 * periods): every form docs/API.md lists under "Dates". Pure: it knows no database, only the time zone it is given
 * for date-times sent without one.
 */
public final class Dates {
    /** What a refused date is told it should have been: every accepted form. */
    public static final String EXPECTED = "a date in one of the forms YYYY-MM-DD; YYYY-MM-DDTHH:MM[:SS[.fraction]] "
            + "(T or a space, 0 to 9 fraction digits) with a zone Z, +HH:MM, +HHMM, +HH or none (the database's time "
            + "zone); DD.MM.YYYY[ HH:MM[:SS]]; Unix time in seconds (below 100000000000) or milliseconds, as a number "
            + "or a string of digits";
    private static final long EPOCH_MILLIS_FROM = 100_000_000_000L;
    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})[Tt ](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?([Zz]|[+-]\\d{2}(?::?\\d{2})?)?");
    private static final Pattern RUSSIAN = Pattern.compile("(\\d{2})\\.(\\d{2})\\.(\\d{4})(?: (\\d{2}):(\\d{2})(?::(\\d{2}))?)?");
    private static final Pattern UNIX = Pattern.compile("\\d{1,30}");
    // Four-digit years only, so that every output is valid RFC 3339.
    private static final Instant MIN_DATE = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant MAX_DATE = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private Dates() {}

    /**
     * A date read: its instant, and whether it was sent as a day alone ({@code YYYY-MM-DD}, {@code DD.MM.YYYY}),
     * which is midnight UTC of that day but, as the end of a period, stands for the whole day.
     */
    public record Read(Instant instant, boolean day) {
    }

    /**
     * A date as RFC 3339 in UTC ({@link DateTimeFormatter#ISO_INSTANT}: seconds precision unless the instant has a
     * non-zero fraction), or a 400 naming {@code field} and listing the accepted forms.
     */
    public static String date(String field, JsonNode value, ZoneId zone) {
        return DateTimeFormatter.ISO_INSTANT.format(read(field, value, zone).instant());
    }

    /**
     * Reads every accepted form: {@code YYYY-MM-DD} (midnight UTC); ISO 8601 date-times with {@code T} or one space,
     * seconds and 0-9 fraction digits optional, zone {@code Z}, {@code ±HH:MM}, {@code ±HHMM}, {@code ±HH} or none
     * (then {@code zone}, UTC when null); {@code DD.MM.YYYY} with an optional {@code HH:MM} or {@code HH:MM:SS} (in
     * {@code zone}); Unix time as an integer or a string of digits, seconds below 100,000,000,000 and milliseconds
     * from there on.
     */
    public static Read read(String field, JsonNode value, ZoneId zone) {
        Read read = instant(value, zone == null ? ZoneOffset.UTC : zone);
        if (read == null || read.instant().isBefore(MIN_DATE) || read.instant().isAfter(MAX_DATE)) {
            throw RosterException.invalid(field, EXPECTED, value);
        }
        return read;
    }

    private static Read instant(JsonNode value, ZoneId zone) {
        if (value == null) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() ? moment(epoch(value.longValue())) : null;
        }
        if (!value.isTextual()) {
            return null;
        }
        String text = value.textValue().strip();
        try {
            if (UNIX.matcher(text).matches()) {
                return text.length() > 18 ? null : moment(epoch(Long.parseLong(text)));
            }
            if (DAY.matcher(text).matches()) {
                return new Read(LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant(), true);
            }
            java.util.regex.Matcher m = DATE_TIME.matcher(text);
            if (m.matches()) {
                LocalDateTime local = LocalDateTime.of(LocalDate.parse(m.group(1)), time(m.group(2), m.group(3),
                        m.group(4), m.group(5)));
                return moment(at(local, m.group(6), zone));
            }
            m = RUSSIAN.matcher(text);
            if (m.matches()) {
                LocalDate day = LocalDate.of(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(1)));
                if (m.group(4) == null) {
                    return new Read(day.atStartOfDay(ZoneOffset.UTC).toInstant(), true);
                }
                return moment(LocalDateTime.of(day, time(m.group(4), m.group(5), m.group(6), null)).atZone(zone)
                        .toInstant());
            }
        } catch (DateTimeException | ArithmeticException e) {
            return null; // e.g. February 30th or an offset beyond ±18:00
        }
        return null;
    }

    private static Read moment(Instant instant) {
        return instant == null ? null : new Read(instant, false);
    }

    private static LocalTime time(String hours, String minutes, String seconds, String fraction) {
        int nanos = fraction == null ? 0 : Integer.parseInt((fraction + "00000000").substring(0, 9));
        return LocalTime.of(Integer.parseInt(hours), Integer.parseInt(minutes),
                seconds == null ? 0 : Integer.parseInt(seconds), nanos);
    }

    /** The instant of a local date-time in the zone it names ({@code Z}, {@code ±HH[[:]MM]}) or else in {@code zone}. */
    private static Instant at(LocalDateTime local, String offset, ZoneId zone) {
        if (offset == null) {
            return local.atZone(zone).toInstant();
        }
        if (offset.equalsIgnoreCase("z")) {
            return local.toInstant(ZoneOffset.UTC);
        }
        String digits = offset.substring(1).replace(":", "");
        int hours = Integer.parseInt(digits.substring(0, 2));
        int minutes = digits.length() > 2 ? Integer.parseInt(digits.substring(2)) : 0;
        if (minutes > 59) {
            return null;
        }
        int sign = offset.charAt(0) == '-' ? -1 : 1;
        return local.toInstant(ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes));
    }

    /** Unix time: seconds below 100,000,000,000 (year 5138), milliseconds from there on. */
    private static Instant epoch(long value) {
        if (value >= EPOCH_MILLIS_FROM) {
            return Instant.ofEpochMilli(value);
        }
        // Anything beyond the four-digit years is refused by the range check of read().
        return value < MIN_DATE.getEpochSecond() ? null : Instant.ofEpochSecond(value);
    }
}
