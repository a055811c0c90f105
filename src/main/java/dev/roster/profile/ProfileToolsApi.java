package dev.roster.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Permission;
import dev.roster.error.RosterException;
import dev.roster.http.ApiRegistry;
import dev.roster.request.Params;
import dev.roster.http.Reply;
import dev.roster.profile.MergeService.MergeCommand;
import dev.roster.profile.MergeService.SplitCommand;
import dev.roster.profile.MergeService.SplitTarget;
import dev.roster.profile.ProfileModel.MatchRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code profiles/merge}, {@code profiles/split}, {@code profiles/message_unsub} and {@code databases/wipe} (docs/API.md). */
public final class ProfileToolsApi {
    private static final Set<String> MATCH_MEMBERS = Set.of("matching", "email", "phone", "profile_id", "provider",
            "subscription_id", "field_name", "field_value", "resource_id");
    private static final Set<String> SPLIT_MEMBERS = Set.of("db_id", "email", "phone", "phones", "provider",
            "subscription_id", "field_name", "field_value");

    private ProfileToolsApi() {
    }

    public static void register(ApiRegistry api, MergeService merges, WipeService wipes) {
        // deleting every profile of a database is deleting profiles: the permission is never implied
        api.add("databases/wipe", Permission.PROFILES_DELETE, p -> p.requiredId("id"),
                (caller, id) -> Reply.data(wipes.wipe(caller, id)));
        api.add("profiles/merge", Permission.PROFILES_WRITE, ProfileToolsApi::merge,
                (caller, command) -> Reply.data(merges.merge(caller, command)));
        api.add("profiles/split", Permission.PROFILES_WRITE, ProfileToolsApi::split,
                (caller, command) -> Reply.data(merges.split(caller, command)));
        // message ids come from Altcraft's sending; Roster sends nothing, so no id it could be given is known
        api.add("profiles/message_unsub", Permission.SUBSCRIPTIONS_WRITE,
                p -> {
                    p.optionalString("rtoken");
                    p.optionalString("smid");
                    p.optionalStringList("categories");
                    return p.optionalString("smid");
                },
                (caller, smid) -> {
                    throw RosterException.notFound("message " + (smid == null ? "" : "'" + smid + "' ")
                            + "not found: Roster sends no messages and never issues message ids (smid); unsubscribe "
                            + "with subscriptions/set and \"status\": \"unsubscribed\" instead");
                });
    }

