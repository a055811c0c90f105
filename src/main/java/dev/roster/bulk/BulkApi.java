package dev.roster.bulk;

import dev.roster.access.Permission;
import dev.roster.catalog.CounterService;
import dev.roster.http.ApiRegistry;
import dev.roster.http.Reply;
import dev.roster.json.Json;
import dev.roster.segment.SegmentService;

/** {@code profiles/get_all}, {@code tasks/status}, {@code tasks/delete} and the downloads of finished exports. */
public final class BulkApi {
    private BulkApi() {
    }

    public static void register(ApiRegistry api, Exports exports) {
        api.add("profiles/get_all", Permission.PROFILES_READ,
                p -> new Exports.Request(p.requiredString("source_type"), p.requiredId("source_id"),
                        p.optionalString("file_format"), p.optionalObject("custom_request")),
                (caller, request) -> Reply.data(Json.object().put("task_id", exports.start(caller, request))));
        api.add("tasks/status", Permission.PROFILES_READ,
                p -> p.requiredNonBlank("task_id"),
                (caller, taskId) -> Reply.data(exports.status(caller, taskId)));
        api.add("tasks/delete", Permission.PROFILES_READ,
                p -> p.requiredNonBlank("task_id"),
                (caller, taskId) -> {
                    exports.delete(caller, taskId);
                    return Reply.data(Json.object().put("task_id", taskId));
                });
        api.setDownloads(exports::find);
    }

    record RefreshRequest(long id, Long otherId, Feedback feedback) {
    }

    record SegmentRefresh(RefreshRequest request, long resourceId, Long dbId) {
    }

    /**
     * {@code databases/refresh_counters}, {@code resources/refresh_counters} and {@code segments/refresh_counters}
     * (whose counts are counted when asked): Roster's counters are exact at every
     * commit, so the task is complete when it is answered; its result carries the counters, and {@code feedback}
     * receives the same at once (docs/API.md, "Counters").
     */
    public static void registerRefreshCounters(ApiRegistry api, Exports exports, CounterService counters,
                                               SegmentService segments) {
        api.add("databases/refresh_counters", Permission.CATALOG_READ,
                p -> new RefreshRequest(p.requiredId("id"), p.optionalId("resource_id"),
                        Feedback.parse(p.optionalObject("feedback"))),
                (caller, r) -> refreshed(exports, caller, r, "database",
                        counters.ofDatabase(caller, r.id(), r.otherId())));
        api.add("resources/refresh_counters", Permission.CATALOG_READ,
                p -> {
                    Long dbId = p.optionalId("list_id");
                    Long alias = p.optionalId("db_id");
                    if (dbId != null && alias != null) {
                        throw dev.roster.error.RosterException.badRequest("send 'list_id' or 'db_id', not both");
                    }
                    return new RefreshRequest(p.requiredId("id"), dbId != null ? dbId : alias,
                            Feedback.parse(p.optionalObject("feedback")));
                },
                (caller, r) -> refreshed(exports, caller, r, "resource",
                        counters.ofResource(caller, r.id(), r.otherId())));
        // the parameters of segments/get_counters (Altcraft's callers send list_id along), and feedback
        api.add("segments/refresh_counters", Permission.PROFILES_READ,
                p -> {
                    Long listId = p.optionalId("list_id");
                    Long dbId = p.optionalId("db_id");
                    if (listId != null && dbId != null && !listId.equals(dbId)) {
                        throw dev.roster.error.RosterException.badRequest("'list_id' " + listId + " and 'db_id' "
                                + dbId + " name different databases");
                    }
                    long resourceId = p.requiredId("resource_id");
                    return new SegmentRefresh(new RefreshRequest(p.requiredId("id"), resourceId,
                            Feedback.parse(p.optionalObject("feedback"))), resourceId, listId != null ? listId : dbId);
                },
                (caller, r) -> refreshed(exports, caller, r.request(), "segment",
                        segments.counters(caller, r.request().id(), r.resourceId(), r.dbId())));
    }

    private static Reply refreshed(Exports exports, dev.roster.access.Caller caller, RefreshRequest request,
                                   String type, Object counts) {
        com.fasterxml.jackson.databind.node.ObjectNode result = Json.object();
        result.putArray("errors");
        result.put("source_id", request.id());
        result.put("type", type);
        result.set("counters", Json.tree(counts));
        String taskId = exports.completed(caller, result);
        if (request.feedback() != null) {
            request.feedback().send(taskId, Exports.completedStatus(result));
        }
        return Reply.data(Json.object().put("task_id", taskId));
    }
}
