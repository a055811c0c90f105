package dev.roster.catalog;

import dev.roster.access.Permission;
import dev.roster.catalog.CatalogModel.DatabaseChanges;
import dev.roster.catalog.CatalogModel.FieldChanges;
import dev.roster.catalog.CatalogModel.Id;
import dev.roster.catalog.CatalogModel.Name;
import dev.roster.catalog.CatalogModel.NewDatabase;
import dev.roster.catalog.CatalogModel.NewField;
import dev.roster.catalog.CatalogModel.NewResource;
import dev.roster.catalog.CatalogModel.Page;
import dev.roster.catalog.CatalogModel.ResourceChanges;
import dev.roster.error.RosterException;
import dev.roster.http.ApiRegistry;
import dev.roster.request.Params;
import dev.roster.http.Reply;
import java.util.List;

/** {@code databases/*} and {@code resources/*}. */
public final class CatalogApi {
    private static final int MAX_LIMIT = 1000;

    private CatalogApi() {
    }

    record ListQuery(long fromId, int limit, List<String> uiTags) {
    }

    record FieldRef(long dbId, String name) {
    }

    record CounterQuery(long id, Long otherId) {
    }

    record ChannelRef(long resourceId, Channel channel) {
    }

    public static void register(ApiRegistry api, DatabaseService databases, ResourceService resources,
                                CounterService counters, SubscriptionFieldService subscriptionFields) {
        api.add("databases/create", Permission.CATALOG_WRITE,
                p -> new NewDatabase(p.requiredString("name"), p.optionalString("description"),
                        p.optionalStringList("ui_tags"), p.optionalString("phone_region"), p.optionalBool("unique_phones"),
                        p.optionalString("timezone")),
                (caller, command) -> Reply.data(new Id(databases.create(caller, command))));
        api.add("databases/update", Permission.CATALOG_WRITE,
                p -> new DatabaseChanges(p.requiredId("id"), p.optionalString("name"), p.optionalString("description"),
                        p.optionalStringList("ui_tags"), p.optionalString("phone_region"), p.optionalBool("unique_phones"),
                        p.optionalString("timezone")),
                (caller, changes) -> Reply.data(new Id(databases.update(caller, changes))));
        api.add("databases/delete", Permission.CATALOG_WRITE,
                p -> p.requiredId("id"),
                (caller, id) -> {
                    databases.delete(caller, id);
                    return Reply.data(new Id(id));
                });
        api.add("databases/get", Permission.CATALOG_READ,
                p -> p.requiredId("id"),
                (caller, id) -> Reply.data(databases.get(caller, id)));
        api.add("databases/list", Permission.CATALOG_READ,
                p -> new ListQuery(fromId(p), limit(p), p.optionalStringList("ui_tags")),
                (caller, q) -> page(databases.list(caller, q.fromId(), q.limit(), q.uiTags())));
        api.add("databases/fields_add", Permission.CATALOG_WRITE,
                p -> new NewField(p.requiredId("db_id"), p.requiredString("name"),
                        FieldType.parse(p.requiredString("type")), p.optionalString("title"), p.flag("unique"),
                        p.optionalStringList("options"), p.flag("indexed")),
                (caller, command) -> Reply.data(new Name(databases.addField(caller, command))));
        api.add("databases/fields_update", Permission.CATALOG_WRITE,
                p -> {
                    if (p.has("type") || p.has("unique")) {
                        throw RosterException.badRequest("the type and the unique flag of a field cannot be changed: "
                                + "delete the field and add it again");
                    }
                    return new FieldChanges(p.requiredId("db_id"), p.requiredString("name"), p.optionalString("title"),
                            p.optionalStringList("options"), p.optionalBool("indexed"));
                },
                (caller, changes) -> Reply.data(new Name(databases.updateField(caller, changes))));
        api.add("databases/fields_delete", Permission.CATALOG_WRITE,
                p -> new FieldRef(p.requiredId("db_id"), p.requiredString("name")),
                (caller, ref) -> Reply.data(new Name(databases.deleteField(caller, ref.dbId(), ref.name()))));
        api.add("databases/fields_get", Permission.CATALOG_READ,
                CatalogApi::databaseId,
                (caller, dbId) -> Reply.data(databases.fields(caller, dbId)));
        // Altcraft requires resource_id (docs/COMPATIBILITY.md, Methods); without it Roster counts every resource (an
        // extension)
        api.add("databases/get_counters", Permission.CATALOG_READ,
                p -> new CounterQuery(databaseId(p, "id"), p.optionalId("resource_id")),
                (caller, q) -> Reply.data(counters.ofDatabase(caller, q.id(), q.otherId())));
        api.add("resources/fields_get", Permission.CATALOG_READ,
                p -> new ChannelRef(p.requiredId("id"), Channel.parse("channel", p.requiredString("channel"))),
                (caller, ref) -> Reply.data(subscriptionFields.fields(caller, ref.resourceId(), ref.channel())));
        // a Roster extension: custom subscription fields of a resource's channel
        api.add("resources/fields_add", Permission.CATALOG_WRITE,
                p -> new SubscriptionFieldService.NewField(p.requiredId("id"),
                        Channel.parse("channel", p.requiredString("channel")), p.requiredString("name"),
                        p.requiredString("type"), p.optionalString("title"), p.optionalStringList("options")),
                (caller, command) -> Reply.data(new Name(subscriptionFields.add(caller, command))));
        // Altcraft names the page but not its parameters (docs/COMPATIBILITY.md, Methods): the same answer per
        // resource, in one database or all
        api.add("resources/get_counters", Permission.CATALOG_READ,
                p -> new CounterQuery(p.requiredId("id"), p.optionalId("db_id")),
                (caller, q) -> Reply.data(counters.ofResource(caller, q.id(), q.otherId())));

        api.add("resources/create", Permission.CATALOG_WRITE,
                p -> new NewResource(p.requiredString("name"), channels(p), p.optionalIdList("db_ids")),
                (caller, command) -> Reply.data(new Id(resources.create(caller, command))));
        api.add("resources/update", Permission.CATALOG_WRITE,
                p -> new ResourceChanges(p.requiredId("id"), p.optionalString("name"),
                        p.has("channels") ? channels(p) : null, p.optionalIdList("db_ids")),
                (caller, changes) -> Reply.data(new Id(resources.update(caller, changes))));
        api.add("resources/delete", Permission.CATALOG_WRITE,
                p -> p.requiredId("id"),
                (caller, id) -> {
                    resources.delete(caller, id);
                    return Reply.data(new Id(id));
                });
        api.add("resources/get", Permission.CATALOG_READ,
                p -> p.requiredId("id"),
                (caller, id) -> Reply.data(resources.get(caller, id)));
        api.add("resources/list", Permission.CATALOG_READ,
                p -> new ListQuery(fromId(p), limit(p), null),
                (caller, q) -> page(resources.list(caller, q.fromId(), q.limit())));
    }

