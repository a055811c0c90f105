package dev.roster.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.catalog.CatalogModel.Field;
import dev.roster.catalog.CatalogModel.Schema;
import dev.roster.catalog.Channel;
import dev.roster.catalog.FieldType;
import dev.roster.error.RosterException;
import dev.roster.profile.ProfileSql.Key;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The identity keys of a profile (docs/COMPATIBILITY.md, Identity keys and matching), derived from its fields and
 * subscriptions, and kept in step with
 * the unique index of {@code profile_keys}: the database, not this code, decides who holds a key.
 */
final class ProfileKeys {
    static final String EMAIL = "email";
    static final String PHONE = "phone";
    static final String PUSH = "push";
    static final String FIELD = "field:";
    /** A messenger subscription: kind {@code sub:<channel>}, value {@code <resource_id>:<address>}. */
    static final String SUBSCRIPTION = "sub:";

    private ProfileKeys() {
    }

    /** Unique keys, and lookups that may be shared (phones of a database whose phones are not unique). */
    record Derived(Set<Key> unique, Set<Key> lookups) {
    }

    static Derived derive(ObjectNode data, List<Subscription> subscriptions, Schema schema) {
        Set<Key> unique = new LinkedHashSet<>();
        Set<Key> lookups = new LinkedHashSet<>();
        Set<Key> phones = schema.uniquePhones() ? unique : lookups;
        JsonNode email = data.get("email");
        if (email != null && email.isTextual()) {
            unique.add(new Key(EMAIL, Normalizer.emailKey(email.textValue())));
        }
        JsonNode profilePhones = data.get("phones");
        if (profilePhones != null && profilePhones.isArray()) {
            profilePhones.forEach(p -> phones.add(new Key(PHONE, p.asText())));
        }
        for (Subscription s : subscriptions) {
            switch (s.channel()) {
                case EMAIL -> unique.add(new Key(EMAIL, s.address()));
                case SMS -> phones.add(new Key(PHONE, s.address()));
                case PUSH -> unique.add(new Key(PUSH, s.address()));
                // a messenger address names one profile per resource, so that concurrent imports by custom_sub meet
                // in the unique index instead of each creating a profile
                default -> unique.add(new Key(SUBSCRIPTION + s.channel().wireName(), s.resourceId() + ":" + s.address()));
            }
        }
        for (Field field : schema.fields().values()) {
            JsonNode value = data.get(field.name());
            if (field.unique() && value != null && !value.isNull()) {
                unique.add(new Key(FIELD + field.name(), valueText(field.type(), value)));
            }
        }
        return new Derived(unique, lookups);
    }

    /** The key text of a field value: numbers without trailing zeros, everything else as stored. */
    static String valueText(FieldType type, JsonNode value) {
        if (value.isNumber()) {
            BigDecimal number = value.decimalValue().stripTrailingZeros();
            return number.scale() < 0 ? number.setScale(0).toPlainString() : number.toPlainString();
        }
        return value.asText();
    }

    /**
     * Makes the stored keys of the profile equal to {@code derived}. A key another profile holds is a 409 naming the
     * key and its owner.
     */
    static void sync(Handle h, long dbId, String profileId, Derived derived) {
        Set<Key> storedUnique = new HashSet<>(ProfileSql.keysOf(h, profileId));
        for (Key key : storedUnique) {
            if (!derived.unique().contains(key)) {
                ProfileSql.deleteKey(h, dbId, key, profileId);
            }
        }
        for (Key key : derived.unique()) {
            if (!storedUnique.contains(key) && !ProfileSql.insertKey(h, dbId, key, profileId)) {
                String owner = ProfileSql.keyOwner(h, dbId, key.kind(), key.value()).orElse(null);
                if (!profileId.equals(owner)) {
                    throw new KeyTaken(key, owner);
                }
            }
        }
        Set<Key> storedLookups = new HashSet<>(ProfileSql.lookupsOf(h, profileId));
        for (Key key : storedLookups) {
            if (!derived.lookups().contains(key)) {
                ProfileSql.deleteLookup(h, dbId, key, profileId);
            }
        }
        for (Key key : derived.lookups()) {
            if (!storedLookups.contains(key)) {
                ProfileSql.insertLookup(h, dbId, key, profileId);
            }
        }
    }

    /** A key already held by another profile; the service turns it into a 409 or, in a race, a retry. */
    static final class KeyTaken extends RuntimeException {
        final Key key;
        final String owner;

        KeyTaken(Key key, String owner) {
            super(null, null, false, false);
            this.key = key;
            this.owner = owner;
        }

        RosterException conflict() {
            return RosterException.conflict(describe(key) + " already belongs to profile " + owner);
        }
    }

    static String describe(Key key) {
        return switch (key.kind()) {
            case EMAIL -> "email '" + key.value() + "'";
            case PHONE -> "phone '" + key.value() + "'";
            case PUSH -> "push subscription '" + key.value().replace(SubscriptionInput.PUSH_SEPARATOR, '/') + "'";
            default -> key.kind().startsWith(SUBSCRIPTION)
                    ? key.kind().substring(SUBSCRIPTION.length()) + " subscription '"
                            + key.value().substring(key.value().indexOf(':') + 1) + "' of resource "
                            + key.value().substring(0, key.value().indexOf(':'))
                    : "value '" + key.value() + "' of unique field '" + key.kind().substring(FIELD.length()) + "'";
        };
    }

}
