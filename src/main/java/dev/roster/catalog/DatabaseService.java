package dev.roster.catalog;

import dev.roster.access.Audit;
import dev.roster.access.Caller;
import dev.roster.catalog.CatalogModel.Database;
import dev.roster.catalog.CatalogModel.DatabaseChanges;
import dev.roster.catalog.CatalogModel.DatabaseRow;
import dev.roster.catalog.CatalogModel.Field;
import dev.roster.catalog.CatalogModel.FieldChanges;
import dev.roster.catalog.CatalogModel.FieldInfo;
import dev.roster.catalog.CatalogModel.Group;
import dev.roster.catalog.CatalogModel.NewDatabase;
import dev.roster.catalog.CatalogModel.NewField;
import dev.roster.catalog.CatalogModel.Page;
import dev.roster.error.RosterException;
import dev.roster.json.Json;
import dev.roster.store.DuplicateKeyException;
import dev.roster.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Handle;

/** Profile databases and their custom fields. */
public final class DatabaseService {
    private static final List<Group> MAIN_GROUP = List.of(new Group(0, "main"));

    static final java.time.Duration SCHEMA_CACHE = java.time.Duration.ofSeconds(2);

    private final Store store;
    private final List<CatalogListener> listeners = new CopyOnWriteArrayList<>();
    private final com.github.benmanes.caffeine.cache.Cache<Long, CachedSchema> schemas =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().expireAfterWrite(SCHEMA_CACHE).maximumSize(10_000).build();
    /**
     * Bumped by every catalog change of this node, before it starts and again after it commits. A read caches the
     * schema it loaded only if no change began meanwhile: a read that ran while fields_add was committing has
     * loaded the old schema and must not cache it, or this node would refuse the new field for a while.
     */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    public DatabaseService(Store store) {
        this.store = store;
    }

    public void addListener(CatalogListener listener) {
        listeners.add(listener);
    }

    public long create(Caller caller, NewDatabase command) {
        String name = CatalogRules.name("name", command.name());
        List<String> tags = CatalogRules.uiTags(command.uiTags());
        String region = CatalogRules.phoneRegion(command.phoneRegion());
        String timezone = CatalogRules.timezone(command.timezone());
        try {
            return store.write(h -> {
                long now = System.currentTimeMillis();
                long id = CatalogSql.insertDatabase(h, caller.accountId(), name,
                        command.description() == null ? "" : command.description(),
                        Json.write(tags == null ? List.of() : tags), region,
                        command.uniquePhones() == null || command.uniquePhones(), timezone == null ? "UTC" : timezone,
                        now);
                Audit.record(h, caller, "database.create", "database " + id);
                return id;
            });
        } catch (DuplicateKeyException e) {
            throw RosterException.conflict("a database named '" + name + "' already exists");
        }
    }

    public long update(Caller caller, DatabaseChanges changes) {
        String name = changes.name() == null ? null : CatalogRules.name("name", changes.name());
        List<String> tags = CatalogRules.uiTags(changes.uiTags());
        String region = changes.phoneRegion() == null ? null : CatalogRules.phoneRegion(changes.phoneRegion());
        String timezone = CatalogRules.timezone(changes.timezone());
        forget(changes.id());
        try {
            return afterCommit(changes.id(), store.write(h -> {
                CatalogSql.DatabaseRecord d = require(h, caller, changes.id());
                CatalogSql.DatabaseRecord updated = new CatalogSql.DatabaseRecord(d.id(),
                        name == null ? d.name() : name,
                        changes.description() == null ? d.description() : changes.description(),
                        tags == null ? d.uiTags() : Json.write(tags),
                        changes.phoneRegion() == null ? d.phoneRegion() : region,
                        changes.uniquePhones() == null ? d.uniquePhones() : changes.uniquePhones(),
                        d.createdAt(), d.updatedAt(), timezone == null ? d.timezone() : timezone);
                if (updated.uniquePhones() != d.uniquePhones()) {
                    listeners.forEach(l -> l.uniquePhonesChanging(h, d.id(), updated.uniquePhones()));
                }
                CatalogSql.updateDatabase(h, updated, System.currentTimeMillis());
                forget(d.id());
                Audit.record(h, caller, "database.update", "database " + d.id());
                return d.id();
            }));
        } catch (DuplicateKeyException e) {
            throw RosterException.conflict("a database named '" + name + "' already exists");
        }
    }

    public void delete(Caller caller, long id) {
        forget(id);
        afterCommit(id, store.write(h -> {
            require(h, caller, id);
            listeners.forEach(l -> l.databaseDeleting(h, id));
            for (CatalogSql.FieldRecord f : CatalogSql.fields(h, id)) {
                if (f.unique() || f.indexed()) {
                    store.querySyntax().dropFieldIndex(h, id, f.name());
                }
            }
            CatalogSql.deleteDatabase(h, caller.accountId(), id);
            forget(id);
            Audit.record(h, caller, "database.delete", "database " + id);
            return null;
        }));
    }

