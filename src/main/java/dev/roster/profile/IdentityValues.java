package dev.roster.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The identity values a write carries, coarsely: only writes that share one can match, find or hold the same profile
 * or key, so writes that share none may be looked up together, or written at the same time (two batches of a file),
 * and still apply as if one after the other. Coarse in the safe direction:
 * emails are compared as their keys, phones as their E.164 numbers, subscription addresses and key field values as
 * lower-case text; two rows that share a value here may still be independent, never the other way round.
 */
public final class IdentityValues {
    /** Members of a subscription that never hold its address. */
    private static final Set<String> NOT_ADDRESSES =
            Set.of("channel", "status", "priority", "resource_id", "custom_fields", "cats", "provider");

    private IdentityValues() {
    }

    /**
     * {@link #addTo(Set, ObjectNode, Predicate, String)} for a write to the database of {@code schema} matched by
     * {@code matchField} (null: none): the unique custom fields and the matching field are key fields.
     */
    public static void addTo(Set<String> keys, ObjectNode data, dev.roster.catalog.CatalogModel.Schema schema,
                             String matchField) {
        addTo(keys, data, name -> {
            dev.roster.catalog.CatalogModel.Field field = schema.field(name);
            return field != null && field.unique() || name.equalsIgnoreCase(matchField);
        }, schema.phoneRegion());
    }

    /**
     * Adds the identity values of a write's data to {@code keys}.
     *
     * @param keyField    the names of the data's fields whose values identify a profile: the unique custom fields and
     *                    the field the write matches by
     * @param phoneRegion the database's phone region, for numbers written in national form
     */
    public static void addTo(Set<String> keys, ObjectNode data, Predicate<String> keyField, String phoneRegion) {
        for (var member : data.properties()) {
            String name = member.getKey();
            JsonNode value = member.getValue();
            switch (name) {
                case "email" -> texts(value, t -> keys.add("e:" + Normalizer.emailKeyOfStored(t)));
                case "phones", "phone" -> texts(value, t -> phone(keys, t, phoneRegion));
                case "id", "profile_id" -> texts(value, t -> keys.add("i:" + lower(t)));
                case "subscriptions" -> {
                    if (value.isArray()) {
                        value.forEach(s -> address(keys, s, false, phoneRegion));
                    } else {
                        address(keys, value, false, phoneRegion);
                    }
                }
                default -> {
                    if (keyField.test(name)) {
                        texts(value, t -> keys.add("f:" + lower(name) + "=" + number(lower(t))));
                    }
                }
            }
        }
    }

    /**
     * Every text of a subscription (its email, phone, push token, cc_data...) except the members that name no address;
     * a {@code phone} member also as its number.
     */
    private static void address(Set<String> keys, JsonNode node, boolean isPhone, String phoneRegion) {
        if (node.isObject()) {
            for (var member : node.properties()) {
                if (!NOT_ADDRESSES.contains(member.getKey())) {
                    address(keys, member.getValue(), member.getKey().equals("phone"), phoneRegion);
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> address(keys, n, isPhone, phoneRegion));
        } else if (node.isValueNode() && !node.isNull()) {
            String text = node.asText();
            keys.add("a:" + lower(text));
            if (text.indexOf('@') >= 0) {
                keys.add("e:" + Normalizer.emailKeyOfStored(text));
            }
            if (isPhone) {
                phone(keys, text, phoneRegion);
            }
        }
    }

    /**
     * A phone as its E.164 number, the form every write stores and compares: "+" and digits as they are (the number
     * they are, when valid), any other form read as Normalizer reads it. A text that is no valid number adds nothing:
     * a write that carries it fails whole and writes nothing.
     */
    private static void phone(Set<String> keys, String text, String phoneRegion) {
        String stripped = text.strip();
        boolean plain = stripped.length() > 1 && stripped.charAt(0) == '+';
        for (int i = 1; plain && i < stripped.length(); i++) {
            plain = stripped.charAt(i) >= '0' && stripped.charAt(i) <= '9';
        }
        if (plain) {
            keys.add("p:" + stripped);
            return;
        }
        try {
            keys.add("p:" + Normalizer.phone("phones", stripped, phoneRegion));
        } catch (dev.roster.error.RosterException e) {
            // not a number: the write refuses it
        }
    }

    private static void texts(JsonNode value, Consumer<String> each) {
        if (value == null || value.isNull()) {
            return;
        }
        if (value.isArray()) {
            value.forEach(v -> texts(v, each));
        } else if (value.isTextual()) {
            // a CSV cell of several values ("a;b", "a,b") shares each of them too
            String text = value.textValue();
            each.accept(text);
            if (text.indexOf(',') >= 0 || text.indexOf(';') >= 0) {
                for (String part : text.split("[;,]")) {
                    if (!part.isBlank()) {
                        each.accept(part.strip());
                    }
                }
            }
        } else if (value.isValueNode()) {
            each.accept(value.asText());
        }
    }

    /** A number in one form ("5", "5.0" and "5e0" are one key of an int field). */
    private static String number(String text) {
        if (text.isEmpty() || !(Character.isDigit(text.charAt(0)) || text.charAt(0) == '-' || text.charAt(0) == '+')) {
            return text;
        }
        try {
            java.math.BigDecimal number = new java.math.BigDecimal(text).stripTrailingZeros();
            // "1e999999999" is a number too: written out it would be a billion digits
            return Math.abs((long) number.precision() - number.scale()) <= 40 && number.scale() <= 40
                    ? number.toPlainString() : text;
        } catch (NumberFormatException e) {
            return text;
        }
    }

    private static String lower(String text) {
        return text.strip().toLowerCase(Locale.ROOT);
    }
}
