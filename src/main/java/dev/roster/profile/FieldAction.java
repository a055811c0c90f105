package dev.roster.profile;

import dev.roster.catalog.FieldType;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The field functions (docs/API.md, Profile data) and the field types each applies to. */
public enum FieldAction {
    SET(EnumSet.allOf(FieldType.class)),
    UNSET(EnumSet.allOf(FieldType.class)),
    INCR(EnumSet.of(FieldType.INT, FieldType.FLOAT)),
    ADD(EnumSet.of(FieldType.TAGS, FieldType.ARR_OBJECT)),
    DELETE(EnumSet.of(FieldType.TAGS, FieldType.ARR_OBJECT)),
    UPSERT(EnumSet.of(FieldType.OBJECT, FieldType.ARR_OBJECT));

    private final Set<FieldType> types;

    FieldAction(Set<FieldType> types) {
        this.types = types;
    }

    /** The name used in the API ("set", "incr", ...). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean appliesTo(FieldType type) {
        return types.contains(type);
    }

    /** The actions a field of this type accepts, in the order of the reference. */
    public static List<String> allowedFor(FieldType type) {
        return EnumSet.allOf(FieldAction.class).stream().filter(a -> a.appliesTo(type)).map(FieldAction::wireName).toList();
    }

    /** The action of that name (any case), if it is one. */
    public static Optional<FieldAction> byName(String name) {
        for (FieldAction action : values()) {
            if (action.wireName().equalsIgnoreCase(name == null ? "" : name.strip())) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }
}
