package dev.roster.catalog;

import dev.roster.access.Audit;
import dev.roster.access.Caller;
import dev.roster.catalog.CatalogModel.Field;
import dev.roster.error.RosterException;
import dev.roster.json.Json;
import dev.roster.store.DuplicateKeyException;
import dev.roster.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The subscription fields of a resource's channel: the system ones (docs/API.md, resources/fields_get) and the custom
 * ones that
 * {@code resources/fields_add} defines (a Roster extension). Subscription {@code custom_fields} with these names are
 * validated against their type; other names are kept as sent (docs/API.md).
 */
public final class SubscriptionFieldService {
    private final Store store;

    public SubscriptionFieldService(Store store) {
        this.store = store;
    }

    /** A field as {@code resources/fields_get} lists it, in the reference's member order. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    @com.fasterxml.jackson.annotation.JsonPropertyOrder({"category", "title", "name", "required", "type", "dictionary",
        "options"})
    public record FieldInfo(String category, String title, String name, boolean required, String type,
                            String dictionary, List<String> options) {
    }

    public record NewField(long resourceId, Channel channel, String name, String type, String title,
                           List<String> options) {
    }

    public String add(Caller caller, NewField command) {
        String name = CatalogRules.subscriptionFieldName(command.name());
        FieldType type = FieldType.parse("unicode".equalsIgnoreCase(command.type().strip()) ? "string" : command.type());
        List<String> options = CatalogRules.enumOptions(type, command.options());
        String title = command.title() == null || command.title().isBlank() ? name : command.title();
        try {
            return store.write(h -> {
                requireChannel(h, caller, command.resourceId(), command.channel());
                SubscriptionFieldSql.insert(h, command.resourceId(), command.channel().wireName(), name,
                        type.wireName(), title, options == null ? null : Json.write(options), System.currentTimeMillis());
                Audit.record(h, caller, "subscription_field.create", "resource " + command.resourceId()
                        + " channel " + command.channel().wireName() + " field " + name);
                return name;
            });
        } catch (DuplicateKeyException e) {
            throw RosterException.conflict("the " + command.channel().wireName() + " channel of resource "
                    + command.resourceId() + " already has a subscription field named '" + name + "'");
        }
    }

    /** The system fields, then the custom ones in the order they were added. */
    public List<FieldInfo> fields(Caller caller, long resourceId, Channel channel) {
        return store.read(h -> {
            requireChannel(h, caller, resourceId, channel);
            List<FieldInfo> out = new ArrayList<>();
            SubscriptionSystemFields.ALL.forEach(f -> out.add(new FieldInfo("system", f.title(), f.name(), false,
                    f.type(), f.dictionary(), null)));
            for (SubscriptionFieldSql.FieldRecord f : SubscriptionFieldSql.fields(h, resourceId, channel.wireName())) {
                out.add(new FieldInfo("custom", f.title(), f.name(), false, f.type(), null, f.optionList()));
            }
            return out;
        });
    }

    /**
     * The typed subscription fields of the resource's channel by name, system ones included, for features that
     * validate {@code custom_fields} in their own transaction.
     */
    public static Map<String, Field> typed(Handle h, long resourceId, Channel channel) {
        Map<String, Field> fields = new LinkedHashMap<>();
        SubscriptionSystemFields.ALL.forEach(f -> fields.put(f.name(), new Field(f.name(), f.check(), false, null)));
        for (SubscriptionFieldSql.FieldRecord f : SubscriptionFieldSql.fields(h, resourceId, channel.wireName())) {
            fields.put(f.name(), new Field(f.name(), FieldType.parse(f.type()), false, f.optionList()));
        }
        return fields;
    }

    /** The resource of the caller's account (404) with the channel enabled (400). */
    private static void requireChannel(Handle h, Caller caller, long resourceId, Channel channel) {
        List<String> channels = ResourceService.channelList(ResourceService.require(h, caller, resourceId).channels());
        if (!channels.contains(channel.wireName())) {
            throw RosterException.badRequest("channel '" + channel.wireName() + "' is not enabled on resource "
                    + resourceId + " (it has " + channels + ")");
        }
    }
}
