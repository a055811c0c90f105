package dev.roster.profile;

import dev.roster.catalog.FieldType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.error.RosterException;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Applies the value sent for one field to its stored value (docs/API.md, Profile data). A plain value means {@code
 * set},
 * JSON null means {@code unset}, and an object with an {@code action} key is a field function. The result is
 * the new stored value, or Java null when the field is to be removed. {@code current} is never modified.
 */
public final class FieldFunctions {
    private static final Set<String> FUNCTION_KEYS = Set.of("action", "value", "submatch");

    private FieldFunctions() {}

    /** For a custom field: values are checked with {@link FieldType#coerce}. */
    public static JsonNode apply(String field, FieldType type, List<String> enumOptions, JsonNode current, JsonNode input) {
        return apply(field, type, enumOptions, current, input, java.time.ZoneOffset.UTC);
    }

    /** For a custom field of a database whose zoneless date-times are in {@code zone}. */
    public static JsonNode apply(String field, FieldType type, List<String> enumOptions, JsonNode current, JsonNode input,
                                 java.time.ZoneId zone) {
        return apply(field, type, current, input, value -> FieldValues.coerce(type, field, value, enumOptions, zone));
    }

    /** For a standard field: values are checked with {@link StandardField#coerce}. */
    public static JsonNode apply(StandardField field, String phoneRegion, JsonNode current, JsonNode input) {
        return apply(field, phoneRegion, java.time.ZoneOffset.UTC, current, input);
    }

    public static JsonNode apply(StandardField field, String phoneRegion, java.time.ZoneId zone, JsonNode current,
                                 JsonNode input) {
        return apply(field.wireName(), field.type(), current, input, value -> field.coerce(value, phoneRegion, zone));
    }

    /**
     * The general form. {@code coerce} validates a value as a {@code set} of this field would and returns its
     * stored form (Java null: clear); it also checks the values of incr, add, delete and arr_object upsert.
     * {@code current} may be null (field absent). Java null and JSON null as {@code input} both unset.
     */
    public static JsonNode apply(String field, FieldType type, JsonNode current, JsonNode input, UnaryOperator<JsonNode> coerce) {
        if (input == null || input.isNull()) {
            return null;
        }
        if (!isFunction(type, input)) {
            return coerce.apply(input);
        }
        FieldAction action = action(field, type, input);
        String submatch = submatch(field, type, action, input);
        JsonNode value = input.get("value");
        JsonNode now = current == null || current.isNull() || current.isMissingNode() ? null : current.deepCopy();
        if (action == FieldAction.UNSET) {
            return null;
        }
        if (value == null) {
            throw RosterException.missing(field + ".value");
        }
        if (action == FieldAction.SET) {
            return value.isNull() ? null : coerce.apply(value);
        }
        if (action == FieldAction.UPSERT && type == FieldType.OBJECT) {
            return ListEdits.setAtPath(field, objectOf(field, now), submatch, value.deepCopy()); // any JSON fits a property
        }
        JsonNode checked = checked(field, type, wrapObject(type, value), coerce);
        return switch (action) {
            case INCR -> increment(field, type, now, checked);
            case ADD -> ListEdits.add(type, arrayOf(field, now), checked);
            case DELETE -> now == null ? null : ListEdits.delete(field, arrayOf(field, now), checked, submatch);
            case UPSERT -> ListEdits.upsert(field, arrayOf(field, now), checked, submatch);
            case SET, UNSET -> throw new IllegalStateException("handled above");
        };
    }

    /**
     * An object with an "action" key is a function, except on OBJECT fields: there a plain object is a value,
     * and only the exact function shape with a known action is read as a function.
     */
    private static boolean isFunction(FieldType type, JsonNode input) {
        if (!input.isObject() || !input.has("action")) {
            return false;
        }
        if (type != FieldType.OBJECT) {
            return true;
        }
        boolean onlyFunctionKeys = input.properties().stream().allMatch(e -> FUNCTION_KEYS.contains(e.getKey()));
        return onlyFunctionKeys && input.get("action").isTextual()
                && FieldAction.byName(input.get("action").textValue()).isPresent();
    }

