package dev.roster.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.catalog.CatalogModel.Field;
import dev.roster.catalog.CatalogModel.Schema;
import dev.roster.error.RosterException;
import dev.roster.profile.ProfileModel.MatchRequest;

/**
 * The key-extraction rules of matching, in one place (docs/COMPATIBILITY.md, Identity keys and matching): each key
 * is taken from the top level of the request first, else from {@code data}, and normalised as the stored key is.
 * Used by the one-at-a-time {@link Matcher} and by the set-based {@link BatchWriter} alike.
 */
final class MatchKeys {
    private MatchKeys() {
    }

    /** The custom field's value to match by: {@code field_value}, else {@code data.<field>}; null when neither. */
    static JsonNode customValue(MatchRequest request, ObjectNode data, Field field) {
        JsonNode sent = request.fieldValue() != null ? request.fieldValue() : data == null ? null : data.get(field.name());
        return sent == null || sent.isNull() ? null : sent;
    }

    /** The sent value coerced to the field's type, as the field's key and stored value hold it. */
    static JsonNode customKeyValue(Field field, JsonNode sent, Schema schema) {
        return FieldValues.coerce(field.type(), "field_value", sent, field.options(), schema.zone());
    }


    static String email(MatchRequest request, ObjectNode data) {
        String email = optionalEmail(request, data);
        if (email == null) {
            throw RosterException.badRequest("missing matching key 'email' (send it at the top level or in data.email)");
        }
        return email;
    }

    static String optionalEmail(MatchRequest request, ObjectNode data) {
        if (request.email() != null) {
            return Normalizer.emailKey(request.email());
        }
        JsonNode email = data == null ? null : data.get("email");
        if (email == null || email.isNull()) {
            return null;
        }
        if (!email.isTextual()) {
            throw RosterException.invalid("data.email", "an email address", email);
        }
        return Normalizer.emailKey(email.textValue());
    }

    static String phone(MatchRequest request, ObjectNode data, Schema schema) {
        String phone = optionalPhone(request, data, schema);
        if (phone == null) {
            throw RosterException.badRequest("missing matching key 'phone' (send it at the top level or in data.phones)");
        }
        return phone;
    }

    static String optionalPhone(MatchRequest request, ObjectNode data, Schema schema) {
        if (request.phone() != null) {
            return Normalizer.phone("phone", request.phone(), schema.phoneRegion());
        }
        JsonNode phones = data == null ? null : data.get("phones");
        if (phones == null || phones.isNull()) {
            return null;
        }
        JsonNode first = phones.isArray() ? phones.path(0) : phones;
        if (!first.isTextual()) {
            throw RosterException.invalid("data.phones", "an array of phone numbers", phones);
        }
        return Normalizer.phone("data.phones", first.textValue().split(",")[0], schema.phoneRegion());
    }

    static String profileId(MatchRequest request, ObjectNode data) {
        String id = request.profileId();
        if (id == null && data != null && data.path("id").isTextual()) {
            id = data.path("id").textValue();
        }
        if (id == null) {
            throw RosterException.badRequest("missing matching key 'profile_id'");
        }
        if (!ObjectIds.isValid(id)) {
            throw RosterException.invalid("profile_id", "24 lowercase hex characters", "\"" + id + "\"");
        }
        return id;
    }

    static String push(MatchRequest request, ObjectNode data) {
        if (request.provider() != null || request.subscriptionId() != null) {
            if (request.provider() == null || request.subscriptionId() == null) {
                throw RosterException.badRequest("matching 'push_sub' needs both 'provider' and 'subscription_id'");
            }
            return request.provider().strip() + SubscriptionInput.PUSH_SEPARATOR + request.subscriptionId().strip();
        }
        JsonNode subscriptions = data == null ? null : data.get("subscriptions");
        if (subscriptions != null && subscriptions.isArray()) {
            for (JsonNode s : subscriptions) {
                if ("push".equals(s.path("channel").asText())) {
                    JsonNode nested = s.path("push_data");
                    String provider = s.path("provider").asText(nested.path("provider").asText(""));
                    String token = s.path("subscription_id").asText(nested.path("subscription_id").asText(""));
                    if (!provider.isBlank() && !token.isBlank()) {
                        return provider.strip() + SubscriptionInput.PUSH_SEPARATOR + token.strip();
                    }
                }
            }
        }
        throw RosterException.badRequest("missing matching keys 'provider' and 'subscription_id' (send them at the top "
                + "level or as a push subscription in data.subscriptions)");
    }
}
