package dev.roster.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Caller;
import dev.roster.access.Audit;
import dev.roster.catalog.CatalogModel.Schema;
import dev.roster.catalog.DatabaseService;
import dev.roster.error.RosterException;
import dev.roster.history.History;
import dev.roster.history.HistoryModel.Event;
import dev.roster.json.Json;
import dev.roster.profile.ProfileModel.KeyedResult;
import dev.roster.profile.ProfileModel.Lookup;
import dev.roster.profile.ProfileModel.MatchRequest;
import dev.roster.profile.ProfileModel.Origin;
import dev.roster.profile.ProfileModel.WriteCommand;
import dev.roster.profile.ProfileModel.WriteMode;
import dev.roster.profile.ProfileModel.WriteResult;
import dev.roster.store.Store;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Import, update, add, get and delete of profiles. Each request is one transaction; identity keys are claimed
 * through the unique index, so concurrent requests for one key leave one profile.
 */
public final class ProfileService {
    /** How often a request that lost a race for a new key runs again (it then finds the winner's profile). */
    private static final int RACE_RETRIES = 8;
    /** Most single writes one commit carries. */
    private static final int MAX_COMBINED = 64;
    private static final Set<Matching> DELETE_MODES =
            EnumSet.of(Matching.EMAIL, Matching.PHONE, Matching.PROFILE_ID, Matching.CUSTOM);

    private final Store store;
    private final DatabaseService databases;
    private final Matcher matcher;
    private final WriteCombiner combiner;
    private final BatchWriter batchWriter;
    private volatile SegmentMembership segments;

    public ProfileService(Store store, DatabaseService databases) {
        this.store = store;
        this.databases = databases;
        this.batchWriter = new BatchWriter(store, databases);
        this.combiner = new WriteCombiner(items -> store.write(h -> batchWriter.write(h, items)),
                store.writeConcurrency(), MAX_COMBINED);
        this.matcher = new Matcher(store);
    }

    /** Wires the segment feature in: add_to_segments / remove_from_segments of writes go through it. */
    public void useSegments(SegmentMembership membership) {
        this.segments = membership;
    }

    /** Another request created the profile this one was about to create: run again and update it instead. */
    private static final class RaceLost extends RuntimeException {
        RaceLost() {
            super(null, null, false, false);
        }
    }

    /** One write, batched with whatever other writes are waiting at the same moment (group commit). */
    public WriteResult write(Caller caller, WriteCommand command, WriteMode mode) {
        return writeKeyed(caller, command, mode, null).result();
    }

    /**
     * One write named by a receipt (e.g. a queue message's id): applied at most once per account and receipt, through
     * the same group commit as {@link #write}. The receipt is written in the write's transaction; a write whose receipt
     * is there already changes nothing and answers the result stored then, with {@code replayed} set. A write that
     * fails leaves no receipt. A null receipt is a plain {@link #write}.
     */
    public KeyedResult writeKeyed(Caller caller, WriteCommand command, WriteMode mode, String receipt) {
        BatchWriter.Item item = new BatchWriter.Item(caller, command, mode, Origin.API, receipt);
        BatchWriter.Outcome outcome = combiner.submit(item);
        if (outcome instanceof BatchWriter.Outcome.Retry) {
            outcome = writeAlone(item);
        }
        return switch (outcome) {
            case BatchWriter.Outcome.Done done -> new KeyedResult(done.result(), false);
            case BatchWriter.Outcome.Replayed replayed -> new KeyedResult(replayed.result(), true);
            case BatchWriter.Outcome.Failed failed -> throw failed.error();
            case BatchWriter.Outcome.Retry retry -> throw new IllegalStateException("the one-at-a-time path handed back a write");
        };
    }

    /** Deletes the receipts of keyed writes older than {@code before}; returns how many. */
    public int pruneReceipts(java.time.Instant before) {
        return store.write(h -> ReceiptSql.prune(h, before.toEpochMilli()));
    }

    /**
     * A batch method: every item applied whole or reported failed, in one transaction with set-based statements;
     * items the set-based path hands back are written one at a time afterwards. Items of the batch that wrote the
     * same profile are named in each other's results (the later ones win, field by field).
     */
    public List<ProfileModel.ItemResult> writeBatch(Caller caller, List<WriteCommand> commands, WriteMode mode) {
        return writeBatch(caller, commands, mode, Origin.API);
    }

