package dev.roster.catalog;

import dev.roster.error.RosterException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The types of a database's custom fields (decisions §4). */
public enum FieldType {
    INT("int"),
    FLOAT("float"),
    STRING("string"),
    DATE("date"),
    BOOL("bool"),
    ENUM("enum"),
    IP("ip"),
    TAGS("tags"),
    OBJECT("object"),
    ARR_OBJECT("arr_object");

    private final String wireName;

    FieldType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether a value of this type can identify a profile (a {@code unique} field, a {@code custom} match). */
    public boolean canBeKey() {
        return this != OBJECT && this != ARR_OBJECT && this != TAGS && this != BOOL;
    }

    public static FieldType parse(String parameter, String name) {
        for (FieldType t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        if ("boolean".equals(name)) {
            return BOOL;
        }
        throw RosterException.invalid(parameter, "one of " + Arrays.stream(values()).map(FieldType::wireName)
                .collect(Collectors.joining(", ")), "\"" + name + "\"");
    }
}
