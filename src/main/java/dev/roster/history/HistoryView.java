package dev.roster.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A history row as Altcraft shows it (docs/API.md, Rows), with Roster's {@code id}, {@code token_name} and {@code
 * detail}.
 */
final class HistoryView {
    private HistoryView() {
    }

    /**
     * @param profile       the profile's stored fields, or null when it is gone
     * @param resourceNames names of the resources the rows name (a deleted resource has none)
     * @param fields        the profile fields to show under {@code fields}, or null for none
     */
    static ObjectNode row(HistorySql.Row r, ObjectNode profile, Map<Long, String> resourceNames, List<String> fields) {
        ObjectNode out = Json.object();
        out.put("id", r.id());
        out.put("xxh", r.xxh());
        out.put("profile_id", r.profileId());
        JsonNode email = profile == null ? null : profile.get("email");
        if (email != null && email.isTextual()) {
            out.put("email", email.textValue());
        }
        out.put("list_id", r.dbId());
        out.put("action", r.action());
        out.put("datetime", Instant.ofEpochMilli(r.at()).toString());
        out.put("token_name", r.tokenName());
        if (r.resourceId() != null) {
            ObjectNode s = out.putObject("subscription");
            s.put("resource_id", r.resourceId());
            String name = resourceNames.get(r.resourceId());
            if (name != null) {
                s.put("resource_name", name);
            }
            s.put("channel", r.channel());
            s.put("hash_id", r.hashId());
            if (r.contact() != null) {
                s.setAll(r.contact());
            }
        }
        if (r.detail() != null) {
            out.set("detail", r.detail());
        }
        if (fields != null) {
            ObjectNode values = out.putObject("fields");
            for (String name : fields) {
                JsonNode value = profile == null ? null : profile.get(name);
                values.set(name, value == null ? Json.MAPPER.nullNode() : value.deepCopy());
            }
        }
        return out;
    }
}
