package dev.roster.catalog;

import dev.roster.error.RosterException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The types of custom profile fields (docs/COMPATIBILITY.md, Profile data). The profile feature turns values sent
 * for a field into the stored form of its type.
 */
public enum FieldType {
    INT("int", "an integer"),
    FLOAT("float", "a finite number"),
    STRING("string", "a string"),
    DATE("date", "a date (YYYY-MM-DD, RFC 3339 or Unix seconds)"),
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
        throw RosterException.invalid("type", "one of " + valid, name == null ? null : "\"" + name + "\"");
    }

    /** Whether a value of this type can identify a profile (a {@code unique} field, a {@code custom} match). */
    public boolean canBeKey() {
        return this != OBJECT && this != ARR_OBJECT && this != TAGS && this != BOOL;
    }
}
