package dev.roster.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.catalog.CatalogModel.Field;
import dev.roster.catalog.CatalogModel.Schema;
import dev.roster.catalog.Channel;
import dev.roster.catalog.ResourceService;
import dev.roster.catalog.FieldType;
import dev.roster.error.RosterException;
import dev.roster.json.Json;
import dev.roster.profile.ProfileModel.MatchRequest;
import dev.roster.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

import static dev.roster.profile.MatchKeys.email;
import static dev.roster.profile.MatchKeys.optionalEmail;
import static dev.roster.profile.MatchKeys.optionalPhone;
import static dev.roster.profile.MatchKeys.phone;
import static dev.roster.profile.MatchKeys.profileId;
import static dev.roster.profile.MatchKeys.push;

/**
 * Finds the profile a request means (docs/COMPATIBILITY.md, Identity keys and matching): keys from the top level, else
 * from {@code data};
 * {@code resource_id} narrows the subscription side of email, phone and push matching to that resource.
 */
final class Matcher {
    private final Store store;

    Matcher(Store store) {
        this.store = store;
    }


    /**
     * The one matching profile, empty when none matches; 409 when several do, 400 when the key is missing, 404 when
     * {@code resource_id} names no resource of the database's account that serves the database.
     */
    Optional<String> find(Handle h, Schema schema, MatchRequest request, ObjectNode data) {
        Matching mode = request.mode();
        long db = schema.dbId();
        Long resource = request.resourceId();
        if (resource != null) {
            ResourceService.requireServing(h, db, resource);
        }
        return switch (mode) {
            case EMAIL -> {
                String email = email(request, data);
                yield narrowed(h, db, ProfileSql.keyOwner(h, db, ProfileKeys.EMAIL, email), Channel.EMAIL, email, resource,
                        p -> email.equals(profileEmail(p)));
            }
            case EMAIL_PROFILE -> {
                String email = email(request, data);
                yield ProfileSql.keyOwner(h, db, ProfileKeys.EMAIL, email)
                        .filter(owner -> email.equals(profileEmail(load(h, db, owner))));
            }
            case EMAIL_SUB -> one(ProfileSql.subscriptionOwners(h, db, Channel.EMAIL, email(request, data), resource, 2),
                    "email subscription '" + email(request, data) + "'");
            case PHONE -> {
                String phone = phone(request, data, schema);
                yield schema.uniquePhones()
                        ? narrowed(h, db, ProfileSql.keyOwner(h, db, ProfileKeys.PHONE, phone), Channel.SMS, phone, resource,
                                p -> profilePhones(p).contains(phone))
                        : phoneLookup(h, db, phone, resource);
            }
            case PHONE_SUB -> {
                String phone = phone(request, data, schema);
                yield one(ProfileSql.subscriptionOwners(h, db, Channel.SMS, phone, resource, 2), "sms subscription '" + phone + "'");
            }
            case PROFILE_ID -> {
                String id = profileId(request, data);
                yield ProfileSql.profileExists(h, db, id) ? Optional.of(id) : Optional.empty();
            }
            case PUSH_SUB -> {
                String address = push(request, data);
                Optional<String> owner = ProfileSql.keyOwner(h, db, ProfileKeys.PUSH, address);
                yield resource == null ? owner
                        : one(ProfileSql.subscriptionOwners(h, db, Channel.PUSH, address, resource, 2), "push subscription");
            }
            case CUSTOM -> custom(h, schema, request, data);
            case CUSTOM_SUB -> customSubscription(h, schema, request, resource);
            case EMAIL_PHONE -> either(h, schema, request, data, false);
            case EMAIL_PHONE_SUB -> either(h, schema, request, data, true);
        };
    }

    private Optional<String> narrowed(Handle h, long db, Optional<String> owner, Channel channel, String address,
                                      Long resource, java.util.function.Predicate<ObjectNode> profileHasIt) {
        if (resource == null || owner.isEmpty()) {
            return owner;
        }
        if (!ProfileSql.subscriptionOwners(h, db, channel, address, resource, 1).isEmpty()
                || profileHasIt.test(load(h, db, owner.get()))) {
            return owner;
        }
        return Optional.empty();
    }

    /**
     * Phones that are not unique: with a resource, the profiles with an sms subscription of it at the number and
     * those whose own {@code phones} hold it.
     */
    private Optional<String> phoneLookup(Handle h, long db, String phone, Long resource) {
        if (resource == null) {
            return one(ProfileSql.lookupOwners(h, db, ProfileKeys.PHONE, phone, 2), "phone '" + phone + "'");
        }
        Set<String> owners = new LinkedHashSet<>(ProfileSql.subscriptionOwners(h, db, Channel.SMS, phone, resource, 2));
        owners.addAll(ownPhoneOwners(h, db, phone));
        return one(new ArrayList<>(owners), "phone '" + phone + "'");
    }

