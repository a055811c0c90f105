package dev.roster.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.error.RosterException;
import dev.roster.value.Dates;
import java.time.ZoneId;
import java.util.List;

/** The records of the history feature: events written, queries in, pages out. */
public final class HistoryModel {
    private HistoryModel() {
    }

    /**
     * One change of one profile, as a writer records it.
     *
     * @param xxh          the profile's {@code _xxh}, by which history_get finds its events
     * @param at           epoch milliseconds
     * @param tokenName    the name of the token that made the change
     * @param subscription the subscription concerned, or null
     * @param detail       what changed (old and new values), or null
     */
    public record Event(long dbId, String profileId, String xxh, long at, Action action, String tokenName,
                        SubscriptionRef subscription, ObjectNode detail) {
    }

    /**
     * The subscription an event concerns.
     *
     * @param address the normalised identity within (resource, channel), as the subscriptions table has it
     * @param contact the address as shown ({@code email}, {@code phone}, {@code provider} + {@code subscription_id}
     *                or {@code cc_data})
     */
    public record SubscriptionRef(long resourceId, String channel, String address, String hashId, ObjectNode contact) {
    }

    /**
     * history_get: one profile's events, by its {@code xxh} or by matching keys as profiles/get takes them.
     *
     * @param matching the matching members as sent (matching, email, phone, ...), used when xxh is null
     */
    public record ProfileQuery(long dbId, String xxh, ObjectNode matching, Period period, Cursor from, int limit) {
    }

    /**
     * The period of a history read as sent: {@code date_from} and {@code date_to}, each absent (null) or a date in any
     * form {@link Dates} reads. Both bounds are included; a {@code date_to} sent as a day alone includes that whole
     * day (UTC). Zoneless date-times are read in the database's time zone, so the bounds are resolved with it.
     */
    public record Period(JsonNode from, JsonNode to) {
        public static final Period ALL = new Period(null, null);
        private static final long DAY_MS = 86_400_000L;

        /** The first millisecond of the period, or null for no lower bound; a 400 for a bad date. */
        public Long fromMs(ZoneId zone) {
            return from == null ? null : Dates.read("date_from", from, zone).instant().toEpochMilli();
        }

        /** The first millisecond after the period, or null for no upper bound; a 400 for a bad date. */
        public Long toMs(ZoneId zone) {
            if (to == null) {
                return null;
            }
            Dates.Read end = Dates.read("date_to", to, zone);
            // a day alone is the whole day; an instant is included to its millisecond
            return end.instant().toEpochMilli() + (end.day() ? DAY_MS : 1);
        }

        /** Both bounds read in the zone; a 400 when a date is bad or the period ends before it starts. */
        public Long[] bounds(ZoneId zone) {
            Long start = fromMs(zone);
            Long end = toMs(zone);
            if (start != null && end != null && start >= end) {
                throw RosterException.badRequest("invalid period: 'date_from' is after 'date_to'");
            }
            return new Long[] {start, end};
        }
    }

    /** history_get_all: a database's events of a period in commit order from the cursor on, with these profile fields. */
    public record AllQuery(long dbId, Period period, Cursor from, int limit, List<String> fields) {
    }

    /**
     * A place in the events in commit order: the transaction number and the event id (see the V7 migration). On the
     * wire {@code "<tx>:<id>"}; {@link #START} is before every event.
     */
    public record Cursor(long tx, long id) {
        public static final Cursor START = new Cursor(0, 0);

        public String wire() {
            return tx + ":" + id;
        }
    }

    /** A page of rows; {@code next} is the cursor of the next page (just after the last row). */
    public record Page(List<ObjectNode> rows, Cursor next) {
    }
}
