package dev.roster.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Caller;
import dev.roster.access.Permission;
import dev.roster.access.Audit;
import dev.roster.catalog.CatalogModel.Field;
import dev.roster.catalog.CatalogModel.Schema;
import dev.roster.catalog.Channel;
import dev.roster.catalog.DatabaseService;
import dev.roster.error.RosterException;
import dev.roster.history.Action;
import dev.roster.history.History;
import dev.roster.history.HistoryModel.Event;
import dev.roster.json.Json;
import dev.roster.profile.ProfileModel.MatchRequest;
import dev.roster.store.Store;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * {@code profiles/merge} and {@code profiles/split} (docs/API.md, "Merging and splitting profiles"). Each is one
 * transaction. Keys move in an order that never shows the unique index two owners of one key: the profiles that give
 * keys away release them before the profiles that take them claim them.
 */
public final class MergeService {
    /** Most source profiles one merge takes. */
    public static final int MAX_SOURCES = 100;
    /** Most new profiles one split makes. */
    public static final int MAX_DESTINATIONS = 100;

    private final Store store;
    private final DatabaseService databases;
    private final Matcher matcher;

    private final SegmentMembership segments;
    private final BatchWriter writer;

    public MergeService(Store store, DatabaseService databases, SegmentMembership segments) {
        this.store = store;
        this.databases = databases;
        this.matcher = new Matcher(store);
        this.segments = segments;
        this.writer = new BatchWriter(store, databases, () -> segments);
    }

    /** A merge: the sources go into the destination (a new profile when null), then {@code data} is applied. */
    public record MergeCommand(long dbId, List<MatchRequest> sources, MatchRequest destination, ObjectNode data,
                               boolean subscriptions, boolean history, boolean staticSegments) {
    }

    public record Merged(String profileId, List<String> merged) {
    }

    /**
     * The keys one new profile of a split takes off the source: an email, phones, push subscriptions
     * ({@code provider}, {@code subscription_id}) and values of unique fields (by name).
     */
    public record SplitTarget(String email, List<String> phones, List<String[]> pushes, Map<String, JsonNode> fields) {
    }

    public record SplitCommand(long dbId, MatchRequest source, List<SplitTarget> destinations, ObjectNode data,
                               boolean subscriptions, boolean history, boolean staticSegments) {
    }

    public record Split(String profileId, List<String> profiles) {
    }

