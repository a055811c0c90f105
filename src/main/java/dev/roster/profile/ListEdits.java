package dev.roster.profile;

import dev.roster.catalog.FieldType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.error.RosterException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * The list and object edits behind add, delete and upsert. Arguments are already validated and owned by
 * the caller (copies), so they are edited in place and returned.
 */
final class ListEdits {
    private static final Pattern PATH = Pattern.compile("[^.]+(\\.[^.]+)*");
    // Numbers compare by value, so that a submatch of 5 finds an element stored with 5.0.
    private static final Comparator<JsonNode> SAME_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private ListEdits() {}

    static boolean isPath(String path) {
        return PATH.matcher(path).matches();
    }

    /** add: tags not yet present are appended (set semantics); arr_object elements are always appended. */
    static ArrayNode add(FieldType type, ArrayNode list, JsonNode values) {
        for (JsonNode value : values) {
            if (type == FieldType.ARR_OBJECT || !contains(list, value)) {
                list.add(value);
            }
        }
        return list;
    }

    /** delete: elements equal to a value, or, with submatch, elements whose property equals the value's. */
    static ArrayNode delete(String field, ArrayNode list, JsonNode values, String submatch) {
        for (int i = list.size() - 1; i >= 0; i--) {
            JsonNode element = list.get(i);
            for (JsonNode value : values) {
                boolean hit = submatch == null
                        ? same(element, value)
                        : matches(element, key(field, value, submatch), submatch);
                if (hit) {
                    list.remove(i);
                    break;
                }
            }
        }
        return list;
    }

    /**
     * arr_object upsert: each element whose submatch property equals the value's is merged with the value
     * (the value's properties replace the element's, the others stay); a value that matches nothing is appended.
     */
    static ArrayNode upsert(String field, ArrayNode list, JsonNode values, String submatch) {
        for (JsonNode value : values) {
            JsonNode key = key(field, value, submatch);
            boolean matched = false;
            for (JsonNode element : list) {
                if (element.isObject() && matches(element, key, submatch)) {
                    ((ObjectNode) element).setAll((ObjectNode) value.deepCopy());
                    matched = true;
                }
            }
            if (!matched) {
                list.add(value);
            }
        }
        return list;
    }

    /** object upsert: sets the property at a dot path, creating the objects on the way. */
    static ObjectNode setAtPath(String field, ObjectNode root, String path, JsonNode value) {
        String[] names = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < names.length - 1; i++) {
            JsonNode next = node.get(names[i]);
            if (next == null || next.isNull()) {
                next = node.putObject(names[i]);
            } else if (!next.isObject()) {
                throw RosterException.invalid(field + ".submatch",
                        "a path through objects, but '" + String.join(".", Arrays.copyOf(names, i + 1))
                                + "' holds " + next, path);
            }
            node = (ObjectNode) next;
        }
        node.set(names[names.length - 1], value);
        return root;
    }

    /** The property at a dot path, or null when the path does not lead to one. */
    static JsonNode at(JsonNode node, String path) {
        JsonNode current = node;
        for (String name : path.split("\\.")) {
            current = current != null && current.isObject() ? current.get(name) : null;
        }
        return current;
    }

    private static JsonNode key(String field, JsonNode value, String submatch) {
        JsonNode key = at(value, submatch);
        if (key == null) {
            throw RosterException.invalid(field, "objects that have the submatch property '" + submatch + "'", value);
        }
        return key;
    }

    private static boolean matches(JsonNode element, JsonNode key, String submatch) {
        JsonNode property = at(element, submatch);
        return property != null && same(property, key);
    }

    private static boolean contains(ArrayNode list, JsonNode value) {
        for (JsonNode element : list) {
            if (same(element, value)) {
                return true;
            }
        }
        return false;
    }

    /** Equal JSON, numbers compared by value (a stored 7 is the 7 a request sends, whatever node types hold them). */
    static boolean same(JsonNode a, JsonNode b) {
        return a.equals(SAME_VALUE, b);
    }
}
