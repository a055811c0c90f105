package dev.roster.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
     * @param fromMs   first millisecond of the period, or null
     * @param toMs     first millisecond after the period, or null
     */
    public record ProfileQuery(long dbId, String xxh, ObjectNode matching, Long fromMs, Long toMs, Cursor from,
                               int limit) {
    }

    /** history_get_all: a database's events of a period in commit order from the cursor on, with these profile fields. */
    public record AllQuery(long dbId, long fromMs, long toMs, Cursor from, int limit, List<String> fields) {
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
