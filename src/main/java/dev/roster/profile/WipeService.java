package dev.roster.profile;

import dev.roster.access.Caller;
import dev.roster.access.Audit;
import dev.roster.catalog.DatabaseService;
import dev.roster.error.RosterException;
import dev.roster.history.History;
import dev.roster.store.Store;

/**
 * {@code databases/wipe}: deletes every profile of a database with its data, subscriptions and history, keeping the
 * database and its fields. Refused unless the server runs with {@code --allow-data-wipe}, as Altcraft refuses it
 * unless its configuration allows it.
 */
public final class WipeService {
    /** The flag that allows wiping; error texts name it. */
    public static final String FLAG = "--allow-data-wipe";

    private final Store store;
    private final DatabaseService databases;
    private final boolean allowed;

    public WipeService(Store store, DatabaseService databases, boolean allowed) {
        this.store = store;
        this.databases = databases;
        this.allowed = allowed;
    }

    /** What a wipe deleted: profiles and history events. */
    public record Wiped(long countProfile, long countAction) {
    }

    public Wiped wipe(Caller caller, long dbId) {
        if (!allowed) {
            // an unknown database (or another account's) is a 404 first, as on every method
            store.read(h -> databases.schema(h, caller, dbId));
            throw RosterException.forbidden("databases/wipe is disabled on this server: start it with " + FLAG
                    + " (env ROSTER_ALLOW_DATA_WIPE=true) to allow deleting every profile of a database");
        }
        return store.write(h -> {
            databases.schema(h, caller, dbId); // 404 outside the account, 403 outside the token's reach
            long profiles = ProfileSql.count(h, dbId);
            long events = History.countDatabase(h, dbId);
            ProfileSql.deleteDatabaseContents(h, dbId);
            History.forgetDatabase(h, dbId);
            Audit.record(h, caller, "database.wipe", "database " + dbId + ": " + profiles + " profiles");
            return new Wiped(profiles, events);
        });
    }
}
