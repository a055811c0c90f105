package dev.roster.history;

import dev.roster.history.HistoryModel.Event;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * What writers call, inside their own transaction, so that a change and its events commit or roll back together
 * (docs/COMPATIBILITY.md, Storage and transactions).
 */
public final class History {
    private History() {
    }

    /** Records the events with one multi-row statement per chunk. */
    public static void record(Handle h, List<Event> events) {
        if (!events.isEmpty()) {
            HistorySql.insert(h, events);
        }
    }

    /** Deleting a profile deletes its history (the account's audit line is the caller's to write). */
    public static void forgetProfile(Handle h, long dbId, String xxh) {
        // the outbox still owes its readers these events (see Outbox)
        OutboxSql.retainProfile(h, dbId, xxh);
        HistorySql.deleteProfile(h, dbId, xxh);
    }

    /** Deleting a database deletes the history of its profiles. */
    public static void forgetDatabase(Handle h, long dbId) {
        OutboxSql.retainDatabase(h, dbId);
        HistorySql.deleteDatabase(h, dbId);
    }

    /** Gives one profile's events to another (profiles/merge): the events keep their ids, times and order. */
    public static void moveProfile(Handle h, long dbId, String fromXxh, String toProfileId, String toXxh) {
        HistorySql.moveProfile(h, dbId, fromXxh, toProfileId, toXxh);
    }

    /** Copies one profile's events to another (profiles/split), as new events of the same times. */
    public static void copyProfile(Handle h, long dbId, String fromXxh, String toProfileId, String toXxh) {
        HistorySql.copyProfile(h, dbId, fromXxh, toProfileId, toXxh);
    }

    /** How many events the database's profiles have (databases/wipe reports it). */
    public static long countDatabase(Handle h, long dbId) {
        return HistorySql.countDatabase(h, dbId);
    }
}
