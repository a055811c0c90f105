package dev.roster.catalog;

import dev.roster.error.RosterException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The channels a resource can enable; {@code telegram_bot}, {@code whatsapp}, {@code viber}, {@code notify} address by {@code cc_data}. */
public enum Channel {
    EMAIL("email"),
    SMS("sms"),
    PUSH("push"),
    TELEGRAM_BOT("telegram_bot"),
    WHATSAPP("whatsapp"),
    VIBER("viber"),
    NOTIFY("notify");

    private final String wireName;

    Channel(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Channel parse(String parameter, String name) {
        for (Channel c : values()) {
            if (c.wireName.equals(name)) {
                return c;
            }
        }
        throw RosterException.invalid(parameter, "one of " + Arrays.stream(values()).map(Channel::wireName)
                .collect(Collectors.joining(", ")), "\"" + name + "\"");
    }
}
