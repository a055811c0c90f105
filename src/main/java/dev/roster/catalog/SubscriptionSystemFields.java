package dev.roster.catalog;

import java.util.List;

/**
 * The system subscription fields that {@code resources/fields_get} lists for every channel (docs/API.md,
 * resources/fields_get; the
 * reference's example lists them for the email channel). Their values are checked against {@code check}.
 */
final class SubscriptionSystemFields {
    record SystemField(String name, String title, String type, String dictionary, FieldType check) {
    }

    static final List<SystemField> ALL = List.of(
            new SystemField("_device_type", "Device type", "unicode", "devices", FieldType.STRING),
            new SystemField("_device_model", "Device model", "unicode", null, FieldType.STRING),
            new SystemField("_device_name", "Device name", "unicode", null, FieldType.STRING),
            new SystemField("_os", "Platform", "unicode", "oses", FieldType.STRING),
            new SystemField("_os_ver", "Platform version", "version", null, FieldType.STRING),
            new SystemField("_os_tz", "Platform time zone", "unicode", "tz", FieldType.STRING),
            new SystemField("_os_language", "Platform language", "unicode", "languages", FieldType.STRING),
            new SystemField("_ad_track", "Ad tracking allowed", "bool", null, FieldType.BOOL),
            new SystemField("_ad_id", "Ad identifier", "unicode", null, FieldType.STRING),
            new SystemField("_app_id", "Application ID", "unicode", null, FieldType.STRING),
            new SystemField("_app_iid", "Application installation ID", "unicode", null, FieldType.STRING),
            new SystemField("_browser_name", "Browser name", "unicode", null, FieldType.STRING));

    private SubscriptionSystemFields() {
    }
}