    public Database get(Caller caller, long id) {
        return store.read(h -> {
            CatalogSql.DatabaseRecord d = require(h, caller, id);
            return new Database(d.id(), d.name(), d.description(), d.tags(), d.phoneRegion(), d.uniquePhones(),
                    time(d.createdAt()), time(d.updatedAt()), CounterSql.profiles(h, List.of(id)).getOrDefault(id, 0L),
                    d.timezone());
        });
    }

    /** Databases the token reaches with id >= fromId, optionally only those carrying every one of {@code uiTags}. */
    public Page<DatabaseRow> list(Caller caller, long fromId, int limit, List<String> uiTags) {
        return store.read(h -> {
            List<CatalogSql.DatabaseRecord> matching = new ArrayList<>();
            for (CatalogSql.DatabaseRecord d : CatalogSql.databases(h, caller.accountId())) {
                if (caller.reaches(d.id()) && (uiTags == null || d.tags().containsAll(uiTags))) {
                    matching.add(d);
                }
            }
            List<CatalogSql.DatabaseRecord> page = matching.stream().filter(d -> d.id() >= fromId).limit(limit).toList();
            java.util.Map<Long, Long> profiles = CounterSql.profiles(h, page.stream().map(CatalogSql.DatabaseRecord::id).toList());
            List<DatabaseRow> rows = page.stream().map(d -> new DatabaseRow(d.id(), d.name(), d.tags(), MAIN_GROUP,
                    profiles.getOrDefault(d.id(), 0L))).toList();
            long next = rows.isEmpty() ? fromId : rows.get(rows.size() - 1).id() + 1;
            return new Page<>(rows, next, matching.size());
        });
    }

    /** How an index of a field of that type compares; types without one are refused. */
    private static dev.roster.store.QuerySyntax.Kind indexKind(FieldType type) {
        return switch (type) {
            case INT, FLOAT -> dev.roster.store.QuerySyntax.Kind.NUMBER;
            case BOOL -> dev.roster.store.QuerySyntax.Kind.BOOL;
            case DATE -> dev.roster.store.QuerySyntax.Kind.DATE;
            case STRING, ENUM, IP -> dev.roster.store.QuerySyntax.Kind.TEXT;
            case TAGS, OBJECT, ARR_OBJECT -> throw RosterException.invalid("indexed", "false for a field of type "
                    + type.wireName() + " (only int, float, string, date, bool, enum and ip fields can be indexed)", true);
        };
    }

    public String addField(Caller caller, NewField command) {
        String name = CatalogRules.fieldName(command.name());
        if (command.indexed()) {
            indexKind(command.type());
        }
        List<String> options = CatalogRules.enumOptions(command.type(), command.options());
        if (command.unique() && !command.type().canBeKey()) {
            throw RosterException.invalid("unique", "false for a field of type " + command.type().wireName()
                    + " (only int, float, string, date, enum and ip fields can be unique)", true);
        }
        String title = command.title() == null || command.title().isBlank() ? name : command.title();
        forget(command.dbId());
        try {
            return afterCommit(command.dbId(), store.write(h -> {
                require(h, caller, command.dbId());
                long now = System.currentTimeMillis();
                CatalogSql.insertField(h, command.dbId(), name, command.type().wireName(), title, command.unique(),
                        options == null ? null : Json.write(options), now, command.indexed());
                if (command.unique() || command.indexed()) {
                    store.querySyntax().createFieldIndex(h, command.dbId(), name, indexKind(command.type()));
                }
                CatalogSql.touchDatabase(h, command.dbId(), now);
                forget(command.dbId());
                Audit.record(h, caller, "field.create", "database " + command.dbId() + " field " + name);
                return name;
            }));
        } catch (DuplicateKeyException e) {
            throw RosterException.conflict("database " + command.dbId() + " already has a field named '" + name + "'");
        }
    }

    public String updateField(Caller caller, FieldChanges changes) {
        forget(changes.dbId());
        return afterCommit(changes.dbId(), store.write(h -> {
            require(h, caller, changes.dbId());
            CatalogSql.FieldRecord field = requireField(h, changes.dbId(), changes.name());
            FieldType type = FieldType.parse(field.type());
            List<String> options = field.optionList();
            if (changes.options() != null) {
                options = CatalogRules.enumOptions(type, changes.options());
                List<String> removed = new ArrayList<>(field.optionList());
                removed.removeAll(options);
                if (!removed.isEmpty()) {
                    throw RosterException.invalid("options", "every existing option kept (stored values use them), "
                            + "missing " + removed, changes.options());
                }
            }
            String title = changes.title() == null ? field.title() : changes.title();
            if (changes.indexed() != null && !field.unique()) {
                if (changes.indexed()) {
                    store.querySyntax().createFieldIndex(h, changes.dbId(), field.name(), indexKind(type));
                } else {
                    store.querySyntax().dropFieldIndex(h, changes.dbId(), field.name());
                }
                CatalogSql.setIndexed(h, changes.dbId(), field.name(), changes.indexed());
            }
            CatalogSql.updateField(h, changes.dbId(), field.name(), title, options == null ? null : Json.write(options));
            CatalogSql.touchDatabase(h, changes.dbId(), System.currentTimeMillis());
            forget(changes.dbId());
            Audit.record(h, caller, "field.update", "database " + changes.dbId() + " field " + field.name());
            return field.name();
        }));
    }

