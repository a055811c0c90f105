package dev.roster.catalog;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import dev.roster.error.RosterException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Validation of catalog values, before anything reaches SQL. */
final class CatalogRules {
    /** Field names: a letter, then letters, digits and underscores; a leading underscore is for standard fields. */
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    static final int MAX_NAME = 255;
    static final int MAX_TAGS = 100;

    private CatalogRules() {
    }

    static String name(String parameter, String value) {
        String trimmed = value.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_NAME) {
            throw RosterException.invalid(parameter, "a name of 1 to " + MAX_NAME + " characters", "\"" + value + "\"");
        }
        return trimmed;
    }

    static String fieldName(String value) {
        if (!FIELD_NAME.matcher(value).matches()) {
            throw RosterException.invalid("name", "a field name of a letter followed by up to 63 letters, digits "
                    + "or underscores (names starting with '_' are standard fields)", "\"" + value + "\"");
        }
        if (StandardFields.isReserved(value)) {
            throw RosterException.invalid("name", "a name that is not a standard or computed field", "\"" + value + "\"");
        }
        return value;
    }

    /** Custom subscription field names: as database field names; names starting with '_' are the system ones. */
    static String subscriptionFieldName(String value) {
        if (!FIELD_NAME.matcher(value).matches()) {
            throw RosterException.invalid("name", "a field name of a letter followed by up to 63 letters, digits "
                    + "or underscores (names starting with '_' are system subscription fields)", "\"" + value + "\"");
        }
        return value;
    }

    static List<String> uiTags(List<String> tags) {
        if (tags == null) {
            return null;
        }
        if (tags.size() > MAX_TAGS) {
            throw RosterException.invalid("ui_tags", "at most " + MAX_TAGS + " tags", tags.size() + " tags");
        }
        LinkedHashSet<String> clean = new LinkedHashSet<>();
        for (String tag : tags) {
            String t = tag.strip();
            if (t.isEmpty() || t.length() > 64) {
                throw RosterException.invalid("ui_tags", "tags of 1 to 64 characters", "\"" + tag + "\"");
            }
            clean.add(t);
        }
        return List.copyOf(clean);
    }

    /** An ISO 3166 region libphonenumber knows, upper-cased; empty means none. */
    static String phoneRegion(String region) {
        if (region == null || region.isBlank()) {
            return null;
        }
        String upper = region.strip().toUpperCase(Locale.ROOT);
        if (!PhoneNumberUtil.getInstance().getSupportedRegions().contains(upper)) {
            throw RosterException.invalid("phone_region", "a two-letter ISO 3166 region code such as \"RU\" or \"US\"",
                    "\"" + region + "\"");
        }
        return upper;
    }

    /**
     * An IANA time zone name such as "Europe/Moscow" (or "UTC"), as the JDK's zone database spells it; null when
     * not sent. Fixed offsets are refused: a region follows its daylight-saving rules, an offset does not.
     */
    static String timezone(String zone) {
        if (zone == null) {
            return null;
        }
        String name = zone.strip();
        if (name.equals("UTC") || java.time.ZoneId.getAvailableZoneIds().contains(name)) {
            return name;
        }
        throw RosterException.invalid("timezone", "an IANA time zone name such as \"Europe/Moscow\" or \"UTC\"",
                "\"" + zone + "\"");
    }

    static List<String> enumOptions(FieldType type, List<String> options) {
        if (type != FieldType.ENUM) {
            if (options != null) {
                throw RosterException.invalid("options", "no options: only enum fields have them", options);
            }
            return null;
        }
        if (options == null || options.isEmpty()) {
            throw RosterException.invalid("options", "a non-empty array of the enum's values", options);
        }
        LinkedHashSet<String> clean = new LinkedHashSet<>();
        for (String option : options) {
            if (option.isBlank() || !clean.add(option)) {
                throw RosterException.invalid("options", "distinct non-empty strings", options);
            }
        }
        return List.copyOf(clean);
    }
}
