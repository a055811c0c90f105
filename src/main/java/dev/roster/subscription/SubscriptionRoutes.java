package dev.roster.subscription;

import dev.roster.access.Caller;
import dev.roster.access.Permission;
import dev.roster.error.RosterException;
import dev.roster.http.Authenticator;
import dev.roster.json.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The deprecated v1.0 calls of reference §4.11: {@code POST /api/v1.0/lists/{id}/suspend_all} and
 * {@code /unsuspend_all}, answering {@code {"Status":"Ok","Suspended":N}} (resp. {@code "Unsuspended"}). Failures
 * answer the usual envelope.
 */
public final class SubscriptionRoutes {
    private SubscriptionRoutes() {
    }

    public static Consumer<RoutesConfig> v10(SubscriptionService subscriptions, Authenticator authenticator) {
        return routes -> {
            routes.post("/api/v1.0/lists/{id}/suspend_all", ctx -> answer(ctx, subscriptions, authenticator, true));
            routes.post("/api/v1.0/lists/{id}/unsuspend_all", ctx -> answer(ctx, subscriptions, authenticator, false));
        };
    }

    private static void answer(Context ctx, SubscriptionService subscriptions, Authenticator authenticator,
                               boolean suspend) {
        Caller caller = authenticator.authenticate(token(ctx));
        caller.require(Permission.SUBSCRIPTIONS_WRITE);
        long dbId = listId(ctx.pathParam("id"));
        int changed = subscriptions.suspendAll(caller, new SubscriptionModel.Scope(dbId, null, null), suspend);
        ctx.status(200);
        ctx.contentType("application/json; charset=utf-8");
        ctx.result(Json.write(Json.object().put("Status", "Ok").put(suspend ? "Suspended" : "Unsuspended", changed))
                .getBytes(StandardCharsets.UTF_8));
    }

    /** {@code Authorization: Bearer}, then the query's {@code token}. */
    private static String token(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null && !header.isBlank()) {
            if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return header.substring(7).strip();
            }
            throw RosterException.unauthorized("the Authorization header must be 'Bearer <token>'");
        }
        return ctx.queryParam("token");
    }

    private static long listId(String text) {
        if (!text.matches("\\d{1,18}") || Long.parseLong(text) <= 0) {
            throw RosterException.invalid("list_id", "a positive integer id", "\"" + text + "\"");
        }
        return Long.parseLong(text);
    }
}
