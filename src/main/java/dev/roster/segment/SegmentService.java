package dev.roster.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Caller;
import dev.roster.catalog.CatalogModel.Schema;
import dev.roster.catalog.CounterService;
import dev.roster.catalog.DatabaseService;
import dev.roster.error.RosterException;
import dev.roster.history.Action;
import dev.roster.history.History;
import dev.roster.history.HistoryModel.Event;
import dev.roster.json.Json;
import dev.roster.profile.ObjectIds;
import dev.roster.profile.SegmentMembership;
import dev.roster.query.ProfileQueryService;
import dev.roster.query.ProfileQueryService.SegmentScope;
import dev.roster.segment.SegmentModel.NewSegment;
import dev.roster.segment.SegmentModel.Segment;
import dev.roster.segment.SegmentModel.SegmentChanges;
import dev.roster.store.DuplicateKeyException;
import dev.roster.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Segments of a database (docs/API.md "Segments"): static ones list their members, dynamic ones are a query whose
 * matches are the members when read. Membership changes write history events in the same transaction.
 */
public final class SegmentService implements SegmentMembership, ProfileQueryService.SegmentScopes {
    /** Most profile ids one segments/add_profiles or remove_profiles takes. */
    public static final int MAX_PROFILE_IDS = 10_000;
    private static final int MAX_NAME = 255;

    private final Store store;
    private final DatabaseService databases;
    private final ProfileQueryService queries;

    public SegmentService(Store store, DatabaseService databases, ProfileQueryService queries) {
        this.store = store;
        this.databases = databases;
        this.queries = queries;
    }

    public long create(Caller caller, NewSegment command) {
        String name = name(command.name());
        String type = command.type() == null ? "" : command.type().strip().toLowerCase(java.util.Locale.ROOT);
        if (!type.equals("static") && !type.equals("dynamic")) {
            throw RosterException.invalid("type", "\"static\" or \"dynamic\"", command.type() == null ? null
                    : "\"" + command.type() + "\"");
        }
        JsonNode query = command.query() == null || command.query().isNull() ? null : command.query();
        if (type.equals("dynamic") && query == null) {
            throw RosterException.missing("query");
        }
        if (type.equals("static") && query != null) {
            throw RosterException.badRequest("a static segment has no query: its members are added with "
                    + "segments/add_profiles or add_to_segments");
        }
        try {
            return store.write(h -> {
                Schema schema = databases.schema(h, caller, command.dbId());
                if (query != null) {
                    queries.validate(h, schema, query);
                }
                return SegmentSql.insert(h, caller.accountId(), schema.dbId(), name, type,
                        query == null ? null : Json.write(query), System.currentTimeMillis());
            });
        } catch (DuplicateKeyException e) {
            throw RosterException.conflict("database " + command.dbId() + " already has a segment named '" + name + "'");
        }
    }

    private static String name(String raw) {
        if (raw == null || raw.isBlank()) {
            throw RosterException.missing("name");
        }
        String name = raw.strip();
        if (name.length() > MAX_NAME) {
            throw RosterException.invalid("name", "at most " + MAX_NAME + " characters", name.length() + " characters");
        }
        return name;
    }

    public void update(Caller caller, SegmentChanges changes) {
        try {
            store.write(h -> {
                SegmentSql.SegmentRow row = require(h, caller, changes.id());
                String name = changes.name() == null ? row.name() : name(changes.name());
                String query = row.query();
                if (changes.query() != null && !changes.query().isNull()) {
                    if (row.isStatic()) {
                        throw RosterException.badRequest("segment " + row.id() + " is static: it has no query");
                    }
                    queries.validate(h, databases.schema(h, caller, row.dbId()), changes.query());
                    query = Json.write(changes.query());
                }
                SegmentSql.update(h, row.id(), name, query, System.currentTimeMillis());
                return null;
            });
        } catch (DuplicateKeyException e) {
            throw RosterException.conflict("the database already has a segment named '" + changes.name() + "'");
        }
    }

    /** Deletes the segment; its profiles stay. */
    public void delete(Caller caller, long id) {
        store.write(h -> {
            SegmentSql.delete(h, require(h, caller, id).id());
            return null;
        });
    }

    /** The segment with its member count (for a dynamic one: the profiles its query matches now). */
    public Segment get(Caller caller, long id) {
        return queries.readLimited(h -> {
            SegmentSql.SegmentRow row = require(h, caller, id);
            long count = row.isStatic() ? SegmentSql.memberCount(h, row.id())
                    : queries.count(h, databases.schema(h, caller, row.dbId()), scope(row));
            return view(row, count);
        });
    }

