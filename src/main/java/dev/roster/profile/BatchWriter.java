package dev.roster.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Caller;
import dev.roster.catalog.CatalogModel.Field;
import dev.roster.catalog.CatalogModel.Schema;
import dev.roster.catalog.DatabaseService;
import dev.roster.error.RosterException;
import dev.roster.history.History;
import dev.roster.history.HistoryModel.Event;
import dev.roster.json.Json;
import dev.roster.profile.BatchSql.Owned;
import dev.roster.profile.ProfileModel.MatchRequest;
import dev.roster.profile.ProfileModel.Origin;
import dev.roster.profile.ProfileModel.WriteCommand;
import dev.roster.profile.ProfileModel.WriteMode;
import dev.roster.profile.ProfileModel.WriteResult;
import dev.roster.profile.ProfileSql.Key;
import dev.roster.store.Store;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The one way a profile is written (imports, updates, adds, their batches, the queue, the CLI import, subscriptions/set,
 * delete and undelete, the profiles a merge or split writes, and a single write as a batch of one): many writes in one
 * transaction with a handful of multi-row statements. The matching keys of all items are looked up at once, the
 * profiles they name are locked at once, every item is applied in memory in request order, the new keys are claimed
 * through the unique index in one statement, and the rows are written per chunk. Items are independent: one that fails
 * is reported and the others go on.
 * <p>
 * An item whose match no unique key answers (through subscriptions or non-unique values) is looked up in the
 * transaction before anything is written, so its answer must not depend on the batch's other items. An ordered batch
 * (a batch method, a file) keeps it only when it shares no identity value with the items before it, and stops before
 * the first item that shares one with an earlier lookup-matched item (or, being one, with any earlier item): the rest
 * goes back as {@link Outcome.Deferred}, for {@link ProfileService} to write as the next batch, so the items are
 * applied in their order whichever way they are matched. In an unordered batch (single writes of concurrent requests,
 * combined), such an item is handed back as {@link Outcome.Retry}, to be written alone. Items of a refused segment change go
 * back as Retry too (each then fails alone), and so do those that lost a race for a key another writer claimed
 * between the lookup and the claim (they then find that writer's profile).
 */
final class BatchWriter {
    private final DatabaseService databases;
    private final Matcher matcher;
    private final java.util.function.Supplier<SegmentMembership> segments;

    BatchWriter(Store store, DatabaseService databases) {
        this(store, databases, () -> null);
    }

    BatchWriter(Store store, DatabaseService databases, java.util.function.Supplier<SegmentMembership> segments) {
        this.databases = databases;
        this.matcher = new Matcher(store);
        this.segments = segments;
    }

    /**
     * @param receipt names the write so that it is applied once per account (see ReceiptSql), or null
     * @param edit    what the item does besides (or instead of) applying the command's data; null: only that
     */
    record Item(Caller caller, WriteCommand command, WriteMode mode, Origin origin, String receipt, Edit edit) {
        Item(Caller caller, WriteCommand command, WriteMode mode, Origin origin, String receipt) {
            this(caller, command, mode, origin, receipt, null);
        }

        Item(Caller caller, WriteCommand command, WriteMode mode, Origin origin) {
            this(caller, command, mode, origin, null, null);
        }

        /** The 404 of an item whose profile is not there: the subscription methods name the profile by its id. */
        RosterException notFound(long dbId) {
            MatchRequest match = command.match().forWrite(mode);
            return edit instanceof SubscriptionEdit ? ProfileSubscriptions.profileNotFound(dbId, match.profileId())
                    : match.notFound(dbId);
        }
    }

    /** A write other than applying data to the stored profile. */
    sealed interface Edit {
    }

    /**
     * subscriptions/set ({@code deleted} null: {@code sent} applied to the subscription at its address, or added) and
     * subscriptions/delete and restore ({@code deleted}: its soft-delete flag set so), instead of the command's data.
     */
    record SubscriptionEdit(SubscriptionInput sent, Boolean deleted) implements Edit {
    }

    /**
     * profiles/merge and split: the profile's fields become {@code fields} (what the merge or the split gives it), the
     * command's data is applied to them, and its history records {@code action} with {@code detail} plus the changes of
     * its fields, instead of a fields_update event. The row is written even when its fields stay the same (its
     * subscriptions moved in).
     */
    record Reshape(ObjectNode fields, dev.roster.history.Action action, ObjectNode detail) implements Edit {
    }

    sealed interface Outcome {
        /** @param subscriptionAdded the item's {@link SubscriptionEdit} added the subscription (it was not there) */
        record Done(WriteResult result, boolean subscriptionAdded) implements Outcome {
            Done(WriteResult result) {
                this(result, false);
            }
        }

        record Failed(RosterException error) implements Outcome {
        }

        /** Run this item again on its own. */
        record Retry() implements Outcome {
        }

        /** Not written: an ordered batch stopped before this item (see above); write it in the next batch. */
        record Deferred() implements Outcome {
        }

        /** The item's receipt was there: it was applied before, and this is the result stored then. */
        record Replayed(WriteResult result) implements Outcome {
        }
    }

    /** Where an item's writes go: an existing profile, or a new one shared by the items with the same new key. */
    private static final class Target {
        final long dbId;
        final Schema schema;
        final String id;
        final boolean isNew;
        /** The key a new target was searched by (null for add and for existing targets): losing it is a lost race. */
        Key searchedKey;
        /** The item whose lookup in the transaction found no profile, for a new target of a lookup match. */
        Item searchedBy;
        final List<Integer> items = new ArrayList<>();
        ObjectNode loaded;
        ObjectNode data;
        List<Subscription> loadedSubscriptions = List.of();
        List<Subscription> subscriptions = List.of();
        Set<Key> loadedKeys = Set.of();
        Set<Key> loadedLookups = Set.of();
        ProfileKeys.Derived keys;
        /** Every unique key the target held or wanted at some item, for finding targets of the batch that share one. */
        final Set<Key> touchedKeys = new HashSet<>();
        /** The history events of the items applied to this target, in item order. */
        final List<Event> events = new ArrayList<>();
        boolean created;
        boolean anyApplied;
        /** A {@link Reshape} applied: the row is written whatever changed. */
        boolean reshaped;

        Target(Schema schema, String id, boolean isNew) {
            this.dbId = schema.dbId();
            this.schema = schema;
            this.id = id;
            this.isNew = isNew;
        }
    }

    /**
     * @param ordered the items are one request's (or one file's), to be applied in their order: the batch stops at an
     *                item matched by a lookup (see above); otherwise they are independent requests
     */
    List<Outcome> write(Handle h, List<Item> items, boolean ordered) {
        return write(h, items, ordered, ProfileModel.BatchTurn.ALONE);
    }

    /**
     * @param turn its {@code beforeLocking} runs before the first lock or key claim (the new profiles are applied in
     *             memory before it); its {@code holding} once this transaction holds every profile and key it writes
     *             (the existing ones locked, the new keys claimed), when no item of the batch is left for a later
     *             transaction (none handed back): a writer that locks after it waits for this one on any profile or
     *             key the two share. Receipts are claimed before both: a batch with receipts takes no turn.
     */
    List<Outcome> write(Handle h, List<Item> items, boolean ordered, ProfileModel.BatchTurn turn) {
        int n = items.size();
        Outcome[] outcomes = new Outcome[n];
        Schema[] schemas = new Schema[n];
        Key[] matchKeys = new Key[n];
        boolean[] lookups = new boolean[n];
        resolveSchemasAndKeys(h, items, schemas, matchKeys, lookups, outcomes, ordered);
        if (n > 1) {
            checkSegments(h, items, outcomes);
        }
        // 0. receipts: an item whose receipt is there already was applied before and answers the stored result
        Map<Integer, ReceiptSql.Claim> receipts = claimReceipts(h, items, outcomes);
        // 1. who holds each matching key, one query per database and kind; the matches no key answers, looked up
        Map<DbKey, String> owners = lookUpOwners(h, items, schemas, matchKeys, outcomes);
        String[] found = lookUp(h, items, schemas, lookups, outcomes);
        // 2. targets, in first-seen order; items with the same new key share one
        Map<Object, Target> targets = targets(items, schemas, matchKeys, owners, found, outcomes);
        // 3. every item applied in memory, in request order (targets are distinct profiles: new ones first, as they
        // need no lock), and the existing profiles locked in id order and loaded with their subscriptions and keys
        long now = System.currentTimeMillis();
        SubscriptionCatalog catalog = new SubscriptionCatalog(h);
        for (Target t : targets.values()) {
            if (t.isNew) {
                applyItems(catalog, t, items, outcomes, now);
            }
        }
        turn.beforeLocking().run();
        loadExisting(h, targets, matchKeys, outcomes);
        for (Target t : targets.values()) {
            if (!t.isNew) {
                applyItems(catalog, t, items, outcomes, now);
            }
        }
        List<Target> live = targets.values().stream().filter(t -> t.anyApplied).toList();
        // 4. new profiles, then the keys they and the others now need, claimed through the unique index
        live = insertProfilesAndClaimKeys(h, live, outcomes, now);
        if (java.util.Arrays.stream(outcomes).noneMatch(o -> o instanceof Outcome.Retry || o instanceof Outcome.Deferred)) {
            turn.holding().run();
        }
        // 5. the rest of the rows, and the history in the same transaction
        writeRows(h, live, now);
        changeSegments(h, items, outcomes);
        settleReceipts(h, receipts, outcomes);
        return java.util.Arrays.asList(outcomes);
    }

    /**
     * Each item's database schema and the key that decides its match; items matched by a lookup are marked. An ordered
     * batch keeps an item matched by a lookup only when it shares no identity value ({@link IdentityValues}) with an
     * earlier item of the batch, and any item only when it shares none with an earlier lookup-matched one: the lookups
     * run before anything is written, so their answers must not depend on the batch's other items. The batch stops
     * before the first item that fails this (the rest is deferred to the next batch). An unordered batch hands such
     * items back to be written alone.
     */
    private void resolveSchemasAndKeys(Handle h, List<Item> items, Schema[] schemas, Key[] matchKeys, boolean[] lookups,
                                       Outcome[] outcomes, boolean ordered) {
        boolean alone = items.size() == 1;
        boolean anyLookup = false;
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (item.command().data() == null) {
                outcomes[i] = new Outcome.Failed(RosterException.invalid("data[" + i + "]", "a profile object", "not an object"));
                continue;
            }
            try {
                schemas[i] = databases.schema(h, item.caller(), item.command().dbId());
                matchKeys[i] = item.mode() == WriteMode.ADD ? null : matchKey(item, schemas[i]);
                lookups[i] = item.mode() != WriteMode.ADD && matchKeys[i] == null;
                anyLookup |= lookups[i];
            } catch (RosterException e) {
                outcomes[i] = new Outcome.Failed(e);
            }
        }
        if (!anyLookup || alone) {
            return;
        }
        if (!ordered) {
            for (int i = 0; i < items.size(); i++) {
                if (lookups[i]) {
                    lookups[i] = false;
                    outcomes[i] = new Outcome.Retry();
                }
            }
            return;
        }
        Set<String> batchValues = new HashSet<>();
        Set<String> lookupValues = new HashSet<>();
        boolean anyWritten = false;
        for (int i = 0; i < items.size(); i++) {
            if (outcomes[i] != null) {
                continue; // failed already: writes nothing
            }
            Set<String> values = identityValues(items.get(i), schemas[i]);
            boolean dependent = !java.util.Collections.disjoint(values, lookupValues)
                    || lookups[i] && !java.util.Collections.disjoint(values, batchValues);
            if (dependent && anyWritten) {
                for (int j = i; j < items.size(); j++) {
                    if (outcomes[j] == null) {
                        outcomes[j] = new Outcome.Deferred();
                    }
                    lookups[j] = false;
                }
                return;
            }
            anyWritten = true;
            batchValues.addAll(values);
            if (lookups[i]) {
                lookupValues.addAll(values);
            }
        }
    }

    /** The identity values of an item: those of its data, and the keys its match names at the top level. */
    private static Set<String> identityValues(Item item, Schema schema) {
        MatchRequest match = item.command().match().forWrite(item.mode());
        Set<String> values = new HashSet<>();
        IdentityValues.addTo(values, item.command().data(), schema, match.fieldName());
        ObjectNode sent = Json.object();
        if (match.email() != null) {
            sent.put("email", match.email());
        }
        if (match.phone() != null) {
            sent.put("phones", match.phone());
        }
        if (match.profileId() != null) {
            sent.put("id", match.profileId());
        }
        if (match.subscriptionId() != null) {
            sent.putArray("subscriptions").addObject().put("subscription_id", match.subscriptionId());
        }
        if (match.fieldName() != null && match.fieldValue() != null) {
            sent.set(match.fieldName(), match.fieldValue());
        }
        IdentityValues.addTo(values, sent, schema, match.fieldName());
        return values;
    }

    /**
     * The profile each lookup-matched item means: the match, or for an import by a subscription mode (email, phone)
     * that found no subscription, the profile holding the searched address as its own key (the one such an import
     * created). Null where none.
     */
    private String[] lookUp(Handle h, List<Item> items, Schema[] schemas, boolean[] lookups, Outcome[] outcomes) {
        String[] found = new String[items.size()];
        for (int i = 0; i < items.size(); i++) {
            if (lookups[i] && outcomes[i] == null) {
                try {
                    found[i] = lookUp(h, items.get(i), schemas[i]).orElse(null);
                } catch (RosterException e) {
                    outcomes[i] = new Outcome.Failed(e);
                }
            }
        }
        return found;
    }

    private java.util.Optional<String> lookUp(Handle h, Item item, Schema schema) {
        MatchRequest match = item.command().match().forWrite(item.mode());
        java.util.Optional<String> owner = matcher.find(h, schema, match, item.command().data());
        if (owner.isEmpty() && item.mode() == WriteMode.IMPORT) {
            return matcher.carriedKeyOwner(h, schema, match, item.command().data());
        }
        return owner;
    }

    /** The segments a group of items joins and leaves (the batch methods and the file import give all items the same). */
    private record SegmentChange(Caller caller, long dbId, List<Long> add, List<Long> remove) {
        static SegmentChange of(Item item) {
            return new SegmentChange(item.caller(), item.command().dbId(), item.command().addToSegments(),
                    item.command().removeFromSegments());
        }
    }

    /**
     * In a batch of several items, the segments its items change are checked before anything is written: the items of
     * a refused change go back to be written one at a time, where the refusal fails each alone (as it fails a single
     * write), and the others stay in the batch.
     */
    private void checkSegments(Handle h, List<Item> items, Outcome[] outcomes) {
        Map<SegmentChange, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            if (outcomes[i] == null && items.get(i).command().changesSegments()) {
                groups.computeIfAbsent(SegmentChange.of(items.get(i)), k -> new ArrayList<>()).add(i);
            }
        }
        SegmentMembership membership = groups.isEmpty() ? null : segments.get();
        groups.forEach((change, members) -> {
            boolean refused = membership == null;
            if (!refused) {
                try {
                    // no profiles: only the segments are checked
                    membership.changeAll(h, change.caller(), change.dbId(), List.of(), change.add(), change.remove());
                } catch (RosterException e) {
                    refused = true;
                }
            }
            if (refused) {
                members.forEach(i -> outcomes[i] = new Outcome.Retry());
            }
        });
    }

    /** The segment memberships the written items change, a statement per segment and profile, events once. */
    private void changeSegments(Handle h, List<Item> items, Outcome[] outcomes) {
        Map<SegmentChange, List<String>> groups = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (item.command().changesSegments() && outcomes[i] instanceof Outcome.Done done) {
                groups.computeIfAbsent(SegmentChange.of(item), k -> new ArrayList<>()).add(done.result().profileId());
            }
        }
        if (groups.isEmpty()) {
            return;
        }
        SegmentMembership membership = segments.get();
        if (membership == null) {
            throw RosterException.badRequest("add_to_segments and remove_from_segments are not available here");
        }
        groups.forEach((change, profileIds) -> {
            try {
                membership.changeAll(h, change.caller(), change.dbId(), profileIds, change.add(), change.remove());
            } catch (RosterException e) {
                if (items.size() == 1) {
                    throw e; // the write of this item alone fails with it; its transaction rolls back
                }
                // checked at the start of this transaction: a segment deleted meanwhile is a lost race, and every
                // item of the batch is written again one at a time (ProfileService.writeBatch)
                throw new IllegalStateException("a segment of the batch changed while it was written", e);
            }
        });
    }

    private static Map<Object, Target> targets(List<Item> items, Schema[] schemas, Key[] matchKeys,
                                               Map<DbKey, String> owners, String[] found, Outcome[] outcomes) {
        Map<Object, Target> targets = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            if (outcomes[i] != null) {
                continue;
            }
            Item item = items.get(i);
            DbKey ownerKey = matchKeys[i] == null ? null : new DbKey(schemas[i].dbId(), matchKeys[i]);
            String owner = ownerKey == null ? found[i] : owners.get(ownerKey);
            Target target;
            Schema schema = schemas[i];
            if (owner != null) {
                target = targets.computeIfAbsent("id:" + owner, k -> new Target(schema, owner, false));
            } else if (mustExist(item.command().match().forWrite(item.mode()), item.mode())) {
                outcomes[i] = new Outcome.Failed(item.notFound(schemas[i].dbId()));
                continue;
            } else {
                Object newKey = ownerKey == null ? "add:" + i : ownerKey;
                target = targets.computeIfAbsent(newKey, k -> new Target(schema, ObjectIds.next(), true));
                if (ownerKey != null) {
                    target.searchedKey = matchKeys[i];
                } else if (item.mode() != WriteMode.ADD) {
                    target.searchedBy = item;
                }
            }
            target.items.add(i);
        }
        return targets;
    }

    private void loadExisting(Handle h, Map<Object, Target> targets, Key[] matchKeys, Outcome[] outcomes) {
        List<String> existing = targets.values().stream().filter(t -> !t.isNew).map(t -> t.id).sorted().toList();
        if (existing.isEmpty()) {
            return;
        }
        Map<String, ProfileSql.ProfileRow> rows = new HashMap<>();
        BatchSql.lockProfiles(h, existing).forEach(r -> rows.put(r.id(), r));
        Map<String, List<Subscription>> subscriptions = BatchSql.subscriptionsOf(h, existing);
        Map<String, List<Key>> keys = BatchSql.keysOf(h, "profile_keys", existing);
        Map<String, List<Key>> lookups = BatchSql.keysOf(h, "profile_lookups", existing);
        for (Target t : targets.values()) {
            if (t.isNew) {
                continue;
            }
            ProfileSql.ProfileRow row = rows.get(t.id);
            if (row == null) { // deleted since the key lookup: let the single path decide
                t.items.forEach(i -> outcomes[i] = new Outcome.Retry());
                t.items.clear();
                continue;
            }
            t.loaded = row.data();
            t.loadedSubscriptions = subscriptions.getOrDefault(t.id, List.of());
            t.loadedKeys = new HashSet<>(keys.getOrDefault(t.id, List.of()));
            // the key it was found by, read before the lock, may have moved to another profile since (a writer that
            // held the lock changed it): a lost race, and the item finds the key's owner again on its own
            if (t.items.stream().anyMatch(i -> matchKeys[i] != null && !matchKeys[i].kind().equals("id")
                    && !t.loadedKeys.contains(matchKeys[i]))) {
                t.items.forEach(i -> outcomes[i] = new Outcome.Retry());
                t.items.clear();
                continue;
            }
            t.loadedLookups = new HashSet<>(lookups.getOrDefault(t.id, List.of()));
            t.touchedKeys.addAll(t.loadedKeys);
        }
    }

    /** Applies the target's items to it in memory, in request order; an item that fails leaves the target as it was. */
    private static void applyItems(SubscriptionCatalog catalog, Target t, List<Item> items, Outcome[] outcomes, long now) {
        if (t.isNew) {
            t.loaded = Json.object();
        }
        t.data = t.loaded;
        t.subscriptions = t.loadedSubscriptions;
        for (int i : t.items) {
            Item item = items.get(i);
            int eventsBefore = t.events.size(); // every change records an event: none means nothing changed
            try {
                ObjectNode input = item.command().data();
                if (t.isNew && !t.anyApplied) {
                    // the new profile carries the key it was searched by, as on the one-at-a-time path
                    input = Matcher.withMatchedKeys(item.command().match().forWrite(item.mode()), input, t.schema);
                }
                ProfileData.Applied applied;
                SubscriptionMerge.Result merged;
                Edit edit = item.edit();
                ObjectNode base = edit instanceof Reshape reshape ? reshape.fields() : t.data;
                if (!(edit instanceof SubscriptionEdit subscriptionEdit)) {
                    applied = ProfileData.apply(base, input, t.schema);
                    merged = SubscriptionMerge.merge(catalog, item.caller().accountId(), t.dbId, t.id, t.subscriptions,
                            input.get("subscriptions"), t.schema.phoneRegion(), t.schema.zone(),
                            item.command().skipInvalidSubscriptions(), now);
                } else {
                    applied = new ProfileData.Applied(t.data, List.of());
                    merged = SubscriptionMerge.edit(catalog, t.id, t.subscriptions, subscriptionEdit.sent(),
                            subscriptionEdit.deleted(), t.schema.zone(),
                            () -> ProfileSubscriptions.subscriptionNotFound(t.schema, t.id, subscriptionEdit.sent()), now);
                }
                boolean creates = t.isNew && !t.anyApplied;
                if (creates && item.mode() == WriteMode.IMPORT) {
                    Matcher.requireSearchedSubscription(item.command().match().forWrite(item.mode()), input, t.schema,
                            merged.all());
                }
                ProfileKeys.Derived derived = ProfileKeys.derive(applied.data(), merged.all(), t.schema);
                if (base.has("email") && !applied.data().has("email") && derived.unique().isEmpty()) {
                    throw RosterException.badRequest("email cannot be cleared: it is the profile's only identity key");
                }
                String token = item.caller().tokenName();
                if (creates) {
                    t.events.add(ProfileHistory.created(token, item.origin() == Origin.FILE, t.dbId, t.id,
                            applied.data(), now));
                } else if (edit instanceof Reshape reshape) {
                    t.events.add(ProfileHistory.reshaped(token, t.dbId, t.id, reshape.action(), reshape.detail(),
                            t.data, applied.data(), now));
                    t.reshaped = true;
                } else {
                    ProfileHistory.fieldsChanged(t.events, token, t.dbId, t.id, t.data, applied.data(),
                            applied.changed(), now);
                }
                ProfileHistory.merged(t.events, token, t.dbId, t.id, t.subscriptions, merged, now);
                t.data = applied.data();
                t.subscriptions = merged.all();
                t.keys = derived;
                t.touchedKeys.addAll(derived.unique());
                t.anyApplied = true;
                t.created |= creates;
                outcomes[i] = new Outcome.Done(new WriteResult(t.id, creates, merged.skipped(),
                        t.events.size() > eventsBefore), edit instanceof SubscriptionEdit && !merged.inserted().isEmpty());
            } catch (RosterException e) {
                outcomes[i] = new Outcome.Failed(e);
            }
        }
    }

    /**
     * Inserts the new profiles and claims the unique keys the targets now need. A target one of whose keys another
     * profile holds is taken back out (its claimed keys and new row deleted) and its items go to the one-at-a-time
     * path, which names the owner or finds the winner. Returns the targets still live.
     */
    private List<Target> insertProfilesAndClaimKeys(Handle h, List<Target> live, Outcome[] outcomes, long now) {
        List<BatchSql.NewProfile> inserts = new ArrayList<>();
        for (Target t : live) {
            if (t.isNew) {
                inserts.add(new BatchSql.NewProfile(t.id, t.dbId, t.data, now));
            }
        }
        BatchSql.insertProfiles(h, inserts);
        // targets of this batch that held or wanted one key at some item: the one-at-a-time path writes their items
        // in item order, so the key goes where it goes when the items are written one by one (a set-based claim
        // would give it to whichever target's final state wants it)
        Map<DbKey, Target> toucher = new HashMap<>();
        Set<String> evicted = new HashSet<>();
        for (Target t : live) {
            for (Key key : t.touchedKeys) {
                Target other = toucher.putIfAbsent(new DbKey(t.dbId, key), t);
                if (other != null && other != t) {
                    evicted.add(other.id);
                    evicted.add(t.id);
                }
            }
        }
        List<Owned> wanted = new ArrayList<>();
        for (Target t : live) {
            if (evicted.contains(t.id)) {
                continue;
            }
            for (Key key : t.keys.unique()) {
                if (!t.loadedKeys.contains(key)) {
                    wanted.add(new Owned(t.dbId, key, t.id));
                }
            }
        }
        // a key a target wanted at one item but no longer at its last: written one by one, that item met whoever
        // holds the key, so a target with such a key held by another profile goes to the one-at-a-time path
        for (Target t : live) {
            if (evicted.contains(t.id)) {
                continue;
            }
            for (Key key : t.touchedKeys) {
                if (!t.loadedKeys.contains(key) && !t.keys.unique().contains(key)) {
                    String owner = BatchSql.owners(h, t.dbId, key.kind(), List.of(key.value())).get(key.value());
                    if (owner != null && !owner.equals(t.id)) {
                        evicted.add(t.id);
                        break;
                    }
                }
            }
        }
        wanted.removeIf(o -> evicted.contains(o.profileId()));
        wanted.sort(CLAIM_ORDER);
        Set<String> sharing = Set.copyOf(evicted);
        Set<Owned> claimed = new HashSet<>(BatchSql.claim(h, wanted));
        Map<String, Set<Key>> taken = new HashMap<>();
        for (Owned want : wanted) {
            if (!claimed.contains(want)) {
                evicted.add(want.profileId());
                taken.computeIfAbsent(want.profileId(), k -> new HashSet<>()).add(want.key());
            }
        }
        if (evicted.isEmpty()) {
            return live;
        }
        BatchSql.deleteKeys(h, "profile_keys", claimed.stream().filter(o -> evicted.contains(o.profileId())).toList());
        BatchSql.deleteProfiles(h, live.stream().filter(t -> t.isNew && evicted.contains(t.id)).map(t -> t.id).toList());
        for (Target t : live) {
            if (evicted.contains(t.id)) {
                RosterException conflict = sharing.contains(t.id) ? null : conflict(h, t, taken.get(t.id));
                t.items.forEach(i -> outcomes[i] = conflict == null ? new Outcome.Retry() : new Outcome.Failed(conflict));
            }
        }
        return live.stream().filter(t -> !evicted.contains(t.id)).toList();
    }

    /**
     * The 409 the one-at-a-time path would answer for a target of one item whose keys other profiles hold: the first
     * taken key in key order, named with its owner. Null (write it again on its own) when the item is not alone, when
     * the key it was searched by is among the taken (another request created that profile meanwhile: a lost race), or
     * when the owner is gone again. Answering here keeps a stream of conflicting writes from dragging every batch it
     * shares through the slow path.
     */
    private RosterException conflict(Handle h, Target t, Set<Key> taken) {
        if (t.items.size() != 1 || taken == null || t.searchedKey != null && taken.contains(t.searchedKey)) {
            return null;
        }
        if (t.searchedBy != null && lookUp(h, t.searchedBy, t.schema).isPresent()) {
            return null; // the profile this write looked for exists now (this one's row is gone again): a lost race
        }
        Key first = t.keys.unique().stream().filter(taken::contains).findFirst().orElse(null);
        if (first == null) {
            return null;
        }
        String owner = BatchSql.owners(h, t.dbId, first.kind(), List.of(first.value())).get(first.value());
        return owner == null ? null : new ProfileKeys.KeyTaken(first, owner).conflict();
    }

    /** Keys given up, lookups, changed profiles, subscriptions and the history events of the live targets. */
    private static void writeRows(Handle h, List<Target> live, long now) {
        List<Owned> dropKeys = new ArrayList<>();
        List<Owned> addLookups = new ArrayList<>();
        List<Owned> dropLookups = new ArrayList<>();
        List<BatchSql.ProfileUpdate> updates = new ArrayList<>();
        List<BatchSql.SubscriptionRow> newSubscriptions = new ArrayList<>();
        List<Subscription> changedSubscriptions = new ArrayList<>();
        for (Target t : live) {
            t.loadedKeys.stream().filter(k -> !t.keys.unique().contains(k)).forEach(k -> dropKeys.add(new Owned(t.dbId, k, t.id)));
            t.keys.lookups().stream().filter(k -> !t.loadedLookups.contains(k)).forEach(k -> addLookups.add(new Owned(t.dbId, k, t.id)));
            t.loadedLookups.stream().filter(k -> !t.keys.lookups().contains(k)).forEach(k -> dropLookups.add(new Owned(t.dbId, k, t.id)));
            Map<String, Subscription> before = new HashMap<>();
            t.loadedSubscriptions.forEach(s -> before.put(s.key(), s));
            boolean subscriptionsChanged = false;
            for (Subscription s : t.subscriptions) {
                Subscription old = before.get(s.key());
                if (old == null) {
                    newSubscriptions.add(new BatchSql.SubscriptionRow(t.id, t.dbId, s));
                    subscriptionsChanged = true;
                } else if (!SubscriptionMerge.sameState(old, s) || old.deleted() != s.deleted()) {
                    changedSubscriptions.add(s);
                    subscriptionsChanged = true;
                }
            }
            if (!t.isNew && (t.reshaped || !t.data.equals(t.loaded) || subscriptionsChanged)) {
                updates.add(new BatchSql.ProfileUpdate(t.id, t.data, now));
            }
        }
        BatchSql.deleteKeys(h, "profile_keys", dropKeys);
        BatchSql.deleteKeys(h, "profile_lookups", dropLookups);
        BatchSql.insertLookups(h, addLookups);
        BatchSql.updateProfiles(h, updates);
        BatchSql.insertSubscriptions(h, newSubscriptions);
        BatchSql.updateSubscriptions(h, changedSubscriptions);
        List<Event> events = new ArrayList<>();
        live.forEach(t -> events.addAll(t.events));
        History.record(h, events); // one multi-row insert per chunk, in the same transaction as the rows
    }

    /**
     * Claims the receipts of the items that carry one; returns the claimed ones by item. An item whose receipt is
     * taken gets the stored result as {@link Outcome.Replayed}; a second item with the receipt of an earlier one in
     * this batch goes to the one-at-a-time path, which runs after this transaction and then finds the receipt.
     */
    private static Map<Integer, ReceiptSql.Claim> claimReceipts(Handle h, List<Item> items, Outcome[] outcomes) {
        Map<ReceiptSql.Claim, Integer> first = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (outcomes[i] != null || item.receipt() == null) {
                continue;
            }
            ReceiptSql.Claim claim = new ReceiptSql.Claim(item.caller().accountId(), item.receipt());
            if (first.putIfAbsent(claim, i) != null) {
                outcomes[i] = new Outcome.Retry();
            }
        }
        Map<Integer, ReceiptSql.Claim> mine = new HashMap<>();
        if (first.isEmpty()) {
            return mine;
        }
        // claimed in one order everywhere, so two transactions claiming the same receipts never wait in a cycle
        List<ReceiptSql.Claim> sorted = first.keySet().stream()
                .sorted(java.util.Comparator.comparing(ReceiptSql.Claim::receipt).thenComparing(ReceiptSql.Claim::accountId))
                .toList();
        Set<ReceiptSql.Claim> claimed = new HashSet<>(ReceiptSql.claim(h, sorted, System.currentTimeMillis()));
        Map<ReceiptSql.Claim, ReceiptSql.Stored> stored =
                ReceiptSql.find(h, sorted.stream().filter(c -> !claimed.contains(c)).toList());
        first.forEach((claim, i) -> {
            if (claimed.contains(claim)) {
                mine.put(i, claim);
            } else {
                ReceiptSql.Stored s = stored.get(claim);
                outcomes[i] = s == null ? new Outcome.Retry()
                        : new Outcome.Replayed(new WriteResult(s.profileId(), s.created(), List.of()));
            }
        });
        return mine;
    }

    /** The receipts of applied items keep their results; those of items that failed or go back are given up. */
    private static void settleReceipts(Handle h, Map<Integer, ReceiptSql.Claim> receipts, Outcome[] outcomes) {
        if (receipts.isEmpty()) {
            return;
        }
        Map<ReceiptSql.Claim, ReceiptSql.Stored> results = new HashMap<>();
        List<ReceiptSql.Claim> released = new ArrayList<>();
        receipts.forEach((i, claim) -> {
            if (outcomes[i] instanceof Outcome.Done done) {
                results.put(claim, new ReceiptSql.Stored(done.result().profileId(), done.result().created()));
            } else {
                released.add(claim);
            }
        });
        ReceiptSql.record(h, results);
        ReceiptSql.release(h, released);
    }

    /** A key of one database: what the unique index of keys holds once. */
    private record DbKey(long dbId, Key key) {
    }

    /**
     * The order keys are claimed in, the same in every batch, so that two transactions claiming some of the same keys
     * never wait for each other in a cycle.
     */
    private static final java.util.Comparator<Owned> CLAIM_ORDER = java.util.Comparator.comparingLong(Owned::dbId)
            .thenComparing(o -> o.key().kind()).thenComparing(o -> o.key().value());

    /** A write that finds no profile fails (404) instead of creating one: every update, and an import by id. */
    static boolean mustExist(MatchRequest effective, WriteMode mode) {
        return mode == WriteMode.UPDATE || mode == WriteMode.IMPORT && effective.mode() == Matching.PROFILE_ID;
    }

    /**
     * The one key that decides the match, for the modes where a unique index answers it; null for the modes the
     * one-at-a-time path handles (subscriptions, non-unique values, resource narrowing, several keys).
     */
    private static Key matchKey(Item item, Schema schema) {
        MatchRequest m = item.command().match().forWrite(item.mode());
        ObjectNode data = item.command().data();
        if (m.resourceId() != null) {
            return null;
        }
        return switch (m.mode()) {
            case EMAIL -> new Key(ProfileKeys.EMAIL, MatchKeys.email(m, data));
            case PHONE -> schema.uniquePhones() ? new Key(ProfileKeys.PHONE, MatchKeys.phone(m, data, schema)) : null;
            case PROFILE_ID -> new Key("id", MatchKeys.profileId(m, data));
            case CUSTOM -> {
                if (m.fieldName() == null) {
                    yield null;
                }
                Field field = schema.field(m.fieldName());
                JsonNode sent = field == null ? null : MatchKeys.customValue(m, data, field);
                if (field == null || !field.unique() || sent == null) {
                    yield null;
                }
                JsonNode value = MatchKeys.customKeyValue(field, sent, schema);
                yield new Key(ProfileKeys.FIELD + field.name(), ProfileKeys.valueText(field.type(), value));
            }
            default -> null;
        };
    }

    private Map<DbKey, String> lookUpOwners(Handle h, List<Item> items, Schema[] schemas, Key[] keys,
                                                    Outcome[] outcomes) {
        record DbKind(long dbId, String kind) {
        }
        Map<DbKind, List<String>> byDbAndKind = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            if (outcomes[i] == null && keys[i] != null) {
                byDbAndKind.computeIfAbsent(new DbKind(schemas[i].dbId(), keys[i].kind()), k -> new ArrayList<>())
                        .add(keys[i].value());
            }
        }
        Map<DbKey, String> owners = new HashMap<>();
        for (Map.Entry<DbKind, List<String>> group : byDbAndKind.entrySet()) {
            long dbId = group.getKey().dbId();
            String kind = group.getKey().kind();
            List<String> values = group.getValue().stream().distinct().toList();
            if (kind.equals("id")) {
                for (String id : BatchSql.existingProfiles(h, dbId, values)) {
                    owners.put(new DbKey(dbId, new Key(kind, id)), id);
                }
            } else {
                BatchSql.owners(h, dbId, kind, values)
                        .forEach((value, owner) -> owners.put(new DbKey(dbId, new Key(kind, value)), owner));
            }
        }
        return owners;
    }
}