    public String deleteField(Caller caller, long dbId, String name) {
        forget(dbId);
        return afterCommit(dbId, store.write(h -> {
            require(h, caller, dbId);
            CatalogSql.FieldRecord field = requireField(h, dbId, name);
            listeners.forEach(l -> l.fieldDeleting(h, dbId, field.name()));
            if (field.unique() || field.indexed()) {
                store.querySyntax().dropFieldIndex(h, dbId, field.name());
            }
            CatalogSql.deleteField(h, dbId, field.name());
            CatalogSql.touchDatabase(h, dbId, System.currentTimeMillis());
            forget(dbId);
            Audit.record(h, caller, "field.delete", "database " + dbId + " field " + field.name());
            return field.name();
        }));
    }

    /** The standard fields, then the custom ones. */
    public List<FieldInfo> fields(Caller caller, long dbId) {
        return store.read(h -> {
            require(h, caller, dbId);
            List<FieldInfo> out = new ArrayList<>();
            StandardFields.WRITABLE.forEach((name, type) -> out.add(new FieldInfo(name, name, type, "system",
                    false, name.equals("email") || name.equals("phones"), null)));
            for (CatalogSql.FieldRecord f : CatalogSql.fields(h, dbId)) {
                out.add(new FieldInfo(f.name(), f.title(), f.type(), "custom", false, f.unique(), f.optionList(),
                        f.unique() || f.indexed()));
            }
            return out;
        });
    }

    /** The custom fields of a database, for features that validate profile data in their own transaction. */
    public static List<Field> customFields(Handle h, long dbId) {
        return CatalogSql.fields(h, dbId).stream().map(CatalogSql.FieldRecord::field).toList();
    }

    /**
     * The database as profiles need it: 404 outside the account, 403 outside the token's reach. Cached for a couple
     * of seconds because every profile write needs it: a change made on this server is seen at once, one made on
     * another server sharing the database within {@link #SCHEMA_CACHE}.
     */
    public CatalogModel.Schema schema(Handle h, Caller caller, long dbId) {
        CachedSchema cached = schemas.getIfPresent(dbId);
        if (cached == null) {
            long seen = generation.get();
            CatalogSql.DatabaseRecord d = CatalogSql.databaseById(h, dbId)
                    .orElseThrow(() -> RosterException.notFound("database " + dbId + " not found"));
            CachedSchema loaded = new CachedSchema(accountOf(h, dbId), schema(h, d));
            // atomic with forget()'s removal: either this lands first and is removed, or it sees the new generation
            schemas.asMap().compute(dbId, (k, v) -> generation.get() == seen ? loaded : v);
            cached = loaded;
        }
        if (cached.accountId() != caller.accountId()) {
            throw RosterException.notFound("database " + dbId + " not found");
        }
        caller.requireReach(dbId);
        return cached.schema();
    }

    private record CachedSchema(long accountId, CatalogModel.Schema schema) {
    }

    /** Drops the cached schema and makes reads that began before this moment not cache what they load. */
    private void forget(long dbId) {
        generation.incrementAndGet();
        schemas.asMap().remove(dbId);
    }

    /** Once the change has committed: reads from now on load the new schema; those that loaded the old one don't keep it. */
    private <T> T afterCommit(long dbId, T result) {
        forget(dbId);
        return result;
    }

    private static long accountOf(Handle h, long dbId) {
        return CatalogSql.accountOfDatabase(h, dbId);
    }

    /** The schema of a database known to exist, for work that is not a caller's request (clean-ups). */
    public static CatalogModel.Schema schema(Handle h, long dbId) {
        return schema(h, CatalogSql.databaseById(h, dbId).orElseThrow());
    }

    private static CatalogModel.Schema schema(Handle h, CatalogSql.DatabaseRecord d) {
        long dbId = d.id();
        java.util.Map<String, Field> fields = new java.util.LinkedHashMap<>();
        for (Field f : customFields(h, dbId)) {
            fields.put(f.name(), f);
        }
        return new CatalogModel.Schema(d.id(), d.phoneRegion(), d.uniquePhones(), fields, java.time.ZoneId.of(d.timezone()));
    }

    public boolean exists(long accountId, long dbId) {
        return store.read(h -> CatalogSql.databaseExists(h, accountId, dbId));
    }

    /** The database of the caller's account (404 otherwise) that the token reaches (403 otherwise). */
    static CatalogSql.DatabaseRecord require(Handle h, Caller caller, long id) {
        CatalogSql.DatabaseRecord d = CatalogSql.database(h, caller.accountId(), id)
                .orElseThrow(() -> RosterException.notFound("database " + id + " not found"));
        caller.requireReach(id);
        return d;
    }

    private static CatalogSql.FieldRecord requireField(Handle h, long dbId, String name) {
        return CatalogSql.fields(h, dbId).stream().filter(f -> f.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> RosterException.notFound("database " + dbId + " has no custom field '" + name + "'"));
    }

    private static String time(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