    /** {@link #writeBatch(Caller, List, WriteMode)} for writes that come from {@code origin}. */
    public List<ProfileModel.ItemResult> writeBatch(Caller caller, List<WriteCommand> commands, WriteMode mode,
                                                    Origin origin) {
        if (!commands.isEmpty()) {
            store.read(h -> databases.schema(h, caller, commands.get(0).dbId())); // an unknown database fails the request
        }
        List<BatchWriter.Item> items = commands.stream().map(c -> new BatchWriter.Item(caller, c, mode, origin)).toList();
        List<BatchWriter.Outcome> outcomes;
        try {
            outcomes = store.write(h -> batchWriter.write(h, items));
        } catch (RosterException e) {
            throw e; // storage refusals of the whole request stay whole; anything else is retried item by item
        } catch (RuntimeException e) {
            outcomes = items.stream().map(i -> (BatchWriter.Outcome) new BatchWriter.Outcome.Retry()).toList();
        }
        List<ProfileModel.ItemResult> results = new java.util.ArrayList<>();
        java.util.Map<String, List<Integer>> byProfile = new java.util.HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            BatchWriter.Outcome outcome = outcomes.get(i);
            if (outcome instanceof BatchWriter.Outcome.Retry) {
                try {
                    outcome = writeAlone(items.get(i));
                } catch (RosterException e) {
                    outcome = new BatchWriter.Outcome.Failed(e);
                }
            }
            if (outcome instanceof BatchWriter.Outcome.Replayed replayed) { // batch items carry no receipt
                outcome = new BatchWriter.Outcome.Done(replayed.result());
            }
            if (outcome instanceof BatchWriter.Outcome.Done done) {
                byProfile.computeIfAbsent(done.result().profileId(), k -> new java.util.ArrayList<>()).add(i);
                results.add(new ProfileModel.ItemResult(0, "Successful operation", done.result().profileId(),
                        mode == WriteMode.IMPORT ? done.result().created() : null,
                        commands.get(i).skipInvalidSubscriptions() ? done.result().skipped() : null, null,
                        done.result().changed()));
            } else {
                RosterException e = ((BatchWriter.Outcome.Failed) outcome).error();
                results.add(new ProfileModel.ItemResult(e.code().code(), e.getMessage(), null, null, null, null));
            }
        }
        for (List<Integer> same : byProfile.values()) {
            if (same.size() > 1) {
                for (int i : same) {
                    ProfileModel.ItemResult r = results.get(i);
                    results.set(i, new ProfileModel.ItemResult(r.error(), r.errorText(), r.profileId(), r.created(),
                            r.skippedSubscriptions(), same.stream().filter(j -> j != i).toList(), r.changed()));
                }
            }
        }
        return results;
    }

    /** The one-at-a-time path: every matching mode, and the writes a batch hands back; Done or Replayed. */
    private BatchWriter.Outcome writeAlone(BatchWriter.Item item) {
        for (int attempt = 1; ; attempt++) {
            try {
                return store.write(h -> {
                    ReceiptSql.Claim claim = null;
                    if (item.receipt() != null) {
                        claim = new ReceiptSql.Claim(item.caller().accountId(), item.receipt());
                        if (ReceiptSql.claim(h, List.of(claim), System.currentTimeMillis()).isEmpty()) {
                            ReceiptSql.Stored stored = ReceiptSql.find(h, List.of(claim)).get(claim);
                            if (stored == null) { // claimed by a transaction that has not ended: cannot happen, see ReceiptSql
                                throw new IllegalStateException("receipt without a result");
                            }
                            return new BatchWriter.Outcome.Replayed(new WriteResult(stored.profileId(), stored.created(), List.of()));
                        }
                    }
                    WriteResult result = writeOnce(h, item.caller(), item.command(), item.mode(), item.origin());
                    if (claim != null) {
                        ReceiptSql.record(h, java.util.Map.of(claim, new ReceiptSql.Stored(result.profileId(), result.created())));
                    }
                    return new BatchWriter.Outcome.Done(result);
                });
            } catch (RaceLost e) {
                if (attempt >= RACE_RETRIES) {
                    throw RosterException.conflict("the profile's keys kept changing under concurrent requests; retry");
                }
            }
        }
    }

    private WriteResult writeOnce(Handle h, Caller caller, WriteCommand command, WriteMode mode, Origin origin) {
        WriteResult result = writeProfile(h, caller, command, mode, origin);
        if (command.changesSegments()) {
            SegmentMembership membership = segments;
            if (membership == null) {
                throw RosterException.badRequest("add_to_segments and remove_from_segments are not available here");
            }
            membership.change(h, caller, command.dbId(), result.profileId(), command.addToSegments(),
                    command.removeFromSegments());
        }
        return result;
    }

    private WriteResult writeProfile(Handle h, Caller caller, WriteCommand command, WriteMode mode, Origin origin) {
        Schema schema = databases.schema(h, caller, command.dbId());
        ObjectNode data = command.data() == null ? Json.object() : command.data();
        MatchRequest match = command.match().forWrite(mode);
        Optional<String> found = mode == WriteMode.ADD ? Optional.empty() : findForImport(h, schema, match, data, mode);
        if (found.isEmpty()) {
            if (BatchWriter.mustExist(match, mode)) {
                throw match.notFound(schema.dbId());
            }
            return create(h, caller, schema, match, data, command.skipInvalidSubscriptions(), mode, origin);
        }
        return update(h, caller, schema, found.get(), data, command.skipInvalidSubscriptions());
    }

    /**
     * The profile a write means: the match, or for an import by a subscription mode (email, phone) that found no
     * subscription, the profile holding the searched address as its own key (the one such an import created).
     */
    private Optional<String> findForImport(Handle h, Schema schema, MatchRequest match, ObjectNode data, WriteMode mode) {
        Optional<String> found = matcher.find(h, schema, match, data);
        if (found.isEmpty() && mode == WriteMode.IMPORT) {
            return matcher.carriedKeyOwner(h, schema, match, data);
        }
        return found;
    }

    private WriteResult create(Handle h, Caller caller, Schema schema, MatchRequest match, ObjectNode data,
                               boolean skipInvalid, WriteMode mode, Origin origin) {
        long now = System.currentTimeMillis();
        String id = ObjectIds.next();
        data = Matcher.withMatchedKeys(match, data, schema);
        ProfileData.Applied applied = ProfileData.apply(Json.object(), data, schema);
        SubscriptionMerge.Result subscriptions = SubscriptionMerge.merge(new SubscriptionCatalog(h), caller.accountId(),
                id, List.of(), data.get("subscriptions"), schema.phoneRegion(), schema.zone(), skipInvalid, now);
        if (mode == WriteMode.IMPORT) {
            Matcher.requireSearchedSubscription(match, data, schema, subscriptions.all());
        }
        ProfileKeys.Derived keys = ProfileKeys.derive(applied.data(), subscriptions.all(), schema);
        ProfileSql.insertProfile(h, id, schema.dbId(), applied.data(), now);
        try {
            ProfileKeys.insertAll(h, schema.dbId(), id, keys);
        } catch (ProfileKeys.KeyTaken taken) {
            // a concurrent request may have created the profile this one matched for: then update that one. The match
            // may also find this new profile itself, whose matched key was claimed before the taken one: not a race.
            if (mode == WriteMode.IMPORT
                    && findForImport(h, schema, match, data, mode).filter(owner -> !owner.equals(id)).isPresent()) {
                throw new RaceLost();
            }
            throw taken.conflict();
        }
        subscriptions.inserted().forEach(s -> ProfileSql.insertSubscription(h, id, schema.dbId(), s));
        List<Event> events = new java.util.ArrayList<>();
        events.add(ProfileHistory.created(caller.tokenName(), origin == Origin.FILE, schema.dbId(), id, applied.data(), now));
        ProfileHistory.merged(events, caller.tokenName(), schema.dbId(), id, List.of(), subscriptions, now);
        History.record(h, events);
        return new WriteResult(id, true, subscriptions.skipped());
    }

    private WriteResult update(Handle h, Caller caller, Schema schema, String id, ObjectNode data, boolean skipInvalid) {
        long now = System.currentTimeMillis();
        ProfileSql.ProfileRow row = ProfileSql.lockProfile(h, schema.dbId(), id)
                .orElseThrow(RaceLost::new);
        ProfileData.Applied applied = ProfileData.apply(row.data(), data, schema);
        List<Subscription> before = ProfileSql.subscriptionsOf(h, id);
        SubscriptionMerge.Result subscriptions = SubscriptionMerge.merge(new SubscriptionCatalog(h), caller.accountId(),
                id, before, data.get("subscriptions"), schema.phoneRegion(), schema.zone(), skipInvalid, now);
        ProfileKeys.Derived keys = ProfileKeys.derive(applied.data(), subscriptions.all(), schema);
        if (row.data().has("email") && !applied.data().has("email") && keys.unique().isEmpty()) {
            throw RosterException.badRequest("email cannot be cleared: it is the profile's only identity key");
        }
        try {
            ProfileKeys.sync(h, schema.dbId(), id, keys);
        } catch (ProfileKeys.KeyTaken taken) {
            throw taken.conflict();
        }
        boolean changed = !applied.changed().isEmpty() || !subscriptions.inserted().isEmpty()
                || !subscriptions.updated().isEmpty();
        if (changed) {
            ProfileSql.updateProfile(h, id, applied.data(), now);
        }
        subscriptions.inserted().forEach(s -> ProfileSql.insertSubscription(h, id, schema.dbId(), s));
        subscriptions.updated().forEach(s -> ProfileSql.updateSubscription(h, s));
        List<Event> events = new java.util.ArrayList<>();
        ProfileHistory.fieldsChanged(events, caller.tokenName(), schema.dbId(), id, row.data(), applied.data(),
                applied.changed(), now);
        ProfileHistory.merged(events, caller.tokenName(), schema.dbId(), id, before, subscriptions, now);
        History.record(h, events);
        return new WriteResult(id, false, subscriptions.skipped(), changed);
    }

    public ObjectNode get(Caller caller, Lookup lookup) {
        return store.read(h -> {
            Schema schema = databases.schema(h, caller, lookup.dbId());
            String id = matcher.find(h, schema, lookup.match(), null).orElseThrow(() -> notFound(schema, lookup.match()));
            ProfileSql.ProfileRow row = ProfileSql.readProfile(h, schema.dbId(), id)
                    .orElseThrow(() -> notFound(schema, lookup.match()));
            return ProfileView.render(row, ProfileSql.subscriptionsOf(h, id));
        });
    }

    public String delete(Caller caller, Lookup lookup) {
        Matching mode = lookup.match().mode();
        if (!DELETE_MODES.contains(mode)) {
            throw RosterException.invalid("matching", "email, phone, profile_id or custom for profiles/delete",
                    "\"" + mode.wireName() + "\"");
        }
        return store.write(h -> {
            Schema schema = databases.schema(h, caller, lookup.dbId());
            String id = matcher.find(h, schema, lookup.match(), null).orElseThrow(() -> notFound(schema, lookup.match()));
            ProfileSql.deleteProfile(h, id);
            // after the profile's row is gone (and locked until commit): no writer can add an event behind this delete
            History.forgetProfile(h, schema.dbId(), ObjectIds.xxh(id));
            Audit.record(h, caller, "profile.delete", "database " + schema.dbId() + " profile " + id);
            return id;
        });
    }

    /** Refreshes the planner's statistics of the profile tables (after a bulk load; a no-op on SQLite). */
    public void refreshStatistics() {
        store.write(h -> {
            ProfileSql.analyze(h);
            return null;
        });
    }

    /** How many profiles the database has. */
    public long count(long dbId) {
        return store.read(h -> ProfileSql.count(h, dbId));
    }

    /**
     * Up to {@code limit} profiles of the database with ids after {@code afterId} (null: from the start), in id order,
     * as profiles/get shows them: for exports, which page through a database without holding it in memory.
     */
    public List<ObjectNode> page(long dbId, String afterId, int limit) {
        return store.read(h -> {
            List<ProfileSql.ProfileRow> rows = ProfileSql.page(h, dbId, afterId, limit);
            java.util.Map<String, List<Subscription>> subscriptions =
                    BatchSql.subscriptionsOfPage(h, rows.stream().map(ProfileSql.ProfileRow::id).toList());
            return rows.stream().map(r -> ProfileView.render(r, subscriptions.getOrDefault(r.id(), List.of()))).toList();
        });
    }

    /**
     * Profiles read by another feature's statement (columns id, db_id, data, created_at, updated_at), as profiles/get
     * shows them, in the same order; their subscriptions are read in one more statement when {@code withSubscriptions}.
     */
    public static List<ObjectNode> render(Handle h, List<ProfileModel.StoredProfile> rows, boolean withSubscriptions) {
        java.util.Map<String, List<Subscription>> subscriptions = withSubscriptions
                ? BatchSql.subscriptionsOfPage(h, rows.stream().map(ProfileModel.StoredProfile::id).toList())
                : java.util.Map.of();
        return rows.stream().map(r -> ProfileView.render(new ProfileSql.ProfileRow(r.id(), r.dbId(),
                (ObjectNode) Json.readStored(r.data()), r.createdAt(), r.updatedAt()),
                subscriptions.getOrDefault(r.id(), List.of()))).toList();
    }

    /**
     * The same, each profile as its JSON text wrapped for writing as is (see {@link ProfileView#renderJson}), with
     * {@code emails} the stored data's {@code email} member of each row (null when absent), in the same order.
     */
    public static List<JsonNode> renderRaw(Handle h, List<ProfileModel.StoredProfile> rows, List<String> emails) {
        java.util.Map<String, List<Subscription>> subscriptions =
                BatchSql.subscriptionsOfPage(h, rows.stream().map(ProfileModel.StoredProfile::id).toList());
        List<JsonNode> out = new java.util.ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            ProfileModel.StoredProfile r = rows.get(i);
            List<Subscription> subs = subscriptions.getOrDefault(r.id(), List.of());
            String json = ProfileView.renderJson(r.id(), r.dbId(), r.data(), emails.get(i), r.createdAt(),
                    r.updatedAt(), subs);
            out.add(json != null ? Json.raw(json) : ProfileView.render(new ProfileSql.ProfileRow(r.id(), r.dbId(),
                    (ObjectNode) Json.readStored(r.data()), r.createdAt(), r.updatedAt()), subs));
        }
        return out;
    }

    /** Stops taking writes after those queued are written. */
    public void close() {
        combiner.close();
    }

    private static RosterException notFound(Schema schema, MatchRequest match) {
        return match.notFound(schema.dbId());
    }

}
