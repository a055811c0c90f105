package dev.roster.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.history.Action;
import dev.roster.history.HistoryModel.Event;
import dev.roster.history.HistoryModel.SubscriptionRef;
import dev.roster.json.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The history events of profile and subscription changes (docs/API.md, Action history), built from what a writer had
 * before and
 * after. Details name each change with its {@code old} and {@code new} value. The writers record them with
 * {@link dev.roster.history.History#record} in their transaction.
 */
public final class ProfileHistory {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ProfileHistory() {
    }

    /** A new profile: every field it was created with. */
    static Event created(String tokenName, boolean fromFile, long dbId, String profileId, ObjectNode data, long now) {
        ObjectNode fields = Json.object();
        data.properties().forEach(e -> fields.putObject(e.getKey()).set("new", e.getValue().deepCopy()));
        ObjectNode detail = Json.object();
        detail.set("fields", fields);
        return new Event(dbId, profileId, ObjectIds.xxh(profileId), now,
                fromFile ? Action.IMPORT_FILE : Action.IMPORT_API, tokenName, null, detail);
    }

    /** The fields named in {@code changed} with their values before and after; nothing when none changed. */
    static void fieldsChanged(List<Event> out, String tokenName, long dbId, String profileId, ObjectNode before,
                              ObjectNode after, List<String> changed, long now) {
        if (changed.isEmpty()) {
            return;
        }
        ObjectNode fields = Json.object();
        for (String name : changed) {
            fields.set(name, change(before.get(name), after.get(name)));
        }
        ObjectNode detail = Json.object();
        detail.set("fields", fields);
        out.add(new Event(dbId, profileId, ObjectIds.xxh(profileId), now, Action.FIELDS_UPDATE, tokenName, null, detail));
    }

    /**
     * The event of a merge or split on the profile that received or kept the fields: {@code detail} (the sources, or
     * the profile split from) followed by {@code fields}, the changes from {@code before} to {@code after}.
     */
    static Event reshaped(String tokenName, long dbId, String profileId, Action action, ObjectNode detail,
                          ObjectNode before, ObjectNode after, long now) {
        ObjectNode full = detail.deepCopy();
        full.set("fields", fieldChanges(before, after));
        return new Event(dbId, profileId, ObjectIds.xxh(profileId), now, action, tokenName, null, full);
    }

    /** Every field whose value differs between the two, in the order they appear (before's first), as old and new. */
    static ObjectNode fieldChanges(ObjectNode before, ObjectNode after) {
        ObjectNode out = Json.object();
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        before.fieldNames().forEachRemaining(names::add);
        after.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode a = before.get(name);
            JsonNode b = after.get(name);
            if (a == null ? b != null : !a.equals(b)) {
                out.set(name, change(a, b));
            }
        }
        return out;
    }

    /** An event for each subscription that import's merge added or changed. */
    static void merged(List<Event> out, String tokenName, long dbId, String profileId, List<Subscription> before,
                       SubscriptionMerge.Result merged, long now) {
        if (merged.inserted().isEmpty() && merged.updated().isEmpty()) {
            return;
        }
        Map<String, Subscription> byKey = new HashMap<>();
        before.forEach(s -> byKey.put(s.key(), s));
        // a subscription another item of the same batch added is not stored yet: the merge calls it new again
        merged.inserted().forEach(s -> subscriptionChanged(out, tokenName, dbId, profileId, byKey.get(s.key()), s, now));
        merged.updated().forEach(s -> subscriptionChanged(out, tokenName, dbId, profileId, byKey.get(s.key()), s, now));
    }

    /**
     * The event of one subscription going from {@code before} (null: it is new) to {@code after}: added, a status
     * change (named by the new status, with any other change in the detail), deleted or restored, or updated.
     */
    static void subscriptionChanged(List<Event> out, String tokenName, long dbId, String profileId,
                                    Subscription before, Subscription after, long now) {
        ObjectNode detail = Json.object();
        if (before == null) {
            detail.putObject("status").put("new", after.status().word());
            if (after.priority() != null) {
                detail.putObject("priority").put("new", after.priority());
            }
            if (!after.customFields().isEmpty()) {
                detail.putObject("custom_fields").set("new", after.customFields().deepCopy());
            }
            if (!after.cats().isEmpty()) {
                detail.putObject("cats").set("new", cats(after.cats()));
            }
            out.add(event(tokenName, dbId, profileId, after, Action.SUBSCRIPTION_ADD, detail, now));
            return;
        }
        if (before.deleted() != after.deleted()) {
            ObjectNode flag = Json.object();
            flag.set("is_delete", change(NODES.booleanNode(before.deleted()), NODES.booleanNode(after.deleted())));
            out.add(event(tokenName, dbId, profileId, after,
                    after.deleted() ? Action.SUBSCRIPTION_DELETE : Action.SUBSCRIPTION_RESTORE, flag, now));
        }
        if (!Objects.equals(before.priority(), after.priority())) {
            detail.set("priority", change(number(before.priority()), number(after.priority())));
        }
        if (!before.customFields().equals(after.customFields())) {
            detail.set("custom_fields", change(before.customFields(), after.customFields()));
        }
        if (!before.cats().equals(after.cats())) {
            detail.set("cats", change(cats(before.cats()), cats(after.cats())));
        }
        if (before.status() != after.status()) {
            ObjectNode withStatus = Json.object();
            withStatus.set("status", change(NODES.textNode(before.status().word()), NODES.textNode(after.status().word())));
            withStatus.setAll(detail);
            out.add(event(tokenName, dbId, profileId, after, statusAction(before.status(), after.status()), withStatus, now));
        } else if (!detail.isEmpty()) {
            out.add(event(tokenName, dbId, profileId, after, Action.SUBSCRIPTION_UPDATE, detail, now));
        }
    }

    /**
     * A status change of suspend_all or unsuspend_all ({@code by} names which), for the subscription at that address.
     */
    public static Event statusMoved(String tokenName, long dbId, String profileId, long resourceId, String channel,
                                    String address, String hashId, ObjectNode contact, SubscriptionStatus from,
                                    SubscriptionStatus to, String by, long now) {
        ObjectNode detail = Json.object();
        detail.set("status", change(NODES.textNode(from.word()), NODES.textNode(to.word())));
        detail.put("by", by);
        return new Event(dbId, profileId, ObjectIds.xxh(profileId), now, statusAction(from, to), tokenName,
                new SubscriptionRef(resourceId, channel, address, hashId, contact), detail);
    }

    /** Named by the new status; subscribed after suspended is an unsuspend. */
    static Action statusAction(SubscriptionStatus from, SubscriptionStatus to) {
        return switch (to) {
            case SUBSCRIBED -> from == SubscriptionStatus.SUSPENDED ? Action.UNSUSPEND : Action.SUBSCRIBE;
            case UNSUBSCRIBED -> Action.UNSUB;
            case COMPLAINED -> Action.COMPLAIN;
            case HARDBOUNCED -> Action.HBOUNCE;
            case UNCONFIRMED -> Action.UNCONFIRM;
            case SUSPENDED -> Action.SUSPEND;
            case INVALID -> Action.INVALIDATE;
        };
    }

    private static Event event(String tokenName, long dbId, String profileId, Subscription s, Action action,
                               ObjectNode detail, long now) {
        return new Event(dbId, profileId, ObjectIds.xxh(profileId), now, action, tokenName,
                new SubscriptionRef(s.resourceId(), s.channel().wireName(), s.address(), s.hashId(), s.contact()),
                detail);
    }

    private static ObjectNode change(JsonNode before, JsonNode after) {
        ObjectNode change = Json.object();
        change.set("old", before == null ? NullNode.getInstance() : before.deepCopy());
        change.set("new", after == null ? NullNode.getInstance() : after.deepCopy());
        return change;
    }

    private static JsonNode number(Integer value) {
        return value == null ? NullNode.getInstance() : NODES.numberNode(value);
    }

    private static ArrayNode cats(List<String> cats) {
        ArrayNode out = Json.array();
        cats.forEach(out::add);
        return out;
    }
}
