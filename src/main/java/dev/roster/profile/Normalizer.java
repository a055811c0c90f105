package dev.roster.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import dev.roster.error.RosterException;
import dev.roster.value.Dates;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one place where profile values are normalised (docs/COMPATIBILITY.md, Identity keys and matching; Profile data).
 * Writes and lookups both call it, so
 * that a key stored by one request is found by the next. A value that cannot be normalised is a 400 naming
 * the field, what was expected and what was sent; nothing is guessed.
 */
public final class Normalizer {
    static final String EMAIL_EXPECTED = "an email address (local@domain.tld, no spaces, at most 254 characters)";
    static final String DATE_EXPECTED = Dates.EXPECTED;

    // Local part: the RFC 5322 "atext" characters plus letters of any script (internationalised addresses).
    private static final Pattern LOCAL_PART = Pattern.compile("[\\p{L}\\p{N}\\p{M}!#$%&'*+/=?^_`{|}~-]+(\\.[\\p{L}\\p{N}\\p{M}!#$%&'*+/=?^_`{|}~-]+)*");
    // Domain label: letters/digits of any script (IDN like пример.рф) with inner hyphens, at most 63 long.
    private static final Pattern LABEL = Pattern.compile("[\\p{L}\\p{N}\\p{M}]([\\p{L}\\p{N}\\p{M}-]{0,61}[\\p{L}\\p{N}\\p{M}])?");
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private Normalizer() {}

