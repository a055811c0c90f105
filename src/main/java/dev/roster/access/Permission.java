package dev.roster.access;

import dev.roster.error.RosterException;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a token may do (docs/COMPATIBILITY.md, Accounts, tokens and permissions). {@code profiles.delete} is never
 * implied by anything.
 */
public enum Permission {
    PROFILES_READ("profiles.read"),
    PROFILES_WRITE("profiles.write"),
    PROFILES_DELETE("profiles.delete"),
    SUBSCRIPTIONS_WRITE("subscriptions.write"),
    CATALOG_READ("catalog.read"),
    CATALOG_WRITE("catalog.write"),
    HISTORY_READ("history.read"),
    TOKENS_MANAGE("tokens.manage");

    private final String wireName;

    Permission(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Every permission a master user's token gets by default: all but {@code profiles.delete}. */
    public static Set<Permission> defaults() {
        Set<Permission> all = EnumSet.allOf(Permission.class);
        all.remove(PROFILES_DELETE);
        return all;
    }

    public static Permission parse(String name, String parameter) {
        for (Permission p : values()) {
            if (p.wireName.equals(name)) {
                return p;
            }
        }
        throw RosterException.invalid(parameter, "one of " + Arrays.stream(values()).map(Permission::wireName)
                .collect(Collectors.joining(", ")), "\"" + name + "\"");
    }

    public static String encode(Collection<Permission> permissions) {
        return permissions.stream().sorted().map(Permission::wireName).collect(Collectors.joining(","));
    }

    public static Set<Permission> decode(String stored) {
        Set<Permission> set = EnumSet.noneOf(Permission.class);
        if (stored == null || stored.isBlank()) {
            return set;
        }
        for (String name : stored.split(",")) {
            set.add(parse(name, "permissions"));
        }
        return set;
    }
}