    public Merged merge(Caller caller, MergeCommand command) {
        if (!command.subscriptions() || !command.history()) {
            // the sources' subscriptions or history are then deleted with them: that is deleting profile data
            caller.require(Permission.PROFILES_DELETE);
        }
        return store.write(h -> {
            Schema schema = databases.schema(h, caller, command.dbId());
            long dbId = schema.dbId();
            long now = System.currentTimeMillis();
            List<String> sourceIds = new ArrayList<>();
            for (int i = 0; i < command.sources().size(); i++) {
                String id = find(h, schema, command.sources().get(i), "source[" + i + "]");
                int same = sourceIds.indexOf(id);
                if (same >= 0) {
                    throw RosterException.badRequest("source[" + same + "] and source[" + i + "] name the same profile "
                            + id);
                }
                sourceIds.add(id);
            }
            String destId = null;
            if (command.destination() != null) {
                destId = find(h, schema, command.destination(), "destination");
                int same = sourceIds.indexOf(destId);
                if (same >= 0) {
                    throw RosterException.badRequest("the destination is also source[" + same + "] (profile " + destId
                            + "): a profile cannot be merged into itself");
                }
            }
            List<String> all = new ArrayList<>(sourceIds);
            if (destId != null) {
                all.add(destId);
            }
            Map<String, ProfileSql.ProfileRow> rows = new HashMap<>();
            for (ProfileSql.ProfileRow row : BatchSql.lockProfiles(h, all.stream().sorted().toList())) {
                rows.put(row.id(), row);
            }
            for (String id : all) {
                if (!rows.containsKey(id)) { // deleted by a concurrent request after it was found
                    throw RosterException.notFound("profile " + id + " not found in database " + dbId);
                }
            }
            // newest source last, so that its values win over older sources'; the destination's win over all
            List<ProfileSql.ProfileRow> sources = sourceIds.stream().map(rows::get)
                    .sorted(Comparator.comparingLong(ProfileSql.ProfileRow::createdAt).thenComparing(ProfileSql.ProfileRow::id))
                    .toList();
            ProfileSql.ProfileRow dest = destId == null ? null : rows.get(destId);
            ObjectNode merged = Json.object();
            Set<String> phones = new LinkedHashSet<>();
            if (dest != null) {
                dest.data().path("phones").forEach(p -> phones.add(p.asText()));
            }
            for (int i = sources.size() - 1; i >= 0; i--) {
                sources.get(i).data().path("phones").forEach(p -> phones.add(p.asText()));
            }
            for (ProfileSql.ProfileRow source : sources) {
                merged.setAll(source.data().deepCopy());
            }
            if (dest != null) {
                merged.setAll(dest.data().deepCopy());
            }
            if (!phones.isEmpty()) {
                ArrayNode list = merged.putArray("phones");
                phones.forEach(list::add);
            }

            // the sources give up their keys before the destination claims any
            sourceIds.forEach(id -> MergeSql.releaseKeys(h, id));
            String target = destId;
            if (target == null) {
                target = ObjectIds.next();
                ProfileSql.insertProfile(h, target, dbId, Json.object(), now);
            }
            List<Subscription> kept = ProfileSql.subscriptionsOf(h, target);
            if (command.subscriptions()) {
                Set<String> taken = new HashSet<>();
                kept.forEach(s -> taken.add(s.key()));
                for (int i = sources.size() - 1; i >= 0; i--) { // newest source first: its subscription wins a tie
                    for (Subscription s : ProfileSql.subscriptionsOf(h, sources.get(i).id())) {
                        if (taken.add(s.key())) {
                            MergeSql.moveSubscription(h, s.id(), target, ObjectIds.subscriptionHash(target,
                                    s.resourceId(), s.channel().wireName(), s.address()));
                        }
                    }
                }
            }
            ObjectNode head = Json.object();
            ArrayNode ids = head.putArray("merged");
            sourceIds.forEach(ids::add);
            reshape(h, caller, schema, target, merged, command.data(), Action.MERGE, head);
            if (command.history()) {
                for (ProfileSql.ProfileRow source : sources) {
                    History.moveProfile(h, dbId, ObjectIds.xxh(source.id()), target, ObjectIds.xxh(target));
                }
            } else {
                sources.forEach(source -> History.forgetProfile(h, dbId, ObjectIds.xxh(source.id())));
            }
            if (command.staticSegments()) {
                segments.move(h, sourceIds, target);
            }
            for (String id : sourceIds) {
                ProfileSql.deleteProfile(h, id);
                Audit.record(h, caller, "profile.merge", "database " + dbId + " profile " + id
                        + " merged into " + target);
            }

            List<Event> events = new ArrayList<>();
            for (String id : sourceIds) {
                // after the source's own events moved or went: this one stays under its xxh, telling where it went
                events.add(new Event(dbId, id, ObjectIds.xxh(id), now, Action.MERGED_INTO, caller.tokenName(), null,
                        Json.object().put("profile_id", target)));
            }
            History.record(h, events);
            return new Merged(target, sourceIds);
        });
    }

