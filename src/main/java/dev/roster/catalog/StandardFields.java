package dev.roster.catalog;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The fields every database has (docs/COMPATIBILITY.md, Profile data) and the computed names that no custom field may
 * take.
 */
public final class StandardFields {
    /** Writable standard fields and their types as {@code databases/fields_get} shows them. */
    public static final Map<String, String> WRITABLE = writable();

    /** Read-only names computed by Roster, ignored on input. */
    public static final Set<String> COMPUTED = Set.of("id", "db_id", "_acid", "_createtime", "_updatetime",
            "_emaildomain", "_domaingroup", "_md5", "_xxh", "_xxm", "_lat", "_lon", "_is_desktop", "_is_test",
            "_deliv_exist", "_deliv_date", "_deliv_sms_exist", "_deliv_sms_date", "_deliv_push_exist", "_open_date",
            "_click_exist", "_click_sms_exist", "_click_push_exist", "_confirm_exist");

    private StandardFields() {
    }

    private static Map<String, String> writable() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("email", "string");
        fields.put("phones", "phones");
        for (String name : new String[] {"_fname", "_lname"}) {
            fields.put(name, "string");
        }
        fields.put("_bdate", "date");
        fields.put("_sex", "enum");
        fields.put("_regdate", "date");
        fields.put("_regip", "ip");
        for (String name : new String[] {"_regcity", "_regcountry", "_regurl"}) {
            fields.put(name, "string");
        }
        fields.put("_ip", "ip");
        for (String name : new String[] {"_city", "_country", "_region", "_postal_code", "_tz", "_vendor", "_browser", "_os"}) {
            fields.put(name, "string");
        }
        fields.put("_status", "int");
        return java.util.Collections.unmodifiableMap(fields);
    }

    /** True when a custom field may not take this name (any case). */
    public static boolean isReserved(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return WRITABLE.containsKey(lower) || COMPUTED.contains(lower) || lower.equals("subscriptions");
    }
}
