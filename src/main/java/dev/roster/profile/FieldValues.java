package dev.roster.profile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.catalog.FieldType;
import dev.roster.error.RosterException;
import java.util.List;

/** Turns a value sent for a field into the stored form of the field's type; {@link JsonValues} holds the conversions. */
final class FieldValues {
    private FieldValues() {
    }

    /**
     * Validates a value being set on a field of this type and returns the stored form (a new node, never
     * {@code value} itself). {@code enumOptions} is used only by ENUM. JSON null is not a value: callers
     * treat it as unset before coercing.
     */
    public static JsonNode coerce(FieldType type, String field, JsonNode value, List<String> enumOptions) {
        return coerce(type, field, value, enumOptions, java.time.ZoneOffset.UTC);
    }

    /** As {@link #coerce(FieldType, String, JsonNode, List)}, reading zoneless date-times in {@code zone}. */
    public static JsonNode coerce(FieldType type, String field, JsonNode value, List<String> enumOptions,
                                  java.time.ZoneId zone) {
        JsonNode stored = switch (type) {
            case INT -> JsonValues.integer(value);
            case FLOAT -> JsonValues.finiteNumber(value);
            case STRING -> JsonValues.text(value);
            case DATE -> JsonValues.NODES.textNode(Normalizer.date(field, value, zone));
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
            String expected = type == FieldType.ENUM ? "one of " + enumOptions + " or its 1-based number" : type.expected();
            throw RosterException.invalid(field, expected, value);
        }
        return stored;
    }
}