    public Split split(Caller caller, SplitCommand command) {
        return store.write(h -> {
            Schema schema = databases.schema(h, caller, command.dbId());
            long dbId = schema.dbId();
            long now = System.currentTimeMillis();
            String sourceId = find(h, schema, command.source(), "source");
            ProfileSql.ProfileRow source = ProfileSql.lockProfile(h, dbId, sourceId)
                    .orElseThrow(() -> RosterException.notFound("profile " + sourceId + " not found in database " + dbId));
            ObjectNode remaining = source.data().deepCopy();
            List<Subscription> subscriptions = ProfileSql.subscriptionsOf(h, sourceId);
            Set<Long> movedSubscriptions = new HashSet<>();
            Set<String> claimed = new HashSet<>();
            List<ObjectNode> newData = new ArrayList<>();
            List<List<Subscription>> newSubscriptions = new ArrayList<>();
            for (int i = 0; i < command.destinations().size(); i++) {
                String where = "destination[" + i + "]";
                SplitTarget target = command.destinations().get(i);
                ObjectNode data = Json.object();
                List<Subscription> taking = new ArrayList<>();
                if (target.email() != null) {
                    String key = Normalizer.emailKey(target.email());
                    claim(claimed, "email:" + key, where);
                    JsonNode email = remaining.get("email");
                    boolean held = false;
                    if (email != null && email.isTextual() && Normalizer.emailKey(email.textValue()).equals(key)) {
                        data.set("email", email);
                        remaining.remove("email");
                        held = true;
                    }
                    held |= take(subscriptions, Channel.EMAIL, key, taking);
                    if (!held) {
                        throw notHeld(where, "email '" + target.email() + "'", sourceId);
                    }
                }
                for (String raw : target.phones()) {
                    String phone = Normalizer.phone(where + ".phone", raw, schema.phoneRegion());
                    claim(claimed, "phone:" + phone, where);
                    boolean held = false;
                    JsonNode phones = remaining.get("phones");
                    if (phones != null && phones.isArray()) {
                        ArrayNode left = Json.array();
                        for (JsonNode p : phones) {
                            if (p.asText().equals(phone)) {
                                held = true;
                            } else {
                                left.add(p);
                            }
                        }
                        if (held) {
                            if (left.isEmpty()) {
                                remaining.remove("phones");
                            } else {
                                remaining.set("phones", left);
                            }
                            data.withArray("phones").add(phone);
                        }
                    }
                    held |= take(subscriptions, Channel.SMS, phone, taking);
                    if (!held) {
                        throw notHeld(where, "phone '" + phone + "'", sourceId);
                    }
                }
                for (String[] push : target.pushes()) {
                    String address = push[0] + SubscriptionInput.PUSH_SEPARATOR + push[1];
                    claim(claimed, "push:" + address, where);
                    if (!take(subscriptions, Channel.PUSH, address, taking)) {
                        throw notHeld(where, "push subscription '" + push[0] + "/" + push[1] + "'", sourceId);
                    }
                }
                for (Map.Entry<String, JsonNode> entry : target.fields().entrySet()) {
                    Field field = schema.field(entry.getKey());
                    if (field == null || !field.unique()) {
                        throw RosterException.invalid(where + ".field_name", "the name of a unique custom field of "
                                + "database " + dbId + " (only identity keys are taken off)", "\"" + entry.getKey() + "\"");
                    }
                    JsonNode value = remaining.get(field.name());
                    String wanted = entry.getValue().isNumber() ? ProfileKeys.valueText(field.type(), entry.getValue())
                            : entry.getValue().asText();
                    claim(claimed, "field:" + field.name(), where);
                    if (value == null || value.isNull() || !ProfileKeys.valueText(field.type(), value).equals(wanted)) {
                        throw notHeld(where, "value '" + entry.getValue().asText() + "' of field '" + field.name() + "'",
                                sourceId);
                    }
                    data.set(field.name(), value);
                    remaining.remove(field.name());
                }
                if (!command.subscriptions() && !taking.isEmpty()) {
                    Subscription s = taking.get(0);
                    throw RosterException.badRequest(where + ": the source's " + s.channel().wireName()
                            + " subscription to resource " + s.resourceId() + " identifies the address that moves, so "
                            + "it must move with it; send \"subscriptions\": true (the default)");
                }
                taking.forEach(s -> movedSubscriptions.add(s.id()));
                newData.add(data);
                newSubscriptions.add(taking);
            }
            List<Subscription> left = subscriptions.stream().filter(s -> !movedSubscriptions.contains(s.id())).toList();
            ProfileKeys.Derived sourceKeys = ProfileKeys.derive(remaining, left, schema);
            if (sourceKeys.unique().isEmpty() && sourceKeys.lookups().isEmpty()) {
                throw RosterException.badRequest("the split would take every identity key off profile " + sourceId
                        + ": it must keep at least one (an email, a phone, a subscription or a unique field)");
            }
            // the new profiles' rows, the subscriptions that move to them and their copies of the source's history
            // and segments first; then the source, whose write releases the keys that move; then the new profiles,
            // whose writes claim them
            List<String> created = new ArrayList<>();
            for (int i = 0; i < newData.size(); i++) {
                String id = ObjectIds.next();
                created.add(id);
                ProfileSql.insertProfile(h, id, dbId, Json.object(), now);
                for (Subscription s : newSubscriptions.get(i)) {
                    MergeSql.moveSubscription(h, s.id(), id, ObjectIds.subscriptionHash(id, s.resourceId(),
                            s.channel().wireName(), s.address()));
                }
                if (command.history()) {
                    History.copyProfile(h, dbId, ObjectIds.xxh(sourceId), id, ObjectIds.xxh(id));
                }
                if (command.staticSegments()) {
                    segments.copy(h, sourceId, id);
                }
            }
            ObjectNode detail = Json.object();
            ArrayNode ids = detail.putArray("profiles");
            created.forEach(ids::add);
            reshape(h, caller, schema, sourceId, remaining, null, Action.SPLIT, detail);
            for (int i = 0; i < created.size(); i++) {
                reshape(h, caller, schema, created.get(i), newData.get(i), command.data(), Action.SPLIT_FROM,
                        Json.object().put("profile_id", sourceId));
            }
            Audit.record(h, caller, "profile.split", "database " + dbId + " profile " + sourceId + " split into "
                    + String.join(", ", created));
            return new Split(sourceId, created);
        });
    }