    public List<Segment> list(Caller caller, Long dbId) {
        return store.read(h -> {
            if (dbId != null) {
                databases.schema(h, caller, dbId);
            }
            return SegmentSql.list(h, caller.accountId(), dbId).stream().filter(r -> caller.reaches(r.dbId()))
                    .map(r -> view(r, null)).toList();
        });
    }

    /** segments/get_counters: the subscriptions of a resource among the segment's profiles, as databases/get_counters. */
    public List<Object> counters(Caller caller, long id, long resourceId, Long dbId) {
        return queries.readLimited(h -> {
            SegmentSql.SegmentRow row = require(h, caller, id);
            if (dbId != null && dbId != row.dbId()) {
                // Altcraft's callers send the segment's database (list_id) along; another one names no such segment
                throw RosterException.notFound("segment " + id + " not found in database " + dbId);
            }
            Schema schema = databases.schema(h, caller, row.dbId());
            return CounterService.tally(h, caller, resourceId, row.dbId(), queries.subscriptionCounts(h, schema, scope(row), resourceId));
        });
    }

    /** segments/add_profiles: the profiles of the segment's database join it; returns how many were not members. */
    public long addProfiles(Caller caller, long id, List<String> profileIds) {
        return changeProfiles(caller, id, profileIds, true);
    }

    /** segments/remove_profiles: returns how many were members. */
    public long removeProfiles(Caller caller, long id, List<String> profileIds) {
        return changeProfiles(caller, id, profileIds, false);
    }

    private long changeProfiles(Caller caller, long id, List<String> profileIds, boolean add) {
        if (profileIds == null || profileIds.isEmpty()) {
            throw RosterException.missing("profile_ids");
        }
        if (profileIds.size() > MAX_PROFILE_IDS) {
            throw RosterException.tooLarge("'profile_ids' has " + profileIds.size() + " items, over the limit of "
                    + MAX_PROFILE_IDS);
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String p : profileIds) {
            if (p == null || !ObjectIds.isValid(p)) {
                throw RosterException.invalid("profile_ids", "an array of profile ids (24 hex characters)",
                        p == null ? null : "\"" + p + "\"");
            }
            ids.add(p);
        }
        return store.write(h -> {
            SegmentSql.SegmentRow row = requireStatic(h, caller, id);
            databases.schema(h, caller, row.dbId());
            List<String> wanted = new ArrayList<>(ids);
            Set<String> existing = SegmentSql.existing(h, row.dbId(), wanted);
            for (String p : wanted) {
                if (!existing.contains(p)) {
                    throw RosterException.notFound("profile " + p + " not found in database " + row.dbId());
                }
            }
            long now = System.currentTimeMillis();
            // one statement for the set; the events in the order the ids were sent
            Set<String> changed = add ? SegmentSql.addAll(h, row.id(), wanted, now) : SegmentSql.removeAll(h, row.id(), wanted);
            List<Event> events = new ArrayList<>();
            for (String p : wanted) {
                if (changed.contains(p)) {
                    events.add(event(caller, row.dbId(), p, row.id(), add, now));
                }
            }
            History.record(h, events);
            return (long) events.size();
        });
    }

    @Override
    public void change(Handle h, Caller caller, long dbId, String profileId, List<Long> add, List<Long> remove) {
        changeAll(h, caller, dbId, List.of(profileId), add, remove);
    }

    @Override
    public void changeAll(Handle h, Caller caller, long dbId, List<String> profileIds, List<Long> add,
                          List<Long> remove) {
        long now = System.currentTimeMillis();
        List<Long> joined = new ArrayList<>();
        for (long id : add) {
            joined.add(requireStaticOf(h, caller, dbId, id, "add_to_segments").id());
        }
        List<Long> left = new ArrayList<>();
        for (long id : remove) {
            left.add(requireStaticOf(h, caller, dbId, id, "remove_from_segments").id());
        }
        List<String> distinct = profileIds.stream().distinct().toList();
        if (distinct.isEmpty()) {
            return;
        }
        // a statement per segment; the events a profile at a time, in the order of the segments given
        Map<Long, java.util.Set<String>> added = new java.util.HashMap<>();
        for (long segment : joined) {
            added.computeIfAbsent(segment, k -> new java.util.HashSet<>()).addAll(SegmentSql.addAll(h, segment, distinct, now));
        }
        Map<Long, java.util.Set<String>> removed = new java.util.HashMap<>();
        for (long segment : left) {
            removed.computeIfAbsent(segment, k -> new java.util.HashSet<>()).addAll(SegmentSql.removeAll(h, segment, distinct));
        }
        List<Event> events = new ArrayList<>();
        for (String profileId : distinct) {
            for (long segment : joined) {
                if (added.get(segment).remove(profileId)) {
                    events.add(event(caller, dbId, profileId, segment, true, now));
                }
            }
            for (long segment : left) {
                if (removed.get(segment).remove(profileId)) {
                    events.add(event(caller, dbId, profileId, segment, false, now));
                }
            }
        }
        History.record(h, events);
    }

