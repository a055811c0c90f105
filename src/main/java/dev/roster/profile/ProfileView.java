package dev.roster.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.json.Json;
import java.time.Instant;
import java.util.List;

/** A profile as {@code profiles/get} shows it: stored fields, computed fields, subscriptions in the stored form. */
final class ProfileView {
    private ProfileView() {
    }

    static ObjectNode render(ProfileSql.ProfileRow row, List<Subscription> subscriptions) {
        ObjectNode out = Json.object();
        out.put("id", row.id());
        out.put("db_id", row.dbId());
        out.setAll(row.data());
        out.put("_createtime", Instant.ofEpochMilli(row.createdAt()).toString());
        out.put("_updatetime", Instant.ofEpochMilli(row.updatedAt()).toString());
        out.put("_xxh", ObjectIds.xxh(row.id()));
        JsonNode email = row.data().get("email");
        if (email != null && email.isTextual()) {
            String key = Normalizer.emailKeyOfStored(email.textValue());
            out.put("_md5", ObjectIds.md5(key));
            out.put("_emaildomain", key.substring(key.lastIndexOf('@') + 1));
        }
        ArrayNode subs = out.putArray("subscriptions");
        subscriptions.forEach(s -> subs.add(subscription(s)));
        return out;
    }

    /**
     * The same profile as JSON text, built around the stored data's own text instead of a parsed copy of it: a page of
     * a thousand profiles spent most of its time parsing each profile's data into a tree and writing the tree out
     * again. The stored data is an object Roster wrote itself, without the computed fields; {@code email} is its
     * {@code email} member (null when there is none). Null when the data is not an object's text (then render).
     */
    static String renderJson(String id, long dbId, String data, String email, long createdAt, long updatedAt,
                             List<Subscription> subscriptions) {
        if (data == null || data.length() < 2 || data.charAt(0) != '{' || data.charAt(data.length() - 1) != '}') {
            return null;
        }
        StringBuilder out = new StringBuilder(data.length() + 256);
        out.append("{\"id\":");
        quote(out, id);
        out.append(",\"db_id\":").append(dbId);
        String members = data.substring(1, data.length() - 1).strip();
        if (!members.isEmpty()) {
            out.append(',').append(members);
        }
        out.append(",\"_createtime\":");
        quote(out, Instant.ofEpochMilli(createdAt).toString());
        out.append(",\"_updatetime\":");
        quote(out, Instant.ofEpochMilli(updatedAt).toString());
        out.append(",\"_xxh\":");
        quote(out, ObjectIds.xxh(id));
        if (email != null) {
            String key = Normalizer.emailKeyOfStored(email);
            out.append(",\"_md5\":");
            quote(out, ObjectIds.md5(key));
            out.append(",\"_emaildomain\":");
            quote(out, key.substring(key.lastIndexOf('@') + 1));
        }
        out.append(",\"subscriptions\":");
        if (subscriptions.isEmpty()) {
            out.append("[]");
        } else {
            ArrayNode subs = Json.array();
            subscriptions.forEach(sub -> subs.add(subscription(sub)));
            out.append(Json.write(subs));
        }
        return out.append('}').toString();
    }

    private static void quote(StringBuilder out, String text) {
        out.append('"');
        if (plain(text)) {
            // ids, dates, hashes and domains: the encoder would append them a char at a time (a profiling of
            // profiles/list found it the largest part of rendering a page)
            out.append(text);
        } else {
            com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text, out);
        }
        out.append('"');
    }

    /** Text that JSON takes as it is: no quote, backslash or control character. */
    private static boolean plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** The stored form (docs/COMPATIBILITY.md, Subscriptions). */
    static ObjectNode subscription(Subscription s) {
        ObjectNode out = Json.object();
        out.put("resource_id", s.resourceId());
        out.put("channel", s.channel().wireName());
        switch (s.channel()) {
            case EMAIL -> {
                String email = s.contact().path("email").asText();
                ObjectNode data = out.putObject("email_data");
                data.put("email", email);
                data.put("domain", s.address().substring(s.address().lastIndexOf('@') + 1));
                data.put("md5", ObjectIds.md5(s.address()));
            }
            case SMS -> out.putObject("sms_data").put("phone", s.contact().path("phone").asText());
            case PUSH -> out.putObject("push_data")
                    .put("provider", s.contact().path("provider").asText())
                    .put("subscription_id", s.contact().path("subscription_id").asText());
            default -> out.set("cc_data", s.contact().path("cc_data").deepCopy());
        }
        out.put("hash_id", s.hashId());
        out.put("is_delete", s.deleted());
        out.put("status", s.status().word());
        if (s.priority() != null) {
            out.put("priority", s.priority());
        }
        out.set("custom_fields", s.customFields().deepCopy());
        ArrayNode cats = out.putArray("cats");
        s.cats().forEach(cats::add);
        out.putObject("reg_info").put("date", Instant.ofEpochMilli(s.createdAt()).toString());
        return out;
    }
}