    private static MergeCommand merge(Params p) {
        long dbId = p.requiredId("db_id");
        String matching = p.optionalString("matching");
        JsonNode sources = p.raw("source");
        if (sources == null) {
            throw RosterException.missing("source");
        }
        if (!sources.isArray() || sources.isEmpty()) {
            throw RosterException.invalid("source", "a non-empty array of matching objects", sources);
        }
        if (sources.size() > MergeService.MAX_SOURCES) {
            throw RosterException.invalid("source", "at most " + MergeService.MAX_SOURCES + " profiles",
                    sources.size() + " profiles");
        }
        List<MatchRequest> matches = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            matches.add(match("source[" + i + "]", sources.get(i), matching));
        }
        JsonNode destination = p.raw("destination");
        MatchRequest dest = destination == null || destination.isNull() ? null
                : match("destination", destination, matching);
        ObjectNode data = p.optionalObject("data");
        Boolean subscriptions = p.optionalBool("subscriptions");
        Boolean history = p.optionalBool("history");
        Boolean segments = p.optionalBool("static_segments");
        p.optionalBool("skip_triggers"); // accepted: Roster has no triggers
        return new MergeCommand(dbId, matches, dest, data, subscriptions == null || subscriptions,
                history == null || history, segments == null || segments);
    }

    private static SplitCommand split(Params p) {
        String matching = p.optionalString("matching");
        JsonNode source = p.raw("source");
        if (source == null) {
            throw RosterException.missing("source");
        }
        if (!source.isObject()) {
            throw RosterException.invalid("source", "a matching object with db_id", source);
        }
        Long topDb = p.optionalId("db_id");
        JsonNode sourceDb = source.get("db_id");
        if (sourceDb == null && topDb == null) {
            throw RosterException.missing("source.db_id");
        }
        long dbId = sourceDb == null ? topDb : id("source.db_id", sourceDb);
        if (topDb != null && topDb != dbId) {
            throw RosterException.badRequest("'db_id' (" + topDb + ") and 'source.db_id' (" + dbId + ") differ");
        }
        ObjectNode sourceMatch = ((ObjectNode) source).deepCopy();
        sourceMatch.remove("db_id");
        MatchRequest match = match("source", sourceMatch, matching);
        JsonNode destinations = p.raw("destination");
        if (destinations == null) {
            throw RosterException.missing("destination");
        }
        if (destinations.isObject()) {
            destinations = dev.roster.json.Json.array().add(destinations);
        }
        if (!destinations.isArray() || destinations.isEmpty()) {
            throw RosterException.invalid("destination", "a non-empty array of objects naming the keys each new "
                    + "profile takes", destinations);
        }
        if (destinations.size() > MergeService.MAX_DESTINATIONS) {
            throw RosterException.invalid("destination", "at most " + MergeService.MAX_DESTINATIONS + " profiles",
                    destinations.size() + " profiles");
        }
        List<SplitTarget> targets = new ArrayList<>();
        for (int i = 0; i < destinations.size(); i++) {
            targets.add(target("destination[" + i + "]", destinations.get(i), dbId));
        }
        ObjectNode data = p.optionalObject("data");
        Boolean subscriptions = p.optionalBool("subscriptions");
        Boolean history = p.optionalBool("history");
        Boolean segments = p.optionalBool("static_segments");
        p.optionalBool("skip_triggers");
        if (p.has("subscription_filters")) {
            throw RosterException.badRequest("'subscription_filters' is not supported: the subscriptions of the keys "
                    + "a new profile takes always move with them");
        }
        p.raw("subscription_filters");
        return new SplitCommand(dbId, match, targets, data, subscriptions == null || subscriptions,
                history == null || history, segments != null && segments);
    }

    /**
     * A matching object of merge or split. Without {@code matching} (here or at the top level) the key it carries says
     * which: {@code profile_id}, {@code email}, {@code phone}, {@code field_name} (custom), {@code provider} (push_sub).
     */
    static MatchRequest match(String where, JsonNode node, String defaultMatching) {
        if (node == null || !node.isObject()) {
            throw RosterException.invalid(where, "a matching object such as {\"email\": \"...\"}", node);
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!MATCH_MEMBERS.contains(name)) {
                throw RosterException.badRequest("unknown parameter '" + where + "." + name + "' (a matching object has "
                        + String.join(", ", MATCH_MEMBERS.stream().sorted().toList()) + ")");
            }
        });
        String matching = text(where, node, "matching");
        if (matching == null) {
            matching = defaultMatching;
        }
        if (matching == null) {
            matching = node.has("profile_id") ? "profile_id" : node.has("email") ? "email" : node.has("phone") ? "phone"
                    : node.has("field_name") ? "custom" : node.has("provider") ? "push_sub" : null;
        }
        JsonNode resource = node.get("resource_id");
        Long resourceId = resource == null || resource.isNull() ? null : id(where + ".resource_id", resource);
        return new MatchRequest(Matching.parseOrNull(matching), text(where, node, "email"), text(where, node, "phone"),
                text(where, node, "profile_id"), text(where, node, "provider"), text(where, node, "subscription_id"),
                text(where, node, "field_name"), node.get("field_value"), resourceId);
    }

    private static SplitTarget target(String where, JsonNode node, long dbId) {
        if (!node.isObject()) {
            throw RosterException.invalid(where, "an object naming the keys the new profile takes", node);
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!SPLIT_MEMBERS.contains(name)) {
                throw RosterException.badRequest("unknown parameter '" + where + "." + name + "' (a destination has "
                        + String.join(", ", SPLIT_MEMBERS.stream().sorted().toList()) + ")");
            }
        });
        if (node.has("db_id") && id(where + ".db_id", node.get("db_id")) != dbId) {
            throw RosterException.badRequest(where + ".db_id: Roster splits a profile within its own database "
                    + dbId);
        }
        List<String> phones = new ArrayList<>();
        String phone = text(where, node, "phone");
        if (phone != null) {
            phones.add(phone);
        }
        JsonNode list = node.get("phones");
        if (list != null) {
            if (!list.isArray()) {
                throw RosterException.invalid(where + ".phones", "an array of phone numbers", list);
            }
            list.forEach(v -> phones.add(v.asText()));
        }
        List<String[]> pushes = new ArrayList<>();
        String provider = text(where, node, "provider");
        String subscriptionId = text(where, node, "subscription_id");
        if ((provider == null) != (subscriptionId == null)) {
            throw RosterException.badRequest(where + ": 'provider' and 'subscription_id' go together");
        }
        if (provider != null) {
            pushes.add(new String[] {provider, subscriptionId});
        }
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        String fieldName = text(where, node, "field_name");
        if ((fieldName == null) != (node.get("field_value") == null)) {
            throw RosterException.badRequest(where + ": 'field_name' and 'field_value' go together");
        }
        if (fieldName != null) {
            fields.put(fieldName, node.get("field_value"));
        }
        String email = text(where, node, "email");
        if (email == null && phones.isEmpty() && pushes.isEmpty() && fields.isEmpty()) {
            throw RosterException.badRequest(where + " names no key: send email, phone, phones, provider with "
                    + "subscription_id, or field_name with field_value");
        }
        return new SplitTarget(email, phones, pushes, fields);
    }

    private static String text(String where, JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw RosterException.invalid(where + "." + name, "a string", value);
        }
        return value.asText();
    }

    private static long id(String name, JsonNode value) {
        if (value.canConvertToLong() && value.isIntegralNumber() && value.longValue() > 0) {
            return value.longValue();
        }
        if (value.isTextual() && value.textValue().matches("[1-9][0-9]{0,17}")) {
            return Long.parseLong(value.textValue());
        }
        throw RosterException.invalid(name, "a positive integer id", value);
    }
}
