package dev.roster.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.catalog.CatalogModel.Field;
import dev.roster.catalog.FieldType;
import dev.roster.error.RosterException;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Merges a subscription's {@code custom_fields}: members not sent stay, null unsets. A member named like a typed
 * subscription field of the resource's channel (a system field (docs/API.md, resources/fields_get), or one that
 * resources/fields_add
 * defined) is checked and stored as that type, field functions included, and a value of the wrong type is a 400 naming
 * it. Other members are kept as sent, and their field functions apply with the type their action and values imply:
 * integrations that never define fields keep working as before.
 */
final class SubscriptionFields {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private SubscriptionFields() {
    }

    static ObjectNode merge(ObjectNode current, ObjectNode input, Map<String, Field> typed, java.time.ZoneId zone) {
        ObjectNode next = current.deepCopy();
        Iterator<Map.Entry<String, JsonNode>> members = input.fields();
        while (members.hasNext()) {
            Map.Entry<String, JsonNode> member = members.next();
            String name = member.getKey();
            if (!NAME.matcher(name).matches()) {
                throw RosterException.invalid("custom_fields", "field names of a letter or '_' followed by up to 63 "
                        + "letters, digits or '_'", "\"" + name + "\"");
            }
            JsonNode value = member.getValue();
            JsonNode after;
            Field field = typedField(typed, name);
            if (field != null) {
                name = field.name();
                after = FieldFunctions.apply("custom_fields." + name, field.type(), field.options(), next.get(name), value,
                        zone);
            } else if (value.isNull()) {
                after = null;
            } else if (isFunction(value)) {
                FieldType type = impliedType(value, next.get(name));
                after = FieldFunctions.apply("custom_fields." + name, type, null, next.get(name), value, zone);
            } else {
                after = value;
            }
            if (after == null || after.isNull()) {
                next.remove(name);
            } else {
                next.set(name, after);
            }
        }
        return next;
    }

    /** The typed field of that name: the exact name first, then in any case (names are unique in any case). */
    private static Field typedField(Map<String, Field> typed, String name) {
        Field exact = typed.get(name);
        if (exact != null) {
            return exact;
        }
        for (Field f : typed.values()) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        return null;
    }

    private static boolean isFunction(JsonNode value) {
        return value.isObject() && value.has("action") && value.get("action").isTextual();
    }

    private static FieldType impliedType(JsonNode function, JsonNode current) {
        String action = function.get("action").textValue().toLowerCase(java.util.Locale.ROOT);
        JsonNode value = function.path("value");
        return switch (action) {
            case "incr" -> (value.isIntegralNumber() || value.isMissingNode())
                    && (current == null || current.isIntegralNumber()) ? FieldType.INT : FieldType.FLOAT;
            case "add", "delete" -> value.isArray() && value.size() > 0 && value.get(0).isObject()
                    || current != null && current.isArray() && current.size() > 0 && current.get(0).isObject()
                    || value.isObject() ? FieldType.ARR_OBJECT : FieldType.TAGS;
            case "upsert" -> current != null && current.isArray() ? FieldType.ARR_OBJECT : FieldType.OBJECT;
            default -> current == null ? typeOf(value) : typeOf(current);
        };
    }

    private static FieldType typeOf(JsonNode value) {
        if (value.isIntegralNumber()) {
            return FieldType.INT;
        }
        if (value.isNumber()) {
            return FieldType.FLOAT;
        }
        if (value.isBoolean()) {
            return FieldType.BOOL;
        }
        if (value.isObject()) {
            return FieldType.OBJECT;
        }
        if (value.isArray()) {
            return value.size() > 0 && value.get(0).isObject() ? FieldType.ARR_OBJECT : FieldType.TAGS;
        }
        return FieldType.STRING;
    }
}
