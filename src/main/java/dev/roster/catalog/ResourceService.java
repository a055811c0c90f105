package dev.roster.catalog;

import dev.roster.access.Audit;
import dev.roster.access.Caller;
import dev.roster.catalog.CatalogModel.NewResource;
import dev.roster.catalog.CatalogModel.Page;
import dev.roster.catalog.CatalogModel.Resource;
import dev.roster.catalog.CatalogModel.ResourceChanges;
import dev.roster.catalog.CatalogModel.ResourceGroup;
import dev.roster.catalog.CatalogModel.ResourceRow;
import dev.roster.error.RosterException;
import dev.roster.store.DuplicateKeyException;
import dev.roster.store.Store;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Handle;

/** Resources: subscription publishers with their enabled channels and linked databases. */
public final class ResourceService {
    private static final List<ResourceGroup> MAIN_GROUP = List.of(new ResourceGroup(0, "main"));

    private final Store store;
    private final List<CatalogListener> listeners = new CopyOnWriteArrayList<>();

    public ResourceService(Store store) {
        this.store = store;
    }

    public void addListener(CatalogListener listener) {
        listeners.add(listener);
    }

    public long create(Caller caller, NewResource command) {
        String name = CatalogRules.name("name", command.name());
        String channels = channels(command.channels());
        try {
            return store.write(h -> {
                List<Long> dbIds = databases(h, caller, command.dbIds());
                long id = CatalogSql.insertResource(h, caller.accountId(), name, channels, System.currentTimeMillis());
                CatalogSql.replaceResourceDatabases(h, id, dbIds);
                Audit.record(h, caller, "resource.create", "resource " + id);
                return id;
            });
        } catch (DuplicateKeyException e) {
            throw RosterException.conflict("a resource named '" + name + "' already exists");
        }
    }

    public long update(Caller caller, ResourceChanges changes) {
        String name = changes.name() == null ? null : CatalogRules.name("name", changes.name());
        String channels = changes.channels() == null ? null : channels(changes.channels());
        try {
            return store.write(h -> {
                CatalogSql.ResourceRecord r = require(h, caller, changes.id());
                CatalogSql.updateResource(h, r.id(), name == null ? r.name() : name,
                        channels == null ? r.channels() : channels, System.currentTimeMillis());
                if (changes.dbIds() != null) {
                    CatalogSql.replaceResourceDatabases(h, r.id(), databases(h, caller, changes.dbIds()));
                }
                Audit.record(h, caller, "resource.update", "resource " + r.id());
                return r.id();
            });
        } catch (DuplicateKeyException e) {
            throw RosterException.conflict("a resource named '" + name + "' already exists");
        }
    }

    public void delete(Caller caller, long id) {
        store.write(h -> {
            require(h, caller, id);
            listeners.forEach(l -> l.resourceDeleting(h, id));
            CatalogSql.deleteResource(h, caller.accountId(), id);
            Audit.record(h, caller, "resource.delete", "resource " + id);
            return null;
        });
    }

    public Resource get(Caller caller, long id) {
        return store.read(h -> {
            CatalogSql.ResourceRecord r = require(h, caller, id);
            return new Resource(r.id(), r.name(), channelList(r.channels()), CatalogSql.resourceDatabases(h, r.id()));
        });
    }

    public Page<ResourceRow> list(Caller caller, long fromId, int limit) {
        return store.read(h -> {
            List<ResourceRow> rows = CatalogSql.resources(h, caller.accountId(), fromId, limit).stream()
                    .map(r -> new ResourceRow(r.id(), r.name(), channelList(r.channels()), MAIN_GROUP))
                    .toList();
            long next = rows.isEmpty() ? fromId : rows.get(rows.size() - 1).id() + 1;
            return new Page<>(rows, next, CatalogSql.countResources(h, caller.accountId()));
        });
    }

    /** The channels a resource of the account enables, or empty when the account has no such resource. */
    public static java.util.Optional<List<String>> channelsOf(Handle h, long accountId, long resourceId) {
        return CatalogSql.resource(h, accountId, resourceId).map(r -> channelList(r.channels()));
    }

    /** The name of a resource of the account, or empty when the account has no such resource (any more). */
    public static java.util.Optional<String> nameOf(Handle h, long accountId, long resourceId) {
        return CatalogSql.resource(h, accountId, resourceId).map(CatalogSql.ResourceRecord::name);
    }

    /**
     * A {@code resource_id} given to a profile method: a resource of the database's account that serves the database
     * (one created without {@code db_ids} serves them all); a 404 naming it otherwise, another account's included.
     */
    public static void requireServing(Handle h, long dbId, long resourceId) {
        long accountId = CatalogSql.accountOfDatabase(h, dbId);
        if (CatalogSql.resource(h, accountId, resourceId).isEmpty()) {
            throw RosterException.notFound("resource " + resourceId + " not found");
        }
        requireServes(h, resourceId, dbId);
    }

    /** A resource named beside a database must serve it: a 404 naming both otherwise (docs/API.md, Matching). */
    public static void requireServes(Handle h, long resourceId, long dbId) {
        if (!serves(h, resourceId, dbId)) {
            throw RosterException.notFound("resource " + resourceId + " does not serve database " + dbId);
        }
    }

    /** Whether the resource serves the database: one created without {@code db_ids} serves them all. */
    public static boolean serves(Handle h, long resourceId, long dbId) {
        List<Long> served = CatalogSql.resourceDatabases(h, resourceId);
        return served.isEmpty() || served.contains(dbId);
    }

    /** The resource of the caller's account, or 404. */
    static CatalogSql.ResourceRecord require(Handle h, Caller caller, long id) {
        return CatalogSql.resource(h, caller.accountId(), id)
                .orElseThrow(() -> RosterException.notFound("resource " + id + " not found"));
    }

    private static List<Long> databases(Handle h, Caller caller, List<Long> dbIds) {
        if (dbIds == null) {
            return List.of();
        }
        List<Long> ids = new ArrayList<>(new LinkedHashSet<>(dbIds));
        for (long dbId : ids) {
            DatabaseService.require(h, caller, dbId);
        }
        return ids;
    }

    private static String channels(List<Channel> channels) {
        if (channels == null || channels.isEmpty()) {
            throw RosterException.invalid("channels", "a non-empty array of channels such as [\"email\",\"sms\",\"push\"]",
                    channels);
        }
        LinkedHashSet<String> names = new LinkedHashSet<>();
        channels.forEach(c -> names.add(c.wireName()));
        return String.join(",", names);
    }

    static List<String> channelList(String stored) {
        return Arrays.asList(stored.split(","));
    }
}
