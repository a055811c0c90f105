package dev.roster.segment;

import dev.roster.access.Permission;
import dev.roster.error.RosterException;
import dev.roster.http.ApiRegistry;
import dev.roster.request.Params;
import dev.roster.http.Reply;
import dev.roster.segment.SegmentModel.Changed;
import dev.roster.segment.SegmentModel.Members;
import dev.roster.segment.SegmentModel.NewSegment;
import dev.roster.segment.SegmentModel.SegmentChanges;
import java.util.Map;

/** {@code segments/*} (docs/COMPATIBILITY.md, Finding profiles and segments: the management methods are Roster extensions). */
public final class SegmentApi {
    private SegmentApi() {
    }

    record Counters(long id, long resourceId, Long dbId) {
    }

    public static void register(ApiRegistry api, SegmentService segments) {
        api.add("segments/create", Permission.CATALOG_WRITE,
                p -> new NewSegment(p.requiredId("db_id"), p.requiredString("name"), p.requiredString("type"),
                        p.raw("query")),
                (caller, c) -> Reply.data(Map.of("id", segments.create(caller, c))));
        api.add("segments/update", Permission.CATALOG_WRITE,
                p -> new SegmentChanges(p.requiredId("id"), p.optionalString("name"), p.raw("query")),
                (caller, c) -> {
                    segments.update(caller, c);
                    return Reply.data(Map.of("id", c.id()));
                });
        api.add("segments/delete", Permission.CATALOG_WRITE, p -> p.requiredId("id"),
                (caller, id) -> {
                    segments.delete(caller, id);
                    return Reply.data(Map.of("id", id));
                });
        api.add("segments/get", Permission.PROFILES_READ, p -> p.requiredId("id"),
                (caller, id) -> Reply.data(segments.get(caller, id)));
        api.add("segments/list", Permission.PROFILES_READ, p -> java.util.Optional.ofNullable(p.optionalId("db_id")),
                (caller, db) -> Reply.data(segments.list(caller, db.orElse(null))));
        api.add("segments/add_profiles", Permission.CATALOG_WRITE, SegmentApi::members,
                (caller, m) -> Reply.data(new Changed(segments.addProfiles(caller, m.id(), m.profileIds()))));
        api.add("segments/remove_profiles", Permission.CATALOG_WRITE, SegmentApi::members,
                (caller, m) -> Reply.data(new Changed(segments.removeProfiles(caller, m.id(), m.profileIds()))));
        api.add("segments/get_counters", Permission.PROFILES_READ,
                p -> new Counters(p.requiredId("id"), p.requiredId("resource_id"), database(p)),
                (caller, c) -> Reply.data(segments.counters(caller, c.id(), c.resourceId(), c.dbId())));
    }

    /** Altcraft's {@code list_id} (or {@code db_id}): the segment's database, optional; both must agree. */
    private static Long database(Params p) {
        Long listId = p.optionalId("list_id");
        Long dbId = p.optionalId("db_id");
        if (listId != null && dbId != null && !listId.equals(dbId)) {
            throw RosterException.badRequest("'list_id' " + listId + " and 'db_id' " + dbId + " name different databases");
        }
        return listId != null ? listId : dbId;
    }

    private static Members members(Params p) {
        return new Members(p.requiredId("id"), p.optionalStringList("profile_ids"));
    }
}
