package dev.roster.profile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.catalog.CatalogModel.Field;
import dev.roster.error.RosterException;
import dev.roster.json.Json;
import dev.roster.profile.ProfileModel.Skipped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Import's merge of {@code data.subscriptions} into a profile's subscriptions (docs/COMPATIBILITY.md, Subscriptions): a
 * known subscription
 * gets what was sent, a new one is added (subscribed unless a status is sent), the others stay as they are.
 */
final class SubscriptionMerge {
    private SubscriptionMerge() {
    }

    record Result(List<Subscription> all, List<Subscription> inserted, List<Subscription> updated, List<Skipped> skipped) {
    }

    static Result merge(SubscriptionCatalog catalog, long accountId, long dbId, String profileId, List<Subscription> existing,
                        JsonNode input, String phoneRegion, java.time.ZoneId zone, boolean skipInvalid, long now) {
        Map<String, Subscription> byKey = new LinkedHashMap<>();
        existing.forEach(s -> byKey.put(s.key(), s));
        Map<String, Subscription> inserted = new LinkedHashMap<>();
        Map<String, Subscription> updated = new LinkedHashMap<>();
        List<Skipped> skipped = new ArrayList<>();
        if (input == null || input.isNull()) {
            return new Result(existing, List.of(), List.of(), skipped);
        }
        if (!input.isArray()) {
            throw RosterException.invalid("data.subscriptions", "an array of subscriptions", input);
        }
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            SubscriptionInput sent;
            Subscription next;
            String key;
            try {
                sent = SubscriptionInput.parse(i, item, phoneRegion);
                checkResource(catalog, accountId, dbId, sent);
                key = sent.key();
                Subscription known = byKey.get(key);
                next = named(i, () -> applyTo(known, sent, profileId, now, catalog.typedFields(sent), zone));
            } catch (RosterException e) {
                if (!skipInvalid) {
                    throw e;
                }
                skipped.add(new Skipped(i, item.path("channel").isTextual() ? item.path("channel").textValue() : null,
                        item.path("resource_id").canConvertToLong() ? item.path("resource_id").longValue() : null,
                        e.getMessage()));
                continue;
            }
            Subscription known = byKey.get(key);
            if (known == null || known.id() == null) {
                inserted.put(key, next);
            } else if (!sameState(known, next)) {
                updated.put(key, next);
            } else {
                next = known; // nothing changed: keep it as it was, times included
            }
            byKey.put(key, next);
        }
        return new Result(new ArrayList<>(byKey.values()), new ArrayList<>(inserted.values()),
                new ArrayList<>(updated.values()), skipped);
    }

    /**
     * The change of one subscription that subscriptions/set ({@code deleted} null: what was sent applied to it, or a
     * new one), subscriptions/delete and restore ({@code deleted}: its soft-delete flag set so) make, as a merge result:
     * nothing inserted or updated when it would not change. Deleting or restoring one the profile does not have is a
     * 404 ({@code notFound}).
     */
    static Result edit(SubscriptionCatalog catalog, String profileId, List<Subscription> existing, SubscriptionInput sent,
                       Boolean deleted, java.time.ZoneId zone, java.util.function.Supplier<RosterException> notFound,
                       long now) {
        List<Subscription> all = new ArrayList<>(existing);
        int at = -1;
        for (int i = 0; i < all.size() && at < 0; i++) {
            if (all.get(i).key().equals(sent.key())) {
                at = i;
            }
        }
        Subscription known = at < 0 ? null : all.get(at);
        Subscription next;
        if (deleted == null) {
            next = applyTo(known, sent, profileId, now, catalog.typedFields(sent), zone);
            if (known != null && sameState(known, next)) {
                return new Result(existing, List.of(), List.of(), List.of());
            }
        } else {
            if (known == null) {
                throw notFound.get();
            }
            if (known.deleted() == deleted) {
                return new Result(existing, List.of(), List.of(), List.of());
            }
            next = known.withDeleted(deleted, now);
        }
        if (known == null) {
            all.add(next);
        } else {
            all.set(at, next);
        }
        // one another item of the same batch added is not stored yet: still new, as in merge
        boolean inserted = known == null || known.id() == null;
        return new Result(all, inserted ? List.of(next) : List.of(), inserted ? List.of() : List.of(next), List.of());
    }

    /** The work's error names the subscription, as the parser's errors do. */
    private static Subscription named(int index, java.util.function.Supplier<Subscription> work) {
        String where = "data.subscriptions[" + index + "]";
        try {
            return work.get();
        } catch (RosterException e) {
            if (e.getMessage().startsWith(where)) {
                throw e;
            }
            throw new RosterException(e.code(), where + ": " + e.getMessage());
        }
    }

    /**
     * What the subscription becomes when {@code sent} is applied to it; {@code known} null means a new one.
     * {@code fields}: the typed subscription fields of its resource and channel, which custom_fields must match.
     */
    static Subscription applyTo(Subscription known, SubscriptionInput sent, String profileId, long now,
                                Map<String, Field> fields, java.time.ZoneId zone) {
        if (known == null) {
            return new Subscription(null, sent.resourceId(), sent.channel(), sent.address(),
                    ObjectIds.subscriptionHash(profileId, sent.resourceId(), sent.channel().wireName(), sent.address()),
                    sent.contact(), sent.status() == null ? SubscriptionStatus.SUBSCRIBED : sent.status(),
                    sent.priority(),
                    sent.customFields() == null ? Json.object() : SubscriptionFields.merge(Json.object(), sent.customFields(), fields, zone),
                    sent.cats() == null ? List.of() : sent.cats(), false, now, now);
        }
        return known.with(sent.status() == null ? known.status() : sent.status(),
                sent.priority() == null ? known.priority() : sent.priority(),
                sent.customFields() == null ? known.customFields()
                        : SubscriptionFields.merge(known.customFields(), sent.customFields(), fields, zone),
                sent.cats() == null ? known.cats() : sent.cats(), now);
    }

    static boolean sameState(Subscription a, Subscription b) {
        return a.status() == b.status() && java.util.Objects.equals(a.priority(), b.priority())
                && a.customFields().equals(b.customFields()) && a.cats().equals(b.cats());
    }

    /**
     * The resource must be the account's (a 404 naming it otherwise), serve the database and enable the channel (a 400
     * naming what is wrong otherwise): docs/COMPATIBILITY.md, Subscriptions.
     */
    private static void checkResource(SubscriptionCatalog catalog, long accountId, long dbId, SubscriptionInput sent) {
        Optional<List<String>> channels = catalog.channels(accountId, sent.resourceId());
        String where = "data.subscriptions[" + sent.index() + "]: ";
        if (channels.isEmpty()) {
            throw RosterException.notFound(where + "resource " + sent.resourceId() + " not found");
        }
        if (!catalog.serves(sent.resourceId(), dbId)) {
            throw RosterException.badRequest(where + "resource " + sent.resourceId() + " does not serve database " + dbId);
        }
        if (!channels.get().contains(sent.channel().wireName())) {
            throw RosterException.badRequest(where + "channel '" + sent.channel().wireName()
                    + "' is not enabled on resource " + sent.resourceId() + " (it has " + channels.get() + ")");
        }
    }
}
