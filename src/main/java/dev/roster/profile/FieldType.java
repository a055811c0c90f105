package dev.roster.profile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.error.RosterException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The types of custom profile fields (reference §3.1). {@link #coerce} turns a value sent for a {@code set}
 * into the normalised form that is stored; {@link JsonValues} holds the per-type conversions.
 */
public enum FieldType {
    INT("int", "an integer"),
    FLOAT("float", "a finite number"),
    STRING("string", "a string"),
    DATE("date", Normalizer.DATE_EXPECTED),
    BOOL("bool", "a boolean (true/false, \"true\"/\"false\", 0/1)"),
    ENUM("enum", "one of the enum options or its 1-based number"),
    IP("ip", "an IPv4 or IPv6 address"),
    TAGS("tags", "an array of strings or a comma-separated string"),
    OBJECT("object", "a JSON object"),
    ARR_OBJECT("arr_object", "an array of JSON objects");

    private final String wireName;
    private final String expected;

    FieldType(String wireName, String expected) {
        this.wireName = wireName;
        this.expected = expected;
    }

    /** The name used in the API ("int", "arr_object", ...). */
    public String wireName() {
        return wireName;
    }

    /** What a value of this type looks like, for error texts. */
    public String expected() {
        return expected;
    }

    /** Reads a type name; case and surrounding spaces are ignored, and "boolean" is taken for "bool". */
    public static FieldType parse(String name) {
        String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (wanted.equals("boolean")) {
            return BOOL; // the reference's API type column says "boolean"
        }
        for (FieldType type : values()) {
            if (type.wireName.equals(wanted)) {
                return type;
            }
        }
        String valid = Arrays.stream(values()).map(FieldType::wireName).collect(Collectors.joining(", "));
        throw RosterException.invalid("type", "one of " + valid, name == null ? null : Normalizer.quoted(name));
    }

    /**
     * Validates a value being set on a field of this type and returns the stored form (a new node, never
     * {@code value} itself). {@code enumOptions} is used only by ENUM. JSON null is not a value: callers
     * treat it as unset before coercing.
     */
    public JsonNode coerce(String field, JsonNode value, List<String> enumOptions) {
        JsonNode stored = switch (this) {
            case INT -> JsonValues.integer(value);
            case FLOAT -> JsonValues.finiteNumber(value);
            case STRING -> JsonValues.text(value);
            case DATE -> JsonValues.NODES.textNode(Normalizer.date(field, value));
            case BOOL -> JsonValues.bool(value);
            case ENUM -> JsonValues.enumOption(value, enumOptions);
            case IP -> value != null && value.isTextual()
                    ? JsonValues.NODES.textNode(Normalizer.ip(field, value.textValue()))
                    : null;
            case TAGS -> JsonValues.tags(value, s -> s);
            case OBJECT -> value != null && value.isObject() ? value.deepCopy() : null;
            case ARR_OBJECT -> JsonValues.arrayOfObjects(value);
        };
        if (stored == null) {
            String expected = this == ENUM ? "one of " + enumOptions + " or its 1-based number" : this.expected;
            throw RosterException.invalid(field, expected, value);
        }
        return stored;
    }
}
