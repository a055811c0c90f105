package dev.roster.profile;

import dev.roster.error.RosterException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The 11 matching modes (docs/API.md, Matching). */
public enum Matching {
    EMAIL,
    EMAIL_PROFILE,
    EMAIL_SUB,
    PHONE,
    PHONE_SUB,
    PROFILE_ID,
    PUSH_SUB,
    CUSTOM,
    CUSTOM_SUB,
    EMAIL_PHONE,
    EMAIL_PHONE_SUB;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Empty or absent means {@code email}. */
    public static Matching parse(String name) {
        Matching mode = parseOrNull(name);
        return mode == null ? EMAIL : mode;
    }

    /** Empty or absent is null (not sent); anything else must be a mode's name (400 otherwise). */
    public static Matching parseOrNull(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        for (Matching m : values()) {
            if (m.wireName().equals(name.strip())) {
                return m;
            }
        }
        throw RosterException.invalid("matching", "one of " + Arrays.stream(values()).map(Matching::wireName)
                .collect(Collectors.joining(", ")), "\"" + name + "\"");
    }

    boolean usesEmail() {
        return this == EMAIL || this == EMAIL_PROFILE || this == EMAIL_SUB || this == EMAIL_PHONE || this == EMAIL_PHONE_SUB;
    }

    boolean usesPhone() {
        return this == PHONE || this == PHONE_SUB || this == EMAIL_PHONE || this == EMAIL_PHONE_SUB;
    }
}
