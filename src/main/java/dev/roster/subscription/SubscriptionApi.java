package dev.roster.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Permission;
import dev.roster.catalog.Channel;
import dev.roster.http.ApiRegistry;
import dev.roster.request.Params;
import dev.roster.http.Reply;
import dev.roster.json.Json;
import dev.roster.profile.SubscriptionStatus;
import dev.roster.subscription.SubscriptionModel.ListAll;
import dev.roster.subscription.SubscriptionModel.OfProfile;
import dev.roster.subscription.SubscriptionModel.One;
import dev.roster.subscription.SubscriptionModel.Page;
import dev.roster.subscription.SubscriptionModel.Scope;

/**
 * {@code subscriptions/set|list|list_all|get|delete|undelete|suspend_all|unsuspend_all} (docs/API.md, Subscriptions).
 */
public final class SubscriptionApi {
    /** Members that name one subscription (docs/API.md, Subscriptions). */
    private static final String[] ADDRESS = {"email", "phone", "provider", "subscription_id", "cc_data"};
    /** What set may change besides the address. */
    private static final String[] CHANGES = {"status", "priority", "custom_fields", "cats"};
    static final int MAX_LIMIT = 1000;

    private SubscriptionApi() {
    }

    public static void register(ApiRegistry api, SubscriptionService subscriptions) {
        api.add("subscriptions/set", Permission.SUBSCRIPTIONS_WRITE, p -> {
            One one = one(p, true);
            p.optionalBool("skip_triggers"); // accepted; Roster has no triggers
            return one;
        }, (caller, command) -> {
            SubscriptionModel.Written written = subscriptions.set(caller, command);
            return Reply.data(written.subscription()).with("created", written.created());
        });
        api.add("subscriptions/list", Permission.PROFILES_READ,
                p -> new OfProfile(p.requiredId("db_id"), p.requiredString("profile_id")),
                (caller, command) -> Reply.data(subscriptions.list(caller, command)));
        api.add("subscriptions/get", Permission.PROFILES_READ, p -> one(p, false),
                (caller, command) -> Reply.data(subscriptions.get(caller, command)));
        api.add("subscriptions/delete", Permission.SUBSCRIPTIONS_WRITE, p -> one(p, false),
                (caller, command) -> Reply.data(subscriptions.setDeleted(caller, command, true)));
        api.add("subscriptions/undelete", Permission.SUBSCRIPTIONS_WRITE, p -> one(p, false),
                (caller, command) -> Reply.data(subscriptions.setDeleted(caller, command, false)));
        api.add("subscriptions/list_all", Permission.PROFILES_READ, SubscriptionApi::listAll, (caller, command) -> {
            Page page = subscriptions.listAll(caller, command);
            return Reply.data(page.rows()).with("next_from_id", page.nextFromId())
                    .with("total_count", page.totalCount());
        });
        api.add("subscriptions/suspend_all", Permission.SUBSCRIPTIONS_WRITE, SubscriptionApi::scope,
                (caller, scope) -> Reply.empty().with("updated", subscriptions.suspendAll(caller, scope, true)));
        api.add("subscriptions/unsuspend_all", Permission.SUBSCRIPTIONS_WRITE, SubscriptionApi::scope,
                (caller, scope) -> Reply.empty().with("updated", subscriptions.suspendAll(caller, scope, false)));
        registerV10(api, subscriptions);
    }

    /**
     * {@code db_id}, {@code profile_id}, {@code resource_id}, {@code channel} and the address; with {@code changes}
     * also what set changes. The members are parsed in the service, where the database's phone region is known.
     */
    private static One one(Params p, boolean changes) {
        long dbId = p.requiredId("db_id");
        String profileId = p.requiredString("profile_id");
        ObjectNode members = Json.object();
        members.put("resource_id", p.requiredId("resource_id"));
        members.put("channel", Channel.parse("channel", p.requiredString("channel")).wireName());
        copy(p, members, ADDRESS);
        if (changes) {
            copy(p, members, CHANGES);
        }
        return new One(dbId, profileId, members);
    }

    private static void copy(Params p, ObjectNode members, String[] names) {
        for (String name : names) {
            JsonNode value = p.raw(name);
            if (value != null) {
                members.set(name, value);
            }
        }
    }

    private static ListAll listAll(Params p) {
        long resourceId = p.requiredId("resource_id");
        Long dbId = p.optionalId("db_id");
        String channel = p.optionalString("channel");
        JsonNode status = p.raw("status");
        Long fromId = p.optionalLong("from_id");
        if (fromId != null && fromId < 0) {
            throw dev.roster.error.RosterException.invalid("from_id", "an id of 0 or more", fromId);
        }
        int limit = p.optionalInt("limit", MAX_LIMIT, 1, MAX_LIMIT);
        return new ListAll(resourceId, dbId, channel == null ? null : Channel.parse("channel", channel),
                status == null ? null : SubscriptionStatus.parse("status", status), fromId == null ? 1 : fromId, limit);
    }

    /** The deprecated v1.0 calls: every subscription of the database (docs/API.md, Subscriptions). */
    private static void registerV10(ApiRegistry api, SubscriptionService subscriptions) {
        api.addIntegration("v1.0/suspend_all", Permission.SUBSCRIPTIONS_WRITE, p -> p.requiredId("list_id"),
                (caller, dbId) -> Reply.empty().with("Status", "Ok")
                        .with("Suspended", subscriptions.suspendAll(caller, new Scope(dbId, null, null), true)));
        api.addIntegration("v1.0/unsuspend_all", Permission.SUBSCRIPTIONS_WRITE, p -> p.requiredId("list_id"),
                (caller, dbId) -> Reply.empty().with("Status", "Ok")
                        .with("Unsuspended", subscriptions.suspendAll(caller, new Scope(dbId, null, null), false)));
    }

    private static Scope scope(Params p) {
        long dbId = p.requiredId("db_id");
        String channel = p.optionalString("channel");
        Long resourceId = p.optionalId("resource_id");
        return new Scope(dbId, channel == null ? null : Channel.parse("channel", channel), resourceId);
    }
}
