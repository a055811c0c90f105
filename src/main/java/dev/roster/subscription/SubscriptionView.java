package dev.roster.subscription;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.json.Json;
import dev.roster.profile.ObjectIds;
import dev.roster.profile.Subscription;

/** The flat form (docs/API.md, Subscriptions): the channel's address at the top level. */
final class SubscriptionView {
    private SubscriptionView() {
    }

    /** {@code subscriptions/list}: resource_id, channel, the address, priority, status, custom_fields, cats. */
    static ObjectNode flat(Subscription s) {
        ObjectNode out = Json.object();
        out.put("resource_id", s.resourceId());
        out.put("channel", s.channel().wireName());
        switch (s.channel()) {
            case EMAIL -> out.put("email", s.contact().path("email").asText());
            case SMS -> out.put("phone", s.contact().path("phone").asText());
            case PUSH -> out.put("provider", s.contact().path("provider").asText())
                    .put("subscription_id", s.contact().path("subscription_id").asText());
            default -> out.set("cc_data", s.contact().path("cc_data").deepCopy());
        }
        if (s.priority() != null) {
            out.put("priority", s.priority());
        }
        out.put("status", s.status().word());
        out.set("custom_fields", s.customFields().deepCopy());
        ArrayNode cats = out.putArray("cats");
        s.cats().forEach(cats::add);
        return out;
    }

    /** {@code subscriptions/get} and set: the flat form with hash_id and is_delete. */
    static ObjectNode one(Subscription s) {
        ObjectNode out = flat(s);
        out.put("hash_id", s.hashId());
        out.put("is_delete", s.deleted());
        return out;
    }

    /** A row of {@code subscriptions/list_all}: the profile's ids first, then the flat form with hash_id. */
    static ObjectNode row(long dbId, String profileId, Subscription s) {
        ObjectNode out = Json.object();
        out.put("db_id", dbId);
        out.put("profile_id", profileId);
        out.put("_xxh", ObjectIds.xxh(profileId));
        out.put("hash_id", s.hashId());
        out.setAll(flat(s));
        return out;
    }
}