    /** Profiles whose own {@code phones} hold the number, in a database whose phones are not unique. */
    private static List<String> ownPhoneOwners(Handle h, long db, String phone) {
        List<String> owners = new ArrayList<>();
        for (String candidate : ProfileSql.lookupOwners(h, db, ProfileKeys.PHONE, phone, 10)) {
            if (profilePhones(load(h, db, candidate)).contains(phone)) {
                owners.add(candidate);
            }
        }
        return owners;
    }

    /**
     * For an import by {@code email_sub}, {@code phone_sub} or {@code email_phone_sub} that found no subscription: the profile holding the
     * searched address as its own key, which a profile created by such an import carries (see
     * {@link #withMatchedKeys}); so the same import sent twice updates that profile instead of making another.
     */
    Optional<String> carriedKeyOwner(Handle h, Schema schema, MatchRequest request, ObjectNode data) {
        long db = schema.dbId();
        return switch (request.mode()) {
            case EMAIL_SUB -> ProfileSql.keyOwner(h, db, ProfileKeys.EMAIL, email(request, data));
            case PHONE_SUB -> phoneKeyOwner(h, schema, phone(request, data, schema));
            case EMAIL_PHONE_SUB -> {
                String email = optionalEmail(request, data);
                String phone = optionalPhone(request, data, schema);
                Set<String> owners = new LinkedHashSet<>();
                if (email != null) {
                    ProfileSql.keyOwner(h, db, ProfileKeys.EMAIL, email).ifPresent(owners::add);
                }
                if (phone != null) {
                    phoneKeyOwner(h, schema, phone).ifPresent(owners::add);
                }
                yield one(new ArrayList<>(owners), (email == null ? "" : "email '" + email + "'")
                        + (email != null && phone != null ? " and " : "") + (phone == null ? "" : "phone '" + phone + "'"));
            }
            default -> Optional.empty();
        };
    }

    private Optional<String> phoneKeyOwner(Handle h, Schema schema, String phone) {
        return schema.uniquePhones() ? ProfileSql.keyOwner(h, schema.dbId(), ProfileKeys.PHONE, phone)
                : one(ownPhoneOwners(h, schema.dbId(), phone), "phone '" + phone + "'");
    }

    /**
     * A new profile of an import by {@code push_sub} or {@code custom_sub} must hold the subscription it was searched
     * by (it has no other key that the same import would find next time): 400 otherwise.
     */
    static void requireSearchedSubscription(MatchRequest request, ObjectNode data, Schema schema,
                                            List<Subscription> subscriptions) {
        Matching mode = request.mode();
        if (mode != Matching.PUSH_SUB && mode != Matching.CUSTOM_SUB) {
            return;
        }
        Channel channel = mode == Matching.PUSH_SUB ? Channel.PUSH : Channel.parse("field_name", request.fieldName());
        String address = mode == Matching.PUSH_SUB ? push(request, data) : customAddress(request, schema);
        for (Subscription s : subscriptions) {
            if (s.channel() == channel && s.address().equals(address)
                    && (request.resourceId() == null || s.resourceId() == request.resourceId())) {
                return;
            }
        }
        throw RosterException.badRequest("matching '" + mode.wireName() + "' found no profile, and a new one needs the "
                + "searched " + channel.wireName() + " subscription in data.subscriptions"
                + (request.resourceId() == null ? "" : " (of resource " + request.resourceId() + ")")
                + ", so that the same import finds it next time");
    }

