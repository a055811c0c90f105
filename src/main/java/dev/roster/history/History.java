package dev.roster.history;

import dev.roster.history.HistoryModel.Event;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * What writers call, inside their own transaction, so that a change and its events commit or roll back together
 * (decisions §8).
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
}
