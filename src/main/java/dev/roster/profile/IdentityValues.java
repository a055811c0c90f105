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
 * emails are compared as their keys, phones by their last ten digits, subscription addresses and key field values as
 * lower-case text; two rows that share a value here may still be independent, never the other way round.
 */
public final class IdentityValues {
    /** Members of a subscription that never hold its address. */
    private static final Set<String> NOT_ADDRESSES =
            Set.of("channel", "status", "priority", "resource_id", "custom_fields", "cats", "provider");

    private IdentityValues() {
    }

    /**
     * Adds the identity values of a write's data to {@code keys}.
     *
     * @param keyField the names of the data's fields whose values identify a profile: the unique custom fields and the
     *                 field the write matches by
     */
    public static void addTo(Set<String> keys, ObjectNode data, Predicate<String> keyField) {
        for (var member : data.properties()) {
            String name = member.getKey();
            JsonNode value = member.getValue();
            switch (name) {
                case "email" -> texts(value, t -> keys.add("e:" + Normalizer.emailKeyOfStored(t)));
                case "phones", "phone" -> texts(value, t -> phone(keys, t));
                case "id", "profile_id" -> texts(value, t -> keys.add("i:" + lower(t)));
                case "subscriptions" -> {
                    if (value.isArray()) {
                        value.forEach(s -> address(keys, s));
                    } else {
                        address(keys, value);
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

    /** Every text of a subscription (its email, phone, push token, cc_data...) except the members that name no address. */
    private static void address(Set<String> keys, JsonNode node) {
        if (node.isObject()) {
            for (var member : node.properties()) {
                if (!NOT_ADDRESSES.contains(member.getKey())) {
                    address(keys, member.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> address(keys, n));
        } else if (node.isValueNode() && !node.isNull()) {
            String text = node.asText();
            keys.add("a:" + lower(text));
            if (text.indexOf('@') >= 0) {
                keys.add("e:" + Normalizer.emailKeyOfStored(text));
            }
            phone(keys, text);
        }
    }

    /** A phone by its last ten digits: national and international forms of one number agree there. */
    private static void phone(Set<String> keys, String text) {
        StringBuilder digits = new StringBuilder(16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            }
        }
        if (digits.length() >= 5) {
            keys.add("p:" + digits.substring(Math.max(0, digits.length() - 10)));
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
