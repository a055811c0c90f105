package dev.roster.queue;

import java.util.List;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.error.RosterException;
import dev.roster.request.BodyLimits;
import dev.roster.request.Params;
import dev.roster.json.Json;
import dev.roster.profile.ProfileModel.MatchRequest;
import dev.roster.profile.ProfileModel.WriteCommand;
import dev.roster.profile.ProfileModel.WriteMode;
import java.io.IOException;

/**
 * One {@code database_import} message (docs/API.md, Import through RabbitMQ): {@code account_id}, {@code db_id}, {@code
 * data}, the matching
 * keys at the top level as in profiles/import, {@code update_only}, {@code feedback_id}, {@code skip_triggers}. Held
 * to the limits of an HTTP body; a field the message format does not know is refused, as on the HTTP API.
 */
record ImportMessage(long accountId, WriteCommand command, WriteMode mode, String feedbackId, String matching) {

    /** The message's JSON object, or a 400 (413 when larger than {@code maxBytes}) saying why it is not one. */
    static ObjectNode parse(byte[] body, long maxBytes, BodyLimits limits) {
        if (body.length > maxBytes) {
            throw RosterException.tooLarge("the message is " + body.length + " bytes, larger than the limit of "
                    + maxBytes + " bytes");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw RosterException.badRequest("malformed JSON: " + Json.parseProblem(e));
        } catch (IOException e) {
            throw RosterException.badRequest("unreadable message: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw RosterException.badRequest("the message must be a JSON object, not " + (node == null ? "nothing"
                    : node.getNodeType().name().toLowerCase()));
        }
        limits.check(node);
        return (ObjectNode) node;
    }

    /** {@code feedback_id} as text (a string or a number), or null: read before anything can fail, to echo it. */
    static String feedbackIdOf(ObjectNode message) {
        JsonNode id = message.get("feedback_id");
        return id != null && (id.isTextual() || id.isNumber()) ? id.asText() : null;
    }

    /**
     * What orders a message behind the earlier ones for the same profile: the account, the database and the first
     * matching value it carries (profile_id, email, phone, subscription_id, field_value, else data's email or first
     * phone); null when it has none. Emails are compared in lower case, as matching does.
     */
    static String orderKey(ObjectNode message) {
        JsonNode data = message.path("data");
        JsonNode[] candidates = {message.get("profile_id"), message.get("email"), message.get("phone"),
                message.get("subscription_id"), message.get("field_value"), data.get("email"), data.path("phones").get(0)};
        for (JsonNode candidate : candidates) {
            if (candidate != null && (candidate.isTextual() || candidate.isNumber()) && !candidate.asText().isBlank()) {
                return message.path("account_id").asText() + "/" + message.path("db_id").asText() + "/"
                        + candidate.asText().strip().toLowerCase(java.util.Locale.ROOT);
            }
        }
        return null;
    }

    static ImportMessage of(ObjectNode message) {
        Params p = new Params(message, false);
        long accountId = p.requiredId("account_id");
        long dbId = p.requiredId("db_id");
        JsonNode feedback = p.raw("feedback_id");
        if (feedback != null && !feedback.isTextual() && !feedback.isNumber()) {
            throw RosterException.invalid("feedback_id", "a string", feedback);
        }
        MatchRequest match = MatchRequest.decode(p);
        ObjectNode data = p.optionalObject("data");
        if (data == null) {
            throw RosterException.missing("data");
        }
        WriteMode mode = p.flag("update_only") ? WriteMode.UPDATE : WriteMode.IMPORT;
        boolean skipInvalid = p.flag("skip_invalid_subscriptions");
        // accepted for compatibility; Roster has no triggers and no geo database (as on profiles/import)
        p.optionalBool("skip_triggers");
        p.optionalBool("detect_geo");
        List<Long> addTo = p.optionalIdList("add_to_segments");
        List<Long> removeFrom = p.optionalIdList("remove_from_segments");
        p.rejectUnread();
        String matching = match.mode().wireName();
        return new ImportMessage(accountId, new WriteCommand(dbId, match, data, skipInvalid, addTo, removeFrom), mode,
                feedback == null ? null : feedback.asText(), matching);
    }
}