    /** The matching / unique-key form of an email: trimmed, NFC, lower-cased. Idempotent. */
    public static String emailKey(String raw) {
        String email = emailStored(raw);
        return java.text.Normalizer.normalize(email, java.text.Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }

    /** {@link #emailKey} of an email already stored (so already validated): rendering a profile skips the checks. */
    public static String emailKeyOfStored(String stored) {
        return java.text.Normalizer.normalize(stored.strip(), java.text.Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }

    /**
     * The stored form of an email: trimmed, otherwise as sent (docs/COMPATIBILITY.md, Identity keys and matching),
     * after the same validation.
     */
    public static String emailStored(String raw) {
        if (raw == null) {
            throw RosterException.invalid("email", EMAIL_EXPECTED, null);
        }
        String email = raw.strip();
        if (!isEmail(email)) {
            throw RosterException.invalid("email", EMAIL_EXPECTED, quoted(raw));
        }
        return email;
    }

    private static boolean isEmail(String email) {
        int at = email.lastIndexOf('@');
        if (email.length() > 254 || at < 1 || at > 64) {
            return false;
        }
        if (isAscii(email)) {
            return isAsciiEmail(email, at);
        }
        String local = email.substring(0, at);
        String[] labels = email.substring(at + 1).split("\\.", -1);
        if (!LOCAL_PART.matcher(local).matches() || labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        // A top-level domain is never all digits: "a@1.2.3.4" is an IP, not a domain.
        return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
    }

    /** The RFC 5322 "atext" characters of ASCII, as LOCAL_PART takes them (letters and digits aside). */
    private static final String ATEXT_SPECIALS = "!#$%&'*+/=?^_`{|}~-";

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiAlphanumeric(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    /**
     * {@link #isEmail} for an all-ASCII address, without the regular expressions (the email of every imported row is
     * checked; the patterns were a tenth of an import's time): the same rules, as ASCII reads them. A seeded test
     * compares the two on random addresses (EmailNormalizerTest).
     */
    static boolean isAsciiEmail(String email, int at) {
        // local part: dot-separated non-empty atoms of atext
        boolean atomStart = true;
        for (int i = 0; i < at; i++) {
            char c = email.charAt(i);
            if (c == '.') {
                if (atomStart) {
                    return false;
                }
                atomStart = true;
            } else if (isAsciiAlphanumeric(c) || ATEXT_SPECIALS.indexOf(c) >= 0) {
                atomStart = false;
            } else {
                return false;
            }
        }
        if (atomStart) {
            return false; // empty, or ends with a dot
        }
        // domain: at least two labels of letters and digits, inner hyphens, 1 to 63 long; the last not all digits
        int labels = 0;
        int start = at + 1;
        boolean allDigits = true;
        for (int i = start; i <= email.length(); i++) {
            if (i < email.length() && email.charAt(i) != '.') {
                char c = email.charAt(i);
                if (!isAsciiAlphanumeric(c) && c != '-') {
                    return false;
                }
                continue;
            }
            int length = i - start;
            if (length < 1 || length > 63 || email.charAt(start) == '-' || email.charAt(i - 1) == '-') {
                return false;
            }
            allDigits = true;
            for (int j = start; j < i; j++) {
                allDigits &= email.charAt(j) >= '0' && email.charAt(j) <= '9';
            }
            labels++;
            start = i + 1;
        }
        return labels >= 2 && !allDigits;
    }

    /**
     * A phone number in E.164 ("+79001234567"). Numbers without '+' are read in {@code defaultRegion} (ISO 3166
     * alpha-2, e.g. "RU"); without a (known) region only international numbers are accepted.
     */
    public static String phone(String field, String raw, String defaultRegion) {
        String region = knownRegion(defaultRegion);
        if (raw == null) {
            throw RosterException.invalid(field, phoneExpected(region), null);
        }
        String text = raw.strip();
        if (!phoneChars(text) || (region == null && !text.startsWith("+"))) {
            throw RosterException.invalid(field, phoneExpected(region), quoted(raw));
        }
        try {
            PhoneNumber number = E164.read(text);
            if (number == null) {
                number = PHONES.parse(text, region == null ? "ZZ" : region);
            }
            if (number.hasExtension() || !PHONES.isValidNumber(number)) {
                throw RosterException.invalid(field, phoneExpected(region), quoted(raw));
            }
            return PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            throw RosterException.invalid(field, phoneExpected(region), quoted(raw));
        }
    }

    private static String phoneExpected(String region) {
        return region == null
                ? "a valid phone number in international format (+ and country code)"
                : "a valid phone number (international, or national for region " + region + ")";
    }

    /** Digits, spaces and the usual separators after an optional '+'; letters (vanity numbers, "ext.") are refused. */
    private static boolean phoneChars(String text) {
        int start = text.startsWith("+") ? 1 : 0;
        if (text.length() <= start) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '(' || c == ')' || c == '-' || c == '.' || c == ' ' || c == '/')) {
                return false;
            }
        }
        return true;
    }

    /** Validates a database's default phone region: an ISO 3166 alpha-2 code libphonenumber knows, upper-cased. */
    public static String phoneRegion(String field, String raw) {
        String region = knownRegion(raw);
        if (region == null) {
            throw RosterException.invalid(field, "a region code (ISO 3166 alpha-2, e.g. \"RU\")", quoted(raw));
        }
        return region;
    }

    private static String knownRegion(String raw) {
        if (raw == null) {
            return null;
        }
        String region = raw.strip().toUpperCase(Locale.ROOT);
        return PHONES.getSupportedRegions().contains(region) ? region : null;
    }

    /**
     * A date as RFC 3339 in UTC, read from every form docs/API.md lists ("Dates") by {@link Dates}, which every
     * feature shares; zoneless date-times are read in {@code zone}, the database's.
     */
    public static String date(String field, JsonNode value, ZoneId zone) {
        return Dates.date(field, value, zone);
    }

    /** {@link #date(String, JsonNode, ZoneId)} with zoneless date-times read in UTC. */
    public static String date(String field, JsonNode value) {
        return date(field, value, ZoneOffset.UTC);
    }

    /**
     * {@code _sex}: "male"/"female" in any case, or 1 (male), 2 (female), 0 (clears: returns null). Numbers may be
     * JSON integers or digit strings, because XML bodies carry every value as text.
     */
    public static String sex(JsonNode value) {
        String expected = "\"male\", \"female\", 1 (male), 2 (female) or 0 (clear)";
        if (value != null && (value.isTextual() || value.isIntegralNumber())) {
            String text = value.asText().strip().toLowerCase(Locale.ROOT);
            switch (text) {
                case "male", "1": return "male";
                case "female", "2": return "female";
                case "0": return null;
                default: break;
            }
        }
        throw RosterException.invalid("_sex", expected, value);
    }

    /** An IPv4 or IPv6 literal in canonical text (RFC 5952 for IPv6). Never resolves names. */
    public static String ip(String field, String raw) {
        String canonical = raw == null ? null : IpText.canonical(raw.strip());
        if (canonical == null) {
            throw RosterException.invalid(field, "an IPv4 or IPv6 address", raw == null ? null : quoted(raw));
        }
        return canonical;
    }

    /** Shows a sent string in quotes, so that error texts tell "" and " " apart from nothing. */
    static String quoted(String raw) {
        return '"' + raw + '"';
    }
}
