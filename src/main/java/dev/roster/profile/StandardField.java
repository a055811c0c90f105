package dev.roster.profile;

import dev.roster.catalog.StandardFields;
import dev.roster.catalog.FieldType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.error.RosterException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The standard writable profile fields (docs/COMPATIBILITY.md, Profile data), each with the type that decides which
 * field
 * functions apply to it and with its own normalisation. {@code subscriptions} is not a data field and is
 * not listed here.
 */
public enum StandardField {
    EMAIL("email", FieldType.STRING),
    PHONES("phones", FieldType.TAGS),
    FNAME("_fname", FieldType.STRING),
    LNAME("_lname", FieldType.STRING),
    BDATE("_bdate", FieldType.DATE),
    SEX("_sex", FieldType.ENUM),
    REGDATE("_regdate", FieldType.DATE),
    REGIP("_regip", FieldType.IP),
    REGCITY("_regcity", FieldType.STRING),
    REGCOUNTRY("_regcountry", FieldType.STRING),
    REGURL("_regurl", FieldType.STRING),
    IP("_ip", FieldType.IP),
    CITY("_city", FieldType.STRING),
    COUNTRY("_country", FieldType.STRING),
    REGION("_region", FieldType.STRING),
    POSTAL_CODE("_postal_code", FieldType.STRING),
    TZ("_tz", FieldType.STRING),
    VENDOR("_vendor", FieldType.STRING),
    BROWSER("_browser", FieldType.STRING),
    OS("_os", FieldType.STRING),
    STATUS("_status", FieldType.INT);

    /** Computed read-only fields: shown by profiles/get, ignored on input so a read profile can be sent back. */
    public static final Set<String> COMPUTED = StandardFields.COMPUTED;

    private static final Map<String, StandardField> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(StandardField::wireName, f -> f));
    // ZoneId ids are case-sensitive; integrators write "europe/moscow" too, so look them up case-blind.
    private static final Map<String, String> ZONES = ZoneId.getAvailableZoneIds().stream()
            .collect(Collectors.toUnmodifiableMap(id -> id.toLowerCase(Locale.ROOT), Function.identity(), (a, b) -> a));

    private final String wireName;
    private final FieldType type;

    StandardField(String wireName, FieldType type) {
        this.wireName = wireName;
        this.type = type;
    }

    public String wireName() {
        return wireName;
    }

    /** The type that decides the allowed field functions (phones behave as tags, _sex as an enum). */
    public FieldType type() {
        return type;
    }

    /** The standard field of that API name, if it is one. */
    public static Optional<StandardField> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** True for computed read-only names, which input ignores. */
    public static boolean isComputed(String name) {
        return COMPUTED.contains(name);
    }

    /** True for names a custom field may not take: standard, computed, and {@code subscriptions}. */
    public static boolean isReserved(String name) {
        return StandardFields.isReserved(name);
    }

    /**
     * Validates a value being set and returns its stored form. Java null means "clear the field" (only
     * {@code _sex: 0} does that). {@code phoneRegion} is the database's default region for phones (may be null).
     */
    public JsonNode coerce(JsonNode value, String phoneRegion) {
        return coerce(value, phoneRegion, java.time.ZoneOffset.UTC);
    }

    /** As {@link #coerce(JsonNode, String)}, reading zoneless date-times in {@code zone} (the database's). */
    public JsonNode coerce(JsonNode value, String phoneRegion, java.time.ZoneId zone) {
        return switch (this) {
            case EMAIL -> value != null && value.isTextual()
                    ? JsonValues.NODES.textNode(Normalizer.emailStored(value.textValue()))
                    : fail(value);
            case PHONES -> {
                JsonNode phones = JsonValues.tags(value, p -> Normalizer.phone(wireName, p, phoneRegion));
                yield phones == null ? fail(value) : phones;
            }
            case SEX -> {
                String sex = Normalizer.sex(value);
                yield sex == null ? null : JsonValues.NODES.textNode(sex);
            }
            case TZ -> timeZone(value);
            default -> FieldValues.coerce(type, wireName, value, null, zone);
        };
    }

    private JsonNode timeZone(JsonNode value) {
        String zone = value != null && value.isTextual() ? ZONES.get(value.textValue().strip().toLowerCase(Locale.ROOT)) : null;
        if (zone == null) {
            throw RosterException.invalid(wireName, "an IANA time zone such as \"Europe/Moscow\"", value);
        }
        return JsonValues.NODES.textNode(zone);
    }

    private JsonNode fail(JsonNode value) {
        String expected = switch (this) {
            case EMAIL -> Normalizer.EMAIL_EXPECTED;
            case PHONES -> "an array of phone numbers or a comma-separated string of them";
            default -> type.expected();
        };
        throw RosterException.invalid(wireName, expected, value);
    }
}