    private Optional<String> custom(Handle h, Schema schema, MatchRequest request, ObjectNode data) {
        String name = request.fieldName();
        if (name == null || name.isBlank()) {
            throw RosterException.badRequest("matching 'custom' needs 'field_name' (the custom field to search)");
        }
        Field field = schema.field(name);
        if (field == null) {
            throw RosterException.badRequest("unknown field '" + name + "' in field_name: database " + schema.dbId()
                    + " has no such custom field");
        }
        JsonNode sent = MatchKeys.customValue(request, data, field);
        if (sent == null) {
            throw RosterException.badRequest("missing matching key 'field_value' (send it at the top level or in data."
                    + field.name() + ")");
        }
        if (field.type() == FieldType.TAGS) {
            return tags(h, schema.dbId(), field, sent);
        }
        if (!field.type().canBeKey()) {
            throw RosterException.badRequest("field '" + field.name() + "' of type " + field.type().wireName()
                    + " cannot be matched");
        }
        JsonNode value = MatchKeys.customKeyValue(field, sent, schema);
        String text = ProfileKeys.valueText(field.type(), value);
        if (field.unique()) {
            return ProfileSql.keyOwner(h, schema.dbId(), ProfileKeys.FIELD + field.name(), text);
        }
        // floats by value: 1, 1.0 and "1.0" are one number, whatever text the stored JSON has
        List<String> owners = field.type() == FieldType.FLOAT
                ? ProfileSql.numberOwners(h, schema.dbId(), field.name(),
                        value.doubleValue(), 2)
                : ProfileSql.fieldOwners(h, schema.dbId(), field.name(), text, 2);
        return one(owners, "value '" + text + "' of field '" + field.name() + "'");
    }

    /** Tags match by their combination: the profile's tags are exactly the tags sent, in any order. */
    private Optional<String> tags(Handle h, long db, Field field, JsonNode sent) {
        JsonNode wanted = FieldValues.coerce(FieldType.TAGS, "field_value", sent, null);
        Set<String> wantedSet = new LinkedHashSet<>();
        wanted.forEach(t -> wantedSet.add(t.asText()));
        if (wantedSet.isEmpty()) {
            throw RosterException.invalid("field_value", "at least one tag", sent);
        }
        String first = Json.write(wantedSet.iterator().next());
        List<String> owners = new ArrayList<>();
        for (ProfileSql.ProfileRow row : ProfileSql.profilesWithText(h, db, first, 10_000)) {
            JsonNode tags = row.data().get(field.name());
            Set<String> have = new LinkedHashSet<>();
            if (tags != null) {
                tags.forEach(t -> have.add(t.asText()));
            }
            if (have.equals(wantedSet)) {
                owners.add(row.id());
            }
        }
        return one(owners, "tags " + wantedSet + " of field '" + field.name() + "'");
    }

    private Optional<String> customSubscription(Handle h, Schema schema, MatchRequest request, Long resource) {
        if (request.fieldName() == null || request.fieldValue() == null) {
            throw RosterException.badRequest("matching 'custom_sub' needs 'field_name' (the channel: telegram_bot, "
                    + "whatsapp, viber or notify) and 'field_value' (its address)");
        }
        Channel channel = Channel.parse("field_name", request.fieldName());
        String address = customAddress(request, schema);
        return one(ProfileSql.subscriptionOwners(h, schema.dbId(), channel, address, resource, 2),
                channel.wireName() + " subscription '" + address + "'");
    }

    /** The normalised address {@code custom_sub} searches: a chat id as sent, a messenger phone in E.164. */
    private static String customAddress(MatchRequest request, Schema schema) {
        Channel channel = Channel.parse("field_name", request.fieldName());
        String value = request.fieldValue().asText().strip();
        return switch (channel) {
            case TELEGRAM_BOT -> value;
            case WHATSAPP, VIBER, NOTIFY -> Normalizer.phone("field_value", value, schema.phoneRegion());
            default -> throw RosterException.invalid("field_name", "a messenger channel (telegram_bot, whatsapp, viber, "
                    + "notify); use email_sub, phone_sub or push_sub for the others", "\"" + request.fieldName() + "\"");
        };
    }

    /** email_phone and email_phone_sub: the email, the phone, or both, must lead to one profile. */
    private Optional<String> either(Handle h, Schema schema, MatchRequest request, ObjectNode data, boolean subscriptions) {
        String email = optionalEmail(request, data);
        String phone = optionalPhone(request, data, schema);
        if (email == null && phone == null) {
            throw RosterException.badRequest("matching '" + (subscriptions ? "email_phone_sub" : "email_phone")
                    + "' needs 'email' or 'phone' (at the top level or in data)");
        }
        long db = schema.dbId();
        Set<String> owners = new LinkedHashSet<>();
        if (email != null) {
            if (subscriptions) {
                owners.addAll(ProfileSql.subscriptionOwners(h, db, Channel.EMAIL, email, request.resourceId(), 2));
            } else {
                ProfileSql.keyOwner(h, db, ProfileKeys.EMAIL, email)
                        .filter(o -> email.equals(profileEmail(load(h, db, o)))).ifPresent(owners::add);
            }
        }
        if (phone != null) {
            if (subscriptions) {
                owners.addAll(ProfileSql.subscriptionOwners(h, db, Channel.SMS, phone, request.resourceId(), 2));
            } else {
                List<String> candidates = schema.uniquePhones()
                        ? ProfileSql.keyOwner(h, db, ProfileKeys.PHONE, phone).stream().toList()
                        : ProfileSql.lookupOwners(h, db, ProfileKeys.PHONE, phone, 10);
                for (String candidate : candidates) {
                    if (profilePhones(load(h, db, candidate)).contains(phone)) {
                        owners.add(candidate);
                    }
                }
            }
        }
        return one(new ArrayList<>(owners), (email == null ? "" : "email '" + email + "'")
                + (email != null && phone != null ? " and " : "") + (phone == null ? "" : "phone '" + phone + "'"));
    }

