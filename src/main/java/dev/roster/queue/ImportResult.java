package dev.roster.queue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.json.Json;
import dev.roster.profile.ProfileModel.KeyedResult;

/**
 * The messages published to {@code database_import_result} (docs/API.md, Import through RabbitMQ), in the envelope of
 * the HTTP answers:
 * {@code error}, {@code error_text}, {@code feedback_id} (when the message had one), {@code matching_field},
 * {@code profile_id} and {@code created} on success, {@code replayed: true} when the message had been applied before.
 */
final class ImportResult {
    private ImportResult() {
    }

    static ObjectNode success(String feedbackId, String matching, KeyedResult result) {
        ObjectNode out = envelope(0, "Successful operation", feedbackId, matching);
        out.put("profile_id", result.result().profileId());
        out.put("created", result.result().created());
        if (result.replayed()) {
            out.put("replayed", true);
        }
        return out;
    }

    static ObjectNode failure(String feedbackId, String matching, int error, String text) {
        return envelope(error, text, feedbackId, matching);
    }

    private static ObjectNode envelope(int error, String text, String feedbackId, String matching) {
        ObjectNode out = Json.object().put("error", error).put("error_text", text);
        if (feedbackId != null) {
            out.put("feedback_id", feedbackId);
        }
        if (matching != null) {
            out.put("matching_field", matching);
        }
        return out;
    }
}