    private static FieldAction action(String field, FieldType type, JsonNode input) {
        List<String> allowed = FieldAction.allowedFor(type);
        String expected = "a field function with action one of " + allowed + " (" + type.wireName() + " field)";
        JsonNode name = input.get("action");
        FieldAction action = name.isTextual() ? FieldAction.byName(name.textValue()).orElse(null) : null;
        if (action == null || !action.appliesTo(type)) {
            throw RosterException.invalid(field, expected, "action " + name);
        }
        for (var key : input.properties()) {
            if (!FUNCTION_KEYS.contains(key.getKey())) {
                throw RosterException.invalid(field, "a field function with only the keys action, value, submatch",
                        "key \"" + key.getKey() + "\"");
            }
        }
        return action;
    }

    /** The dot path of upsert and of arr_object delete; refused where it would mean nothing. */
    private static String submatch(String field, FieldType type, FieldAction action, JsonNode input) {
        JsonNode submatch = input.get("submatch");
        boolean used = action == FieldAction.UPSERT || (action == FieldAction.DELETE && type == FieldType.ARR_OBJECT);
        if (submatch == null || submatch.isNull()) {
            if (action == FieldAction.UPSERT) {
                throw RosterException.missing(field + ".submatch");
            }
            return null;
        }
        if (!used) {
            throw RosterException.invalid(field + ".submatch", "no submatch: only upsert and arr_object delete use it",
                    submatch);
        }
        if (!submatch.isTextual() || !ListEdits.isPath(submatch.textValue())) {
            throw RosterException.invalid(field + ".submatch", "a property path like \"id\" or \"a.b.c\"", submatch);
        }
        return submatch.textValue();
    }

    /** A function's value for arr_object may be one object; it then stands for a list of one. */
    private static JsonNode wrapObject(FieldType type, JsonNode value) {
        return type == FieldType.ARR_OBJECT && value.isObject() ? JsonValues.NODES.arrayNode().add(value) : value;
    }

    private static JsonNode checked(String field, FieldType type, JsonNode value, UnaryOperator<JsonNode> coerce) {
        JsonNode checked = coerce.apply(value);
        if (checked == null) {
            throw RosterException.invalid(field, type.expected(), value);
        }
        return checked;
    }

    private static ArrayNode arrayOf(String field, JsonNode now) {
        if (now == null) {
            return JsonValues.NODES.arrayNode();
        }
        if (!now.isArray()) {
            throw RosterException.badRequest("cannot edit field '" + field + "' as a list: its stored value is " + now);
        }
        return (ArrayNode) now;
    }

    private static ObjectNode objectOf(String field, JsonNode now) {
        if (now == null) {
            return JsonValues.NODES.objectNode();
        }
        if (!now.isObject()) {
            throw RosterException.badRequest("cannot upsert into field '" + field + "': its stored value is " + now);
        }
        return (ObjectNode) now;
    }

    /** incr: the stored number plus the sent one; an absent field counts as 0. */
    private static JsonNode increment(String field, FieldType type, JsonNode now, JsonNode delta) {
        if (now != null && !now.isNumber()) {
            throw RosterException.badRequest("cannot incr field '" + field + "': its stored value is " + now);
        }
        if (type == FieldType.INT) {
            long base = now == null ? 0 : now.longValue();
            try {
                return JsonValues.integerNode(Math.addExact(base, delta.longValue()));
            } catch (ArithmeticException e) {
                throw RosterException.invalid(field,
                        "an increment keeping the value within the 64-bit integer range (stored " + base + ")", delta);
            }
        }
        double sum = (now == null ? 0 : now.doubleValue()) + delta.doubleValue();
        if (!Double.isFinite(sum)) {
            throw RosterException.invalid(field, "an increment keeping the value finite (stored " + now + ")", delta);
        }
        return DoubleNode.valueOf(sum);
    }
}