    /**
     * The write of a merge's destination, a split's source or one of its new profiles, through the pipeline every
     * profile write takes:
     * its fields become {@code fields}, {@code data} is applied (fields and subscriptions, with field functions), its
     * keys become those of the result (409 when another profile holds one), and its history records {@code action}
     * with {@code detail} and the fields' changes, then the subscriptions {@code data} added or changed.
     */
    private void reshape(Handle h, Caller caller, Schema schema, String id, ObjectNode fields, ObjectNode data,
                         Action action, ObjectNode detail) {
        BatchWriter.Item item = new BatchWriter.Item(caller, new ProfileModel.WriteCommand(schema.dbId(),
                MatchRequest.byProfileId(id), data == null ? Json.object() : data, false),
                ProfileModel.WriteMode.UPDATE, ProfileModel.Origin.API, null, new BatchWriter.Reshape(fields, action, detail));
        switch (writer.write(h, List.of(item), false).get(0)) {
            case BatchWriter.Outcome.Done done -> {
            }
            case BatchWriter.Outcome.Failed failed -> throw failed.error();
            // the profiles are locked: only a key another writer claimed and gave up meanwhile lands here
            default -> throw RosterException.conflict("the profiles' keys changed under a concurrent request; retry");
        }
    }

    private String find(Handle h, Schema schema, MatchRequest match, String where) {
        try {
            return matcher.find(h, schema, match, null).orElseThrow(() -> RosterException.notFound(where
                    + ": profile not found in database " + schema.dbId() + " by matching '"
                    + match.mode().wireName() + "'"));
        } catch (RosterException e) {
            if (e.getMessage().startsWith(where + ":")) {
                throw e;
            }
            throw new RosterException(e.code(), where + ": " + e.getMessage());
        }
    }

    /** Moves the source's subscriptions of the channel at the address to {@code taking}; whether there was one. */
    private static boolean take(List<Subscription> subscriptions, Channel channel, String address,
                                List<Subscription> taking) {
        boolean any = false;
        for (Subscription s : subscriptions) {
            if (s.channel() == channel && s.address().equals(address)) {
                taking.add(s);
                any = true;
            }
        }
        return any;
    }

    private static void claim(Set<String> claimed, String key, String where) {
        if (!claimed.add(key)) {
            throw RosterException.badRequest(where + " names a key that an earlier destination takes already");
        }
    }

    private static RosterException notHeld(String where, String key, String sourceId) {
        return RosterException.badRequest(where + ": the source profile " + sourceId + " does not hold " + key);
    }
}
