package dev.roster.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Caller;
import dev.roster.catalog.CatalogModel.Schema;
import dev.roster.catalog.DatabaseService;
import dev.roster.catalog.ResourceService;
import dev.roster.catalog.StandardFields;
import dev.roster.error.RosterException;
import dev.roster.history.HistoryModel.AllQuery;
import dev.roster.history.HistoryModel.Cursor;
import dev.roster.history.HistoryModel.Page;
import dev.roster.history.HistoryModel.ProfileQuery;
import dev.roster.store.Store;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * {@code subscribers/history_get} and {@code history_get_all} (docs/API.md, Action history): reading the action
 * history.
 */
public final class HistoryService {
    private final Store store;
    private final DatabaseService databases;
    private final ProfileFinder profiles;

    public HistoryService(Store store, DatabaseService databases, ProfileFinder profiles) {
        this.store = store;
        this.databases = databases;
        this.profiles = profiles;
    }

    /** One profile's events of the period, in the order they happened, from the cursor on. */
    public Page ofProfile(Caller caller, ProfileQuery query) {
        return store.read(h -> {
            Schema schema = databases.schema(h, caller, query.dbId());
            Long[] period = query.period().bounds(schema.zone());
            ProfileFinder.Found profile = query.xxh() != null ? byXxh(h, query.dbId(), query.xxh())
                    : profiles.find(h, caller, query.dbId(), query.matching());
            List<HistorySql.Row> rows = HistorySql.ofProfile(h, store.commitHorizon(h), query.dbId(),
                    profile.xxh(), period[0], period[1], query.from(), query.limit());
            Map<Long, String> names = resourceNames(h, caller, rows);
            List<ObjectNode> out = new ArrayList<>(rows.size());
            rows.forEach(r -> out.add(HistoryView.row(r, profile.data(), names, null)));
            return new Page(out, next(rows, query.from()));
        });
    }

    /**
     * The database's events of the period in commit order from the cursor on: a keyset page, so events written or
     * deleted while a client pages never make it skip or repeat one.
     */
    public Page ofDatabase(Caller caller, AllQuery query) {
        return store.read(h -> {
            Schema schema = databases.schema(h, caller, query.dbId());
            Long[] period = query.period().bounds(schema.zone());
            List<String> shown = storedNames(schema, query.fields());
            List<HistorySql.Row> rows = HistorySql.ofDatabase(h, store.commitHorizon(h), query.dbId(),
                    period[0], period[1], query.from(), query.limit());
            Map<String, ObjectNode> fields = profiles.fields(h, query.dbId(),
                    rows.stream().map(HistorySql.Row::profileId).toList());
            Map<Long, String> names = resourceNames(h, caller, rows);
            List<ObjectNode> out = new ArrayList<>(rows.size());
            rows.forEach(r -> out.add(HistoryView.row(r, fields.get(r.profileId()), names, shown)));
            return new Page(out, next(rows, query.from()));
        });
    }

    /** The profile whose events carry the xxh; its fields when it still exists (it does while it has events). */
    private ProfileFinder.Found byXxh(Handle h, long dbId, String xxh) {
        String id = HistorySql.profileOf(h, dbId, xxh).orElseThrow(() -> RosterException.notFound(
                "profile with xxh '" + xxh + "' not found in database " + dbId + " (no history carries it)"));
        return new ProfileFinder.Found(id, xxh, profiles.fields(h, dbId, List.of(id)).get(id));
    }

    /** The fields' names as profiles store them (a custom field matches in any case); 400 for one the database lacks. */
    private static List<String> storedNames(Schema schema, List<String> fields) {
        if (fields == null) {
            return null;
        }
        List<String> names = new ArrayList<>(fields.size());
        for (String name : fields) {
            if (StandardFields.WRITABLE.containsKey(name)) {
                names.add(name);
            } else if (schema.field(name) != null) {
                names.add(schema.field(name).name());
            } else {
                throw RosterException.invalid("fields", "names of fields of database " + schema.dbId(),
                        "\"" + name + "\"");
            }
        }
        return names;
    }

    private static Map<Long, String> resourceNames(Handle h, Caller caller, List<HistorySql.Row> rows) {
        Map<Long, String> names = new HashMap<>();
        for (HistorySql.Row r : rows) {
            if (r.resourceId() != null && !names.containsKey(r.resourceId())) {
                names.put(r.resourceId(), ResourceService.nameOf(h, caller.accountId(), r.resourceId()).orElse(null));
            }
        }
        return names;
    }

    private static Cursor next(List<HistorySql.Row> rows, Cursor from) {
        if (rows.isEmpty()) {
            return from;
        }
        HistorySql.Row last = rows.get(rows.size() - 1);
        return new Cursor(last.tx(), last.id() + 1);
    }
}