    /** {@code db_id}, or {@code id} as some clients send for this method. */
    private static long databaseId(Params p) {
        return databaseId(p, "db_id");
    }

    /** The database as {@code db_id} or {@code id}; when neither is sent, the error names {@code documented}. */
    private static long databaseId(Params p, String documented) {
        if (p.has("db_id") && p.has("id")) {
            throw RosterException.badRequest("send 'db_id' or 'id', not both");
        }
        if (p.has("id")) {
            return p.requiredId("id");
        }
        return p.has("db_id") ? p.requiredId("db_id") : p.requiredId(documented);
    }

    private static List<Channel> channels(Params p) {
        List<String> names = p.optionalStringList("channels");
        return names == null ? null : names.stream().map(n -> Channel.parse("channels", n)).toList();
    }

    static long fromId(Params p) {
        Long from = p.optionalLong("from_id");
        if (from != null && from < 0) {
            throw RosterException.invalid("from_id", "an integer of 0 or more", from);
        }
        return from == null ? 1 : from;
    }

    static int limit(Params p) {
        return p.optionalInt("limit", MAX_LIMIT, 1, MAX_LIMIT);
    }

    private static Reply page(Page<?> page) {
        return Reply.data(page.rows()).with("next_from_id", page.nextFromId()).with("total_count", page.totalCount());
    }
}
