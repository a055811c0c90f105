package dev.roster.profile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.error.RosterException;

/**
 * Subscription statuses (docs/COMPATIBILITY.md, Subscriptions): words and numbers 0 to 6 are both accepted; answers use
 * words.
 */
public enum SubscriptionStatus {
    SUBSCRIBED,
    UNSUBSCRIBED,
    COMPLAINED,
    HARDBOUNCED,
    UNCONFIRMED,
    SUSPENDED,
    INVALID;

    private static final String EXPECTED = "a status word (subscribed, unsubscribed, complained, hardbounced, "
            + "unconfirmed, suspended, invalid) or its number 0 to 6";

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public int number() {
        return ordinal();
    }

    public static SubscriptionStatus ofNumber(int number) {
        return values()[number];
    }

    /** Reads a status sent as a word (any case) or a number, or as their text from an XML body. */
    public static SubscriptionStatus parse(String field, JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return byNumber(field, value.intValue(), value);
        }
        if (value.isTextual()) {
            String text = value.textValue().strip();
            if (text.matches("-?\\d{1,3}")) {
                return byNumber(field, Integer.parseInt(text), value);
            }
            for (SubscriptionStatus s : values()) {
                if (s.word().equalsIgnoreCase(text)) {
                    return s;
                }
            }
        }
        throw RosterException.invalid(field, EXPECTED, value);
    }

    private static SubscriptionStatus byNumber(String field, int number, JsonNode sent) {
        if (number < 0 || number >= values().length) {
            throw RosterException.invalid(field, EXPECTED, sent);
        }
        return values()[number];
    }
}