    private static Optional<String> one(List<String> owners, String what) {
        if (owners.size() > 1) {
            throw RosterException.conflict("ambiguous match: " + what + " matches several profiles ("
                    + String.join(", ", owners.subList(0, Math.min(owners.size(), 5))) + ")");
        }
        return owners.stream().findFirst();
    }

    private static ObjectNode load(Handle h, long db, String id) {
        return ProfileSql.readProfile(h, db, id).map(ProfileSql.ProfileRow::data).orElse(Json.object());
    }

    private static String profileEmail(ObjectNode data) {
        JsonNode email = data.get("email");
        return email == null || !email.isTextual() ? null : Normalizer.emailKey(email.textValue());
    }

    private static Set<String> profilePhones(ObjectNode data) {
        Set<String> phones = new LinkedHashSet<>();
        JsonNode node = data.get("phones");
        if (node != null) {
            node.forEach(p -> phones.add(p.asText()));
        }
        return phones;
    }

    /**
     * The data of a profile that import creates, carrying the keys it was searched by: a key sent only at the top
     * level goes into the new profile's fields (email, phones, the custom field), so that the same import finds it
     * next time instead of creating another. Keys that data already has are left as sent; {@code data} is not changed.
     * {@code email_sub} makes the address the profile's email when it has none; {@code phone_sub} adds the number to
     * its phones. Returns {@code data} itself when it has nothing to add: callers only read the result.
     */
    static ObjectNode withMatchedKeys(MatchRequest request, ObjectNode data, Schema schema) {
        Matching mode = request.mode();
        // keys only at the top level are rare (an import file's rows carry theirs): copy only when one goes in
        if (request.email() == null && request.phone() == null
                && (mode != Matching.CUSTOM || request.fieldName() == null || request.fieldValue() == null)) {
            return data;
        }
        ObjectNode out = data.deepCopy();
        boolean subscriptionKeys = mode == Matching.EMAIL_SUB || mode == Matching.PHONE_SUB
                || mode == Matching.EMAIL_PHONE_SUB;
        if (subscriptionKeys && mode.usesEmail() && request.email() != null && absent(out, "email")) {
            out.put("email", request.email());
        }
        if (subscriptionKeys && mode.usesPhone() && request.phone() != null) {
            JsonNode phones = out.get("phones");
            if (phones == null || phones.isNull()) {
                out.set("phones", Json.array().add(request.phone()));
            } else if (phones.isArray() && !holds(phones, phone(request, data, schema), schema)) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) out.get("phones")).add(request.phone());
            }
        }
        boolean profileFields = mode == Matching.EMAIL || mode == Matching.EMAIL_PROFILE || mode == Matching.PHONE
                || mode == Matching.EMAIL_PHONE;
        if (profileFields && request.email() != null && mode.usesEmail() && absent(out, "email")) {
            out.put("email", request.email());
        }
        if (profileFields && request.phone() != null && mode.usesPhone() && absent(out, "phones")) {
            out.set("phones", Json.array().add(request.phone()));
        }
        if (mode == Matching.CUSTOM && request.fieldName() != null && request.fieldValue() != null) {
            Field field = schema.field(request.fieldName());
            if (field != null && absent(out, field.name())) {
                out.set(field.name(), request.fieldValue());
            }
        }
        return out;
    }

    /** Whether a sent phones array holds the number (elements that are no phone number are left to the write's 400). */
    private static boolean holds(JsonNode phones, String e164, Schema schema) {
        for (JsonNode p : phones) {
            try {
                if (p.isTextual() && e164.equals(Normalizer.phone("phones", p.textValue(), schema.phoneRegion()))) {
                    return true;
                }
            } catch (RosterException e) {
                // not a number: ProfileData refuses it with the field's message
            }
        }
        return false;
    }

    private static boolean absent(ObjectNode data, String name) {
        JsonNode value = data.get(name);
        return value == null || value.isNull();
    }
}