    /**
     * Moves the static segment memberships of the {@code from} profiles to {@code to} (profiles/merge), in the
     * caller's transaction: {@code to} joins every static segment they were in, and their member rows go.
     */
    public static void moveMemberships(Handle h, List<String> fromProfileIds, String toProfileId) {
        if (fromProfileIds.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        for (long segment : SegmentSql.segmentsOf(h, fromProfileIds)) {
            SegmentSql.add(h, segment, toProfileId, now);
        }
        SegmentSql.deleteMembers(h, fromProfileIds.stream().filter(p -> !p.equals(toProfileId)).toList());
    }

    @Override
    public void move(Handle h, List<String> from, String to) {
        moveMemberships(h, from, to);
    }

    @Override
    public void copy(Handle h, String from, String to) {
        long now = System.currentTimeMillis();
        for (long segment : SegmentSql.segmentsOf(h, List.of(from))) {
            SegmentSql.add(h, segment, to, now);
        }
    }

    @Override
    public SegmentScope resolve(Handle h, Caller caller, long dbId, long segmentId) {
        SegmentSql.SegmentRow row = SegmentSql.find(h, caller.accountId(), segmentId)
                .filter(r -> r.dbId() == dbId)
                .orElseThrow(() -> RosterException.notFound("segment " + segmentId + " not found in database " + dbId));
        return scope(row);
    }

    /** The segment's database id and its scope, for exports of a segment. */
    public record Source(long dbId, SegmentScope scope) {
    }

    public Source source(Caller caller, long id) {
        return store.read(h -> {
            SegmentSql.SegmentRow row = require(h, caller, id);
            return new Source(row.dbId(), scope(row));
        });
    }

    private static SegmentScope scope(SegmentSql.SegmentRow row) {
        return row.isStatic() ? new SegmentScope(row.id(), null) : new SegmentScope(null, Json.readStored(row.query()));
    }

    private SegmentSql.SegmentRow require(Handle h, Caller caller, long id) {
        SegmentSql.SegmentRow row = SegmentSql.find(h, caller.accountId(), id)
                .filter(r -> caller.reaches(r.dbId()))
                .orElseThrow(() -> RosterException.notFound("segment " + id + " not found"));
        return row;
    }

    private SegmentSql.SegmentRow requireStatic(Handle h, Caller caller, long id) {
        SegmentSql.SegmentRow row = require(h, caller, id);
        if (!row.isStatic()) {
            throw RosterException.badRequest("segment " + id + " is dynamic: its members are the profiles its query "
                    + "matches");
        }
        return row;
    }

    private static SegmentSql.SegmentRow requireStaticOf(Handle h, Caller caller, long dbId, long id, String parameter) {
        SegmentSql.SegmentRow row = SegmentSql.find(h, caller.accountId(), id).filter(r -> r.dbId() == dbId)
                .orElseThrow(() -> RosterException.notFound("segment " + id + " of '" + parameter
                        + "' not found in database " + dbId));
        if (!row.isStatic()) {
            throw RosterException.invalid(parameter, "ids of static segments (segment " + id + " is dynamic)", id);
        }
        return row;
    }

    private static Event event(Caller caller, long dbId, String profileId, long segmentId, boolean add, long now) {
        ObjectNode detail = Json.object().put("segment_id", segmentId);
        return new Event(dbId, profileId, ObjectIds.xxh(profileId), now, add ? Action.SEGMENT_ADD : Action.SEGMENT_REMOVE,
                caller.tokenName(), null, detail);
    }

    private static Segment view(SegmentSql.SegmentRow row, Long count) {
        return new Segment(row.id(), row.dbId(), row.name(), row.type(),
                row.query() == null ? null : Json.readStored(row.query()),
                Instant.ofEpochMilli(row.createdAt()).toString(), Instant.ofEpochMilli(row.updatedAt()).toString(), count);
    }
}
