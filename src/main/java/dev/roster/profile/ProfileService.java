package dev.roster.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Caller;
import dev.roster.access.Audit;
import dev.roster.catalog.CatalogModel.Schema;
import dev.roster.catalog.DatabaseService;
import dev.roster.error.RosterException;
import dev.roster.history.History;
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
        this.batchWriter = new BatchWriter(store, databases, () -> segments);
        this.combiner = new WriteCombiner(items -> store.write(h -> batchWriter.write(h, items, false)),
                store.writeConcurrency(), MAX_COMBINED);
        this.matcher = new Matcher(store);
    }

    /** Wires the segment feature in: add_to_segments / remove_from_segments of writes go through it. */
    public void useSegments(SegmentMembership membership) {
        this.segments = membership;
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
            case BatchWriter.Outcome.Deferred deferred -> throw new IllegalStateException("an unordered batch deferred a write");
        };
    }

    /**
     * subscriptions/set ({@code deleted} null: the members sent applied to the subscription at their address, or a new
     * one added) and subscriptions/delete and restore ({@code deleted}: its soft-delete flag set so) of the profile with
     * that id, written as a batch of one: the profile locked, its identity keys kept in step (409 for a key another
     * profile holds), the change recorded in its history, as every profile write is. Answers the subscription as
     * stored and whether it was added.
     */
    public ProfileSubscriptions.Written writeSubscription(Caller caller, long dbId, String profileId, JsonNode members,
                                                          Boolean deleted) {
        return untilNoRace(() -> store.write(h -> {
            Schema schema = databases.schema(h, caller, dbId);
            SubscriptionInput sent = SubscriptionInput.parseRequest(members, schema.phoneRegion());
            ProfileSubscriptions.checkProfileId(profileId);
            ProfileSubscriptions.checkResource(h, caller.accountId(), dbId, sent.resourceId(),
                    deleted == null ? sent.channel() : null);
            BatchWriter.Item item = new BatchWriter.Item(caller,
                    new WriteCommand(dbId, MatchRequest.byProfileId(profileId), Json.object(), false),
                    WriteMode.UPDATE, Origin.API, null, new BatchWriter.SubscriptionEdit(sent, deleted));
            return switch (batchWriter.write(h, List.of(item), false).get(0)) {
                case BatchWriter.Outcome.Done done -> java.util.Optional.of(new ProfileSubscriptions.Written(
                        ProfileSubscriptions.stored(h, profileId, sent), done.subscriptionAdded()));
                case BatchWriter.Outcome.Failed failed -> throw failed.error();
                case BatchWriter.Outcome.Retry retry -> java.util.Optional.<ProfileSubscriptions.Written>empty();
                case BatchWriter.Outcome.Replayed replayed -> throw new IllegalStateException("no receipt was sent");
                case BatchWriter.Outcome.Deferred deferred -> throw new IllegalStateException("a batch of one deferred");
            };
        }));
    }

    /** Deletes the receipts of keyed writes older than {@code before}; returns how many. */
    public int pruneReceipts(java.time.Instant before) {
        return store.write(h -> ReceiptSql.prune(h, before.toEpochMilli()));
    }

    /**
     * A batch method: every item applied whole or reported failed, in their order, with set-based statements in as few
     * transactions as the items allow: one, unless an item is matched by a lookup that could depend on the items
     * before it (see BatchWriter), where the transaction ends before it and the rest is the next one. An item that
     * lost a race for a key is written again on its own. Items of the batch that wrote the same profile are named in
     * each other's results (the later ones win, field by field).
     */
    public List<ProfileModel.ItemResult> writeBatch(Caller caller, List<WriteCommand> commands, WriteMode mode) {
        return writeBatch(caller, commands, mode, Origin.API);
    }

    /** {@link #writeBatch(Caller, List, WriteMode)} for writes that come from {@code origin}. */
    public List<ProfileModel.ItemResult> writeBatch(Caller caller, List<WriteCommand> commands, WriteMode mode,
                                                    Origin origin) {
        return writeBatch(caller, commands, mode, origin, ProfileModel.BatchTurn.ALONE);
    }

    /**
     * {@link #writeBatch(Caller, List, WriteMode, Origin)} taking its turn after another batch: {@code turn}'s
     * {@code beforeLocking} runs before the first lock, and its {@code holding} once the batch's last transaction
     * holds every profile and key it writes (see BatchWriter), or at the latest when the batch is written (or fails).
     * A batch that locks after that point waits for this one on whatever the two share, so they apply in this order.
     */
    public List<ProfileModel.ItemResult> writeBatch(Caller caller, List<WriteCommand> commands, WriteMode mode,
                                                    Origin origin, ProfileModel.BatchTurn turn) {
        java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable once = () -> {
            if (held.compareAndSet(false, true)) {
                turn.holding().run();
            }
        };
        try {
            return writeBatchInOrder(caller, commands, mode, origin,
                    new ProfileModel.BatchTurn(turn.beforeLocking(), once));
        } finally {
            once.run();
        }
    }

    private List<ProfileModel.ItemResult> writeBatchInOrder(Caller caller, List<WriteCommand> commands, WriteMode mode,
                                                            Origin origin, ProfileModel.BatchTurn turn) {
        if (!commands.isEmpty()) {
            store.read(h -> databases.schema(h, caller, commands.get(0).dbId())); // an unknown database fails the request
        }
        List<BatchWriter.Item> items = commands.stream().map(c -> new BatchWriter.Item(caller, c, mode, origin)).toList();
        BatchWriter.Outcome[] outcomes = new BatchWriter.Outcome[items.size()];
        // a batch stops where an item needs a batch of its own; the rest is the next batch, so items apply in order
        for (int from = 0; from < items.size(); ) {
            List<BatchWriter.Item> rest = items.subList(from, items.size());
            List<BatchWriter.Outcome> written;
            try {
                written = store.write(h -> batchWriter.write(h, rest, true, turn));
            } catch (RosterException e) {
                throw e; // storage refusals of the whole request stay whole; anything else is retried item by item
            } catch (RuntimeException e) {
                written = rest.stream().map(i -> (BatchWriter.Outcome) new BatchWriter.Outcome.Retry()).toList();
            }
            int next = items.size();
            for (int k = 0; k < written.size(); k++) {
                BatchWriter.Outcome outcome = written.get(k);
                if (outcome instanceof BatchWriter.Outcome.Deferred) {
                    next = Math.min(next, from + k);
                    continue;
                }
                if (outcome instanceof BatchWriter.Outcome.Retry) {
                    try {
                        outcome = writeAlone(rest.get(k));
                    } catch (RosterException e) {
                        outcome = new BatchWriter.Outcome.Failed(e);
                    }
                }
                outcomes[from + k] = outcome;
            }
            if (next <= from) {
                throw new IllegalStateException("a batch wrote none of its items");
            }
            from = next;
        }
        List<ProfileModel.ItemResult> results = new java.util.ArrayList<>();
        java.util.Map<String, List<Integer>> byProfile = new java.util.HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            BatchWriter.Outcome outcome = outcomes[i];
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

    /**
     * A write handed back by a larger batch, written as a batch of its own (see {@link BatchWriter}); again when it
     * lost a race for a new key, and then it finds the winner's profile. Done, Replayed or Failed.
     */
    private BatchWriter.Outcome writeAlone(BatchWriter.Item item) {
        return untilNoRace(() -> java.util.Optional.of(store.write(h -> batchWriter.write(h, List.of(item), false))
                .get(0)).filter(outcome -> !(outcome instanceof BatchWriter.Outcome.Retry)));
    }

    /** Runs the write (a transaction of its own) again while it lost a race (empty), at most RACE_RETRIES times. */
    private static <T> T untilNoRace(java.util.function.Supplier<java.util.Optional<T>> write) {
        for (int attempt = 1; attempt <= RACE_RETRIES; attempt++) {
            java.util.Optional<T> done = write.get();
            if (done.isPresent()) {
                return done.get();
            }
        }
        throw RosterException.conflict("the profile's keys kept changing under concurrent requests; retry");
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
