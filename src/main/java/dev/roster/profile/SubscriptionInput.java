package dev.roster.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.catalog.Channel;
import dev.roster.error.RosterException;
import dev.roster.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * One subscription as a request sends it, in the flat form ({@code email}, {@code phone}, {@code provider} +
 * {@code subscription_id}, {@code cc_data}) or the stored form ({@code email_data}, {@code sms_data},
 * {@code push_data}), parsed and normalised.
 *
 * @param address      the normalised identity within (resource, channel)
 * @param contact      the channel data to store, as sent (after trimming and normalising phones)
 * @param status       null when not sent: a new subscription is then subscribed, a known one keeps its status
 * @param priority     null when not sent
 * @param customFields null when not sent; values may be field functions
 * @param cats         null when not sent
 */
public record SubscriptionInput(int index, long resourceId, Channel channel, String address, ObjectNode contact,
                                SubscriptionStatus status, Integer priority, ObjectNode customFields, List<String> cats) {

    /** Keys of the stored form that Roster computes; a subscription read with profiles/get can be sent back. */
    private static final Set<String> COMPUTED = Set.of("hash_id", "is_delete", "reg_info", "db_id", "profile_id");
    private static final Set<String> KNOWN = Set.of("channel", "resource_id", "email", "phone", "provider",
            "subscription_id", "cc_data", "email_data", "sms_data", "push_data", "status", "priority",
            "custom_fields", "cats");
    static final char PUSH_SEPARATOR = '\u001f';

    /** The subscription this input names among a profile's: the same as {@link Subscription#key()} of the stored one. */
    public String key() {
        return Subscription.key(resourceId, channel, address);
    }

    /** Parses {@code data.subscriptions[index]}; errors name the item and the member. */
    public static SubscriptionInput parse(int index, JsonNode item, String phoneRegion) {
        String where = "data.subscriptions[" + index + "]";
        try {
            return parseItem(index, item, phoneRegion, where);
        } catch (RosterException e) {
            if (e.getMessage().startsWith(where)) {
                throw e;
            }
            throw new RosterException(e.code(), where + ": " + e.getMessage());
        }
    }

    /**
     * Parses the identification (and, for writes, the status, priority, custom_fields and cats) that a single-subscription
     * method sends at the top level of its request; errors name the parameter.
     */
    public static SubscriptionInput parseRequest(JsonNode members, String phoneRegion) {
        return parseItem(0, members, phoneRegion, "request");
    }

    private static SubscriptionInput parseItem(int index, JsonNode item, String region, String where) {
        if (!item.isObject()) {
            throw RosterException.invalid(where, "a subscription object", item);
        }
        Iterator<String> names = item.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!KNOWN.contains(name) && !COMPUTED.contains(name)) {
                throw RosterException.badRequest(where + ": unknown member '" + name + "'");
            }
        }
        JsonNode channelNode = item.get("channel");
        if (channelNode == null || !channelNode.isTextual()) {
            throw RosterException.invalid("channel", "a channel such as \"email\", \"sms\" or \"push\"", channelNode);
        }
        Channel channel = Channel.parse("channel", channelNode.textValue());
        long resourceId = positiveLong(item.get("resource_id"), "resource_id");

        ObjectNode contact = Json.object();
        String address = switch (channel) {
            case EMAIL -> {
                String email = text(member(item, "email", "email_data"), "email");
                contact.put("email", Normalizer.emailStored(email));
                yield Normalizer.emailKey(email);
            }
            case SMS -> {
                String phone = Normalizer.phone("phone", text(member(item, "phone", "sms_data"), "phone"), region);
                contact.put("phone", phone);
                yield phone;
            }
            case PUSH -> {
                String provider = text(member(item, "provider", "push_data"), "provider").strip();
                String token = text(member(item, "subscription_id", "push_data"), "subscription_id").strip();
                if (provider.isEmpty() || provider.length() > 64) {
                    throw RosterException.invalid("provider", "a provider name of 1 to 64 characters", provider);
                }
                if (token.isEmpty() || token.length() > 4096) {
                    throw RosterException.invalid("subscription_id", "a push token of 1 to 4096 characters", "(length "
                            + token.length() + ")");
                }
                contact.put("provider", provider);
                contact.put("subscription_id", token);
                yield provider + PUSH_SEPARATOR + token;
            }
            case TELEGRAM_BOT -> {
                JsonNode id = ccData(item).get("id");
                if (id == null || !(id.isIntegralNumber() || id.isTextual() && !id.textValue().isBlank())) {
                    throw RosterException.invalid("cc_data.id", "the Telegram chat id", id);
                }
                contact.set("cc_data", Json.object().set("id", id));
                yield id.asText().strip();
            }
            case WHATSAPP, VIBER, NOTIFY -> {
                JsonNode phoneNode = ccData(item).get("phone");
                String phone = Normalizer.phone("cc_data.phone", text(phoneNode, "cc_data.phone"), region);
                contact.set("cc_data", Json.object().put("phone", phone));
                yield phone;
            }
        };

        SubscriptionStatus status = null;
        JsonNode statusNode = item.get("status");
        if (statusNode != null && !statusNode.isNull() && !isKeep(statusNode)) {
            status = SubscriptionStatus.parse("status", statusNode);
        }
        Integer priority = null;
        JsonNode priorityNode = item.get("priority");
        if (priorityNode != null && !priorityNode.isNull() && !isKeep(priorityNode)) {
            priority = intValue(priorityNode, "priority");
        }
        ObjectNode customFields = null;
        JsonNode customNode = item.get("custom_fields");
        if (customNode != null && !customNode.isNull()) {
            if (!customNode.isObject()) {
                throw RosterException.invalid("custom_fields", "an object of subscription fields", customNode);
            }
            customFields = (ObjectNode) customNode;
        }
        List<String> cats = null;
        JsonNode catsNode = item.get("cats");
        if (catsNode != null && !catsNode.isNull()) {
            cats = categories(catsNode);
        }
        return new SubscriptionInput(index, resourceId, channel, address, contact, status, priority, customFields, cats);
    }

    /** {@code -1} means "leave it as it is" (docs/COMPATIBILITY.md, Subscriptions), the same as not sending it. */
    private static boolean isKeep(JsonNode node) {
        return node.isIntegralNumber() && node.intValue() == -1 || node.isTextual() && node.textValue().strip().equals("-1");
    }

    /** The flat member, or the same member inside the stored form's channel object. */
    private static JsonNode member(JsonNode item, String name, String storedForm) {
        JsonNode flat = item.get(name);
        if (flat != null && !flat.isNull()) {
            return flat;
        }
        JsonNode nested = item.get(storedForm);
        if (nested != null && nested.isObject()) {
            return nested.get(name);
        }
        return null;
    }

    private static JsonNode ccData(JsonNode item) {
        JsonNode cc = item.get("cc_data");
        if (cc == null || !cc.isObject()) {
            throw RosterException.invalid("cc_data", "an object with the channel's address", cc);
        }
        return cc;
    }

    private static String text(JsonNode node, String name) {
        if (node == null || node.isNull()) {
            throw RosterException.badRequest("missing '" + name + "'");
        }
        if (!node.isTextual()) {
            throw RosterException.invalid(name, "a string", node);
        }
        return node.textValue();
    }

    private static long positiveLong(JsonNode node, String name) {
        if (node == null || node.isNull()) {
            throw RosterException.badRequest("missing '" + name + "'");
        }
        long value;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            value = node.longValue();
        } else if (node.isTextual() && node.textValue().strip().matches("\\d{1,18}")) {
            value = Long.parseLong(node.textValue().strip());
        } else {
            throw RosterException.invalid(name, "a positive integer id", node);
        }
        if (value <= 0) {
            throw RosterException.invalid(name, "a positive integer id", node);
        }
        return value;
    }

    private static int intValue(JsonNode node, String name) {
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        if (node.isTextual() && node.textValue().strip().matches("-?\\d{1,9}")) {
            return Integer.parseInt(node.textValue().strip());
        }
        throw RosterException.invalid(name, "an integer", node);
    }

    private static List<String> categories(JsonNode node) {
        List<String> cats = new ArrayList<>();
        JsonNode items = node;
        if (node.isTextual()) {
            items = Json.array().add(node);
        }
        if (!items.isArray()) {
            throw RosterException.invalid("cats", "an array of category names", node);
        }
        for (JsonNode cat : items) {
            if (!cat.isTextual() || cat.textValue().isBlank() || cat.textValue().length() > 128) {
                throw RosterException.invalid("cats", "an array of category names", node);
            }
            if (!cats.contains(cat.textValue())) {
                cats.add(cat.textValue());
            }
        }
        return cats;
    }
}
