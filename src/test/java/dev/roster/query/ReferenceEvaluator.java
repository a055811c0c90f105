package dev.roster.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.profile.Normalizer;
import dev.roster.profile.SubscriptionStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The query language of docs/API.md interpreted directly over profiles as profiles/get shows them: the reference the
 * SQL translation is checked against. Deliberately naive: every condition is evaluated on the JSON, field by field.
 * Only valid queries are given to it (the server answers the invalid ones).
 */
final class ReferenceEvaluator {
    enum Type { TEXT, NUMBER, BOOL, DATE, MILLIS, EMAIL, PHONE, ENUM, STATUS, OPAQUE }

    /** A field's type and whether it holds an array. */
    record FieldType(Type type, boolean array, List<String> options) {
    }

    private final Map<String, FieldType> fields;
    private final String phoneRegion;

    ReferenceEvaluator(Map<String, FieldType> fields, String phoneRegion) {
        this.fields = fields;
        this.phoneRegion = phoneRegion;
    }

    boolean matches(JsonNode query, JsonNode profile) {
        return document(query, profile, false);
    }

    private boolean document(JsonNode doc, JsonNode subject, boolean subscription) {
        Iterator<Map.Entry<String, JsonNode>> it = doc.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!member(m.getKey(), m.getValue(), subject, subscription)) {
                return false;
            }
        }
        return true;
    }

    private boolean member(String key, JsonNode value, JsonNode subject, boolean subscription) {
        switch (key) {
            case "$and": {
                for (JsonNode d : value) {
                    if (!document(d, subject, subscription)) {
                        return false;
                    }
                }
                return true;
            }
            case "$or": {
                for (JsonNode d : value) {
                    if (document(d, subject, subscription)) {
                        return true;
                    }
                }
                return false;
            }
            case "$nor": {
                for (JsonNode d : value) {
                    if (document(d, subject, subscription)) {
                        return false;
                    }
                }
                return true;
            }
            default:
                break;
        }
        if (!subscription && key.equals("subscriptions")) {
            return subscriptions(value, subject);
        }
        FieldType type = subscription ? subscriptionType(key) : fields.get(key);
        List<Object> values = subscription ? subscriptionValues(key, subject) : profileValues(key, type, subject);
        return condition(type, values, value);
    }

    private boolean subscriptions(JsonNode value, JsonNode profile) {
        if (value.has("$not")) {
            return !subscriptions(value.get("$not"), profile);
        }
        for (JsonNode s : profile.path("subscriptions")) {
            if (document(value.get("$elemMatch"), s, true)) {
                return true;
            }
        }
        return false;
    }

    /** null: the field is missing; else its values (one for a scalar, the elements of an array). */
    private List<Object> profileValues(String name, FieldType type, JsonNode profile) {
        switch (name) {
            case "id":
                return List.of(profile.get("id").asText());
            case "_createtime":
            case "_updatetime":
                return List.of(Instant.parse(profile.get(name).asText()).toEpochMilli());
            case "email":
                return profile.has("email") ? List.of(fold(profile.get("email").asText())) : null;
            case "_emaildomain": {
                if (!profile.has("email")) {
                    return null;
                }
                String email = fold(profile.get("email").asText());
                return List.of(email.substring(email.indexOf('@') + 1));
            }
            default:
                break;
        }
        JsonNode v = profile.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (type.array()) {
            List<Object> out = new ArrayList<>();
            if (type.type() == Type.OPAQUE) {
                v.forEach(out::add);
            } else {
                v.forEach(e -> out.add(stored(type, e)));
            }
            return out;
        }
        return List.of(type.type() == Type.OPAQUE ? v : stored(type, v));
    }

    private static String fold(String email) {
        return java.text.Normalizer.normalize(email.strip(), java.text.Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }

    private static Object stored(FieldType type, JsonNode v) {
        return switch (type.type()) {
            case NUMBER -> v.decimalValue();
            case BOOL -> v.booleanValue();
            case DATE -> Instant.parse(v.asText());
            default -> v.asText();
        };
    }

    private static FieldType subscriptionType(String name) {
        return switch (name) {
            case "resource_id", "priority" -> new FieldType(Type.NUMBER, false, null);
            case "status" -> new FieldType(Type.STATUS, false, null);
            case "email" -> new FieldType(Type.EMAIL, false, null);
            case "phone" -> new FieldType(Type.PHONE, false, null);
            case "cats" -> new FieldType(Type.TEXT, true, null);
            default -> new FieldType(Type.TEXT, false, null);
        };
    }

    private List<Object> subscriptionValues(String name, JsonNode s) {
        String channel = s.get("channel").asText();
        return switch (name) {
            case "resource_id" -> List.of(s.get("resource_id").decimalValue());
            case "channel" -> List.of(channel);
            case "status" -> List.of(BigDecimal.valueOf(SubscriptionStatus.parse("status", s.get("status")).number()));
            case "email" -> channel.equals("email") ? List.of(fold(s.path("email_data").path("email").asText())) : null;
            case "phone" -> channel.equals("sms")
                    ? List.of(Normalizer.phone("phone", s.path("sms_data").path("phone").asText(), phoneRegion)) : null;
            case "provider" -> channel.equals("push") ? List.of(s.path("push_data").path("provider").asText()) : null;
            case "subscription_id" -> channel.equals("push")
                    ? List.of(s.path("push_data").path("subscription_id").asText()) : null;
            case "priority" -> s.has("priority") ? List.of(s.get("priority").decimalValue()) : null;
            case "cats" -> {
                List<Object> out = new ArrayList<>();
                s.path("cats").forEach(c -> out.add(c.asText()));
                yield out;
            }
            default -> throw new IllegalArgumentException(name);
        };
    }

    private boolean condition(FieldType type, List<Object> values, JsonNode cond) {
        boolean operators = cond.isObject() && cond.size() > 0 && cond.fieldNames().next().startsWith("$");
        if (!operators) {
            if (cond.isNull()) {
                return values == null;
            }
            return some(type, values, v -> compare(type, v, query(type, cond)) == 0);
        }
        Iterator<Map.Entry<String, JsonNode>> it = cond.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> op = it.next();
            JsonNode q = op.getValue();
            boolean holds = switch (op.getKey()) {
                case "$eq" -> q.isNull() ? values == null : some(type, values, v -> compare(type, v, query(type, q)) == 0);
                case "$ne" -> q.isNull() ? values != null : !some(type, values, v -> compare(type, v, query(type, q)) == 0);
                case "$gt" -> some(type, values, v -> compare(type, v, query(type, q)) > 0);
                case "$gte" -> some(type, values, v -> compare(type, v, query(type, q)) >= 0);
                case "$lt" -> some(type, values, v -> compare(type, v, query(type, q)) < 0);
                case "$lte" -> some(type, values, v -> compare(type, v, query(type, q)) <= 0);
                case "$in" -> some(type, values, v -> in(type, v, q));
                case "$nin" -> !some(type, values, v -> in(type, v, q));
                case "$exists" -> q.asBoolean() == (values != null);
                case "$regex" -> {
                    int flags = "i".equals(cond.path("$options").asText())
                            ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
                    Pattern p = Pattern.compile(q.asText(), flags);
                    yield some(type, values, v -> p.matcher(v.toString()).find());
                }
                case "$options" -> true;
                case "$size" -> values != null && values.size() == q.asInt();
                case "$not" -> !condition(type, values, q);
                case "$elemMatch" -> {
                    FieldType one = new FieldType(type.type(), false, type.options());
                    boolean any = false;
                    if (values != null) {
                        for (Object v : values) {
                            if (condition(one, List.of(v), q)) {
                                any = true;
                                break;
                            }
                        }
                    }
                    yield any;
                }
                default -> throw new IllegalArgumentException(op.getKey());
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    private boolean in(FieldType type, Object v, JsonNode list) {
        for (JsonNode q : list) {
            if (compare(type, v, query(type, q)) == 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean some(FieldType type, List<Object> values, java.util.function.Predicate<Object> test) {
        if (values == null) {
            return false;
        }
        for (Object v : values) {
            if (test.test(v)) {
                return true;
            }
        }
        return false;
    }

    /** A query value in the form the stored values are compared with. */
    private Object query(FieldType type, JsonNode q) {
        return switch (type.type()) {
            case NUMBER -> q.isTextual() ? new BigDecimal(q.textValue()) : q.decimalValue();
            case STATUS -> BigDecimal.valueOf(SubscriptionStatus.parse("status", q).number());
            case BOOL -> q.isBoolean() ? q.booleanValue() : q.asText().equals("true") || q.asText().equals("1");
            case DATE -> Instant.parse(Normalizer.date("date", q));
            case MILLIS -> Instant.parse(Normalizer.date("date", q)).toEpochMilli();
            case EMAIL -> Normalizer.emailKey(q.asText());
            case PHONE -> Normalizer.phone("phone", q.asText(), phoneRegion);
            case ENUM -> q.isIntegralNumber() ? type.options().get(q.intValue() - 1) : q.asText().toLowerCase(Locale.ROOT);
            default -> q.asText();
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(FieldType type, Object stored, Object query) {
        if (stored instanceof String a && query instanceof String b) {
            return Integer.signum(codePointCompare(a, b));
        }
        if (stored instanceof BigDecimal a && query instanceof BigDecimal b) {
            return a.compareTo(b);
        }
        if (stored instanceof Long a && query instanceof Long b) {
            return a.compareTo(b);
        }
        return ((Comparable) stored).compareTo(query) == 0 ? 0 : Integer.signum(((Comparable) stored).compareTo(query));
    }

    private static int codePointCompare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
