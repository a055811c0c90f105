package dev.roster.bulk;

import dev.roster.access.Permission;
import dev.roster.http.ApiRegistry;
import dev.roster.http.Reply;
import dev.roster.json.Json;

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
}
