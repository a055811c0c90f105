package dev.roster.query;

import dev.roster.access.Permission;
import dev.roster.http.ApiRegistry;
import dev.roster.request.Params;
import dev.roster.http.Reply;
import java.util.List;
import java.util.Map;

/** {@code profiles/list} (docs/COMPATIBILITY.md, Finding profiles and segments) and {@code profiles/count} (a Roster extension). */
public final class QueryApi {
    private QueryApi() {
    }

    record ListRequest(long dbId, Long segmentId, com.fasterxml.jackson.databind.JsonNode query, List<String> fields,
                       String fromId, int limit) {
    }

    public static void register(ApiRegistry api, ProfileQueryService queries) {
        api.add("profiles/list", Permission.PROFILES_READ,
                p -> new ListRequest(p.requiredId("db_id"), p.optionalId("segment_id"), p.raw("query"),
                        p.optionalStringList("fields"), p.optionalString("from_id"),
                        p.optionalInt("limit", ProfileQueryService.MAX_LIMIT, 1, ProfileQueryService.MAX_LIMIT)),
                (caller, r) -> {
                    ProfileQueryService.ApiPage page = queries.listForApi(caller, r.dbId(), r.segmentId(), r.query(),
                            r.fields(), r.fromId(), r.limit());
                    // already trees: handing Reply a list would copy every profile through another tree
                    com.fasterxml.jackson.databind.node.ArrayNode data = dev.roster.json.Json.array();
                    data.addAll(page.profiles());
                    Reply reply = Reply.data(data);
                    if (page.nextFromId() != null) {
                        reply.with("next_from_id", page.nextFromId());
                    }
                    return reply;
                });
        api.add("profiles/count", Permission.PROFILES_READ,
                p -> new ListRequest(p.requiredId("db_id"), p.optionalId("segment_id"), p.raw("query"), null, null, 1),
                (caller, r) -> Reply.data(Map.of("count", queries.count(caller, r.dbId(), r.segmentId(), r.query()))));
    }
}
