package dev.roster.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.catalog.CatalogModel.Schema;
import dev.roster.catalog.Channel;
import dev.roster.error.RosterException;
import dev.roster.profile.Normalizer;
import dev.roster.profile.StandardField;
import dev.roster.profile.SubscriptionStatus;
import dev.roster.query.Query.Field;
import dev.roster.query.Query.Kind;
import dev.roster.query.Query.Leaf;
import dev.roster.query.Query.Node;
import dev.roster.query.Query.Op;
import dev.roster.query.Query.Source;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a MongoDB-style query document over one database's profiles into a {@link Query} tree: every field known,
 * every operator known, every value read as the field's type with the normalisation of writes. Anything else is a
 * 400 that names it.
 */
public final class QueryParser {
    public static final int MAX_DEPTH = 32;
    public static final int MAX_NODES = 1_000;

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d{1,4})?");

    private static final Map<String, Field> SUBSCRIPTION_FIELDS = Map.of(
            "resource_id", new Field("resource_id", Source.SUB_RESOURCE, Kind.NUMBER, false),
            "channel", new Field("channel", Source.SUB_CHANNEL, Kind.TEXT, false),
            "status", new Field("status", Source.SUB_STATUS, Kind.NUMBER, false),
            "email", new Field("email", Source.SUB_EMAIL, Kind.TEXT, false),
            "phone", new Field("phone", Source.SUB_PHONE, Kind.TEXT, false),
            "provider", new Field("provider", Source.SUB_PROVIDER, Kind.TEXT, false),
            "subscription_id", new Field("subscription_id", Source.SUB_SUBSCRIPTION_ID, Kind.TEXT, false),
            "priority", new Field("priority", Source.SUB_PRIORITY, Kind.NUMBER, false),
            "cats", new Field("cats", Source.SUB_CATS, Kind.TEXT, true));

    private final Schema schema;
    private int nodes;

    private QueryParser(Schema schema) {
        this.schema = schema;
    }

    /** The query of a database; null or an empty document match every profile. */
    public static Node parse(JsonNode query, Schema schema) {
        if (query == null || query.isNull() || query.isMissingNode()) {
            return new Query.All(List.of());
        }
        if (query.isTextual()) { // an XML body carries the document as text
            try {
                query = dev.roster.json.Json.MAPPER.readTree(query.textValue());
            } catch (java.io.IOException e) {
                throw RosterException.invalid("query", "a query document (a JSON object)", query);
            }
        }
        if (!query.isObject()) {
            throw RosterException.invalid("query", "a query document (a JSON object)", query);
        }
        QueryParser parser = new QueryParser(schema);
        parser.measure(query, 1);
        return parser.document(query, false);
    }

    private void measure(JsonNode node, int depth) {
        if (depth > MAX_DEPTH) {
            throw RosterException.badRequest("the query is nested deeper than the limit of " + MAX_DEPTH + " levels");
        }
        if (++nodes > MAX_NODES) {
            throw RosterException.badRequest("the query has more than the limit of " + MAX_NODES + " nodes");
        }
        for (JsonNode child : node) {
            measure(child, depth + 1);
        }
    }

    /** A query document: its members all hold (fields, or $and/$or/$nor). */
    private Node document(JsonNode doc, boolean subscription) {
        if (!doc.isObject()) {
            throw RosterException.invalid("query", "a query document (a JSON object)", doc);
        }
        List<Node> all = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> members = doc.fields();
        while (members.hasNext()) {
            Map.Entry<String, JsonNode> m = members.next();
            String key = m.getKey();
            JsonNode value = m.getValue();
            switch (key) {
                case "$and" -> all.add(new Query.All(documents(key, value, subscription)));
                case "$or" -> all.add(new Query.Any(documents(key, value, subscription)));
                case "$nor" -> all.add(new Query.Not(new Query.Any(documents(key, value, subscription))));
                default -> {
                    if (key.startsWith("$")) {
                        throw RosterException.badRequest("unknown operator '" + key + "' in the query (at the level "
                                + "of fields: $and, $or, $nor)");
                    }
                    all.add(field(key, value, subscription));
                }
            }
        }
        return all.size() == 1 ? all.get(0) : new Query.All(all);
    }

    private List<Node> documents(String operator, JsonNode value, boolean subscription) {
        if (!value.isArray() || value.isEmpty()) {
            throw RosterException.invalid(operator, "a non-empty array of query documents", value);
        }
        List<Node> out = new ArrayList<>();
        value.forEach(d -> {
            if (!d.isObject()) {
                throw RosterException.invalid(operator, "a non-empty array of query documents", value);
            }
            out.add(document(d, subscription));
        });
        return out;
    }

    private Node field(String name, JsonNode value, boolean subscription) {
        if (!subscription && name.equals("subscriptions")) {
            return subscriptions(value);
        }
        Field field = subscription ? subscriptionField(name) : profileField(name);
        return condition(field, name, value, false);
    }

    /** The condition on a field: a value (equality) or an operator document. {@code element}: inside $elemMatch. */
    private Node condition(Field field, String name, JsonNode value, boolean element) {
        if (!isOperatorDocument(value, name)) {
            if (value.isNull()) { // null matches a missing field, as in MongoDB
                return new Query.Not(new Leaf(field, Op.EXISTS, List.of(), false));
            }
            return leaf(field, name, Op.EQ, value);
        }
        List<Node> all = new ArrayList<>();
        JsonNode options = value.get("$options");
        if (options != null && !value.has("$regex")) {
            throw RosterException.badRequest("'$options' of '" + name + "' goes with '$regex'");
        }
        Iterator<Map.Entry<String, JsonNode>> ops = value.fields();
        while (ops.hasNext()) {
            Map.Entry<String, JsonNode> o = ops.next();
            JsonNode v = o.getValue();
            switch (o.getKey()) {
                case "$eq" -> all.add(v.isNull() ? new Query.Not(exists(field)) : leaf(field, name, Op.EQ, v));
                case "$ne" -> all.add(v.isNull() ? exists(field) : new Query.Not(leaf(field, name, Op.EQ, v)));
                case "$gt" -> all.add(leaf(field, name, Op.GT, v));
                case "$gte" -> all.add(leaf(field, name, Op.GTE, v));
                case "$lt" -> all.add(leaf(field, name, Op.LT, v));
                case "$lte" -> all.add(leaf(field, name, Op.LTE, v));
                case "$in" -> all.add(in(field, name, v));
                case "$nin" -> all.add(new Query.Not(in(field, name, v)));
                case "$exists" -> {
                    Boolean wanted = v.isBoolean() ? v.booleanValue() : v.isIntegralNumber() ? v.longValue() != 0 : null;
                    if (wanted == null) {
                        throw RosterException.invalid(name + ".$exists", "true or false", v);
                    }
                    all.add(wanted ? exists(field) : new Query.Not(exists(field)));
                }
                case "$regex" -> all.add(regex(field, name, v, options));
                case "$options" -> {
                    // read with $regex
                }
                case "$size" -> {
                    if (!field.array()) {
                        throw RosterException.badRequest("'$size' of '" + name + "': the field is not an array");
                    }
                    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
                        throw RosterException.invalid(name + ".$size", "a non-negative integer", v);
                    }
                    all.add(new Leaf(field, Op.SIZE, List.of(v.intValue()), false));
                }
                case "$not" -> {
                    if (!isOperatorDocument(v, name)) {
                        throw RosterException.invalid(name + ".$not", "an operator document such as {\"$gt\": 5}", v);
                    }
                    all.add(new Query.Not(condition(field, name, v, element)));
                }
                case "$elemMatch" -> {
                    if (!field.array() || field.kind() == Kind.OPAQUE) {
                        throw RosterException.badRequest("'$elemMatch' of '" + name + "': the field is not an array "
                                + "of values");
                    }
                    if (!isOperatorDocument(v, name)) {
                        throw RosterException.invalid(name + ".$elemMatch", "an operator document such as "
                                + "{\"$gte\": \"a\", \"$lt\": \"b\"}", v);
                    }
                    Field one = new Field(field.name(), field.source(), field.kind(), false);
                    all.add(new Query.Elements(field, condition(one, name, v, true)));
                }
                default -> throw RosterException.badRequest("unknown operator '" + o.getKey() + "' on field '" + name
                        + "'");
            }
        }
        return all.size() == 1 ? all.get(0) : new Query.All(all);
    }

    private static boolean isOperatorDocument(JsonNode value, String name) {
        if (!value.isObject() || value.isEmpty()) {
            if (value.isObject() || value.isArray()) {
                throw RosterException.invalid(name, "a value or an operator document such as {\"$gt\": 5}", value);
            }
            return false;
        }
        boolean operators = value.fieldNames().next().startsWith("$");
        value.fieldNames().forEachRemaining(n -> {
            if (n.startsWith("$") != operators) {
                throw RosterException.invalid(name, "an operator document (every key an operator)", value);
            }
        });
        if (!operators) {
            throw RosterException.invalid(name, "a value or an operator document such as {\"$gt\": 5} (equality with "
                    + "a document is not supported)", value);
        }
        return true;
    }

    private static Leaf exists(Field field) {
        return new Leaf(field, Op.EXISTS, List.of(), false);
    }

    private Node in(Field field, String name, JsonNode v) {
        if (!v.isArray()) {
            throw RosterException.invalid(name + ".$in", "an array of values", v);
        }
        List<Object> values = new ArrayList<>();
        for (JsonNode item : v) {
            values.add(value(field, name, Op.IN, item));
        }
        return new Leaf(field, Op.IN, values, false);
    }

    private Node regex(Field field, String name, JsonNode v, JsonNode options) {
        if (field.kind() != Kind.TEXT) {
            throw RosterException.badRequest("'$regex' of '" + name + "': the field is not text");
        }
        if (!v.isTextual()) {
            throw RosterException.invalid(name + ".$regex", "a regular expression (a string)", v);
        }
        boolean ignoreCase = false;
        if (options != null) {
            if (!options.isTextual() || !options.textValue().matches("i?")) {
                throw RosterException.invalid(name + ".$options", "\"i\" (ignore case) or \"\"", options);
            }
            ignoreCase = options.textValue().equals("i");
        }
        try {
            Pattern.compile(v.textValue());
        } catch (PatternSyntaxException e) {
            throw RosterException.invalid(name + ".$regex", "a valid regular expression (" + e.getDescription() + ")", v);
        }
        return new Leaf(field, Op.REGEX, List.of(v.textValue()), ignoreCase);
    }

    private Leaf leaf(Field field, String name, Op op, JsonNode v) {
        if (field.kind() == Kind.OPAQUE) {
            throw RosterException.badRequest("'" + name + "' can only be queried with $exists" + (field.array()
                    ? " and $size" : ""));
        }
        if (field.kind() == Kind.BOOL && op != Op.EQ) {
            throw RosterException.badRequest("'" + name + "' is a boolean: only equality, $ne, $in, $nin and $exists "
                    + "apply");
        }
        return new Leaf(field, op, List.of(value(field, name, op, v)), false);
    }

    /** A value read as the field's type, in the stored form. */
    private Object value(Field field, String name, Op op, JsonNode v) {
        if (v == null || v.isNull() || v.isContainerNode()) {
            throw RosterException.invalid(name, expected(field), v);
        }
        switch (field.source()) {
            case EMAIL, SUB_EMAIL -> {
                // a whole address must be one; a bound of a range may be any text, compared in the same lower case
                String text = text(field, name, v);
                return op == Op.EQ || op == Op.IN ? Normalizer.emailKey(text)
                        : java.text.Normalizer.normalize(text.strip(), java.text.Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
            }
            case EMAIL_DOMAIN -> {
                return text(field, name, v).strip().toLowerCase(Locale.ROOT);
            }
            case SUB_PHONE -> {
                return Normalizer.phone(name, text(field, name, v), schema.phoneRegion());
            }
            case SUB_CHANNEL -> {
                return Channel.parse(name, text(field, name, v)).wireName();
            }
            case SUB_STATUS -> {
                return BigDecimal.valueOf(SubscriptionStatus.parse(name, v).number());
            }
            case CREATED, UPDATED -> {
                return Instant.parse(Normalizer.date(name, v)).toEpochMilli();
            }
            default -> {
                // by kind below
            }
        }
        if (field.source() == Source.DATA && field.name().equals("phones")) {
            return Normalizer.phone(name, text(field, name, v), schema.phoneRegion());
        }
        if (field.source() == Source.DATA && field.name().equals("_sex")) {
            String sex = Normalizer.sex(v);
            if (sex == null) {
                throw RosterException.invalid(name, "\"male\", \"female\", 1 (male) or 2 (female)", v);
            }
            return sex;
        }
        if (field.source() == Source.DATA) {
            var custom = schema.field(field.name());
            if (custom != null && custom.type() == dev.roster.catalog.FieldType.ENUM) {
                return enumOption(custom.options(), name, v);
            }
            if (custom != null && custom.type() == dev.roster.catalog.FieldType.IP
                    || field.name().equals("_ip") || field.name().equals("_regip")) {
                return Normalizer.ip(name, text(field, name, v));
            }
        }
        return switch (field.kind()) {
            case TEXT -> text(field, name, v);
            case NUMBER -> number(field, name, v);
            case BOOL -> bool(field, name, v);
            case DATE -> Normalizer.date(name, v);
            case MILLIS, OPAQUE -> throw new IllegalStateException(field.toString());
        };
    }

    private static String expected(Field field) {
        return switch (field.kind()) {
            case TEXT -> "a string";
            case NUMBER -> "a number";
            case BOOL -> "true or false";
            case DATE, MILLIS -> "a date (YYYY-MM-DD, RFC 3339 or Unix time)";
            case OPAQUE -> "$exists";
        };
    }

    private static String text(Field field, String name, JsonNode v) {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isIntegralNumber() || v.isBoolean()) {
            return v.asText();
        }
        if (v.isFloatingPointNumber() && Double.isFinite(v.doubleValue())) {
            return v.decimalValue().toPlainString();
        }
        throw RosterException.invalid(name, expected(field), v);
    }

    private static BigDecimal number(Field field, String name, JsonNode v) {
        if (v.isNumber() && (!v.isFloatingPointNumber() || Double.isFinite(v.doubleValue()))) {
            return v.decimalValue();
        }
        if (v.isTextual() && DECIMAL.matcher(v.textValue().strip()).matches()) {
            return new BigDecimal(v.textValue().strip());
        }
        throw RosterException.invalid(name, expected(field), v);
    }

    private static Boolean bool(Field field, String name, JsonNode v) {
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual() || v.isIntegralNumber()) {
            switch (v.asText().strip().toLowerCase(Locale.ROOT)) {
                case "true", "1" -> {
                    return true;
                }
                case "false", "0" -> {
                    return false;
                }
                default -> {
                }
            }
        }
        throw RosterException.invalid(name, expected(field), v);
    }

    private static String enumOption(List<String> options, String name, JsonNode v) {
        if (v.isTextual() && options.contains(v.textValue())) {
            return v.textValue();
        }
        String text = v.isIntegralNumber() || v.isTextual() ? v.asText().strip() : "";
        if (text.matches("\\d{1,9}")) {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= options.size()) {
                return options.get(n - 1);
            }
        }
        throw RosterException.invalid(name, "one of " + options + " or its 1-based number", v);
    }

    private Node subscriptions(JsonNode value) {
        if (!value.isObject() || value.size() != 1 || !(value.has("$elemMatch") || value.has("$not"))) {
            throw RosterException.invalid("subscriptions", "{\"$elemMatch\": {...}} over resource_id, channel, status, "
                    + "email, phone, provider, subscription_id, priority, cats", value);
        }
        if (value.has("$not")) {
            return new Query.Not(subscriptions(value.get("$not")));
        }
        JsonNode inner = value.get("$elemMatch");
        if (!inner.isObject()) {
            throw RosterException.invalid("subscriptions.$elemMatch", "a query document over subscription fields", inner);
        }
        return new Query.Subscriptions(document(inner, true));
    }

    private static Field subscriptionField(String name) {
        Field f = SUBSCRIPTION_FIELDS.get(name);
        if (f == null) {
            throw RosterException.badRequest("unknown subscription field '" + name + "' in the query (known: "
                    + "resource_id, channel, status, email, phone, provider, subscription_id, priority, cats)");
        }
        return f;
    }

    /** A profile field of the database by its API name. */
    Field profileField(String name) {
        switch (name) {
            case "id", "_id" -> {
                return new Field("id", Source.ID, Kind.TEXT, false);
            }
            case "_createtime" -> {
                return new Field(name, Source.CREATED, Kind.MILLIS, false);
            }
            case "_updatetime" -> {
                return new Field(name, Source.UPDATED, Kind.MILLIS, false);
            }
            case "_emaildomain" -> {
                return new Field(name, Source.EMAIL_DOMAIN, Kind.TEXT, false);
            }
            case "email" -> {
                return new Field(name, Source.EMAIL, Kind.TEXT, false);
            }
            default -> {
            }
        }
        var standard = StandardField.byName(name);
        if (standard.isPresent()) {
            return dataField(name, standard.get().type());
        }
        var custom = schema.field(name);
        if (custom != null) {
            return dataField(custom.name(), custom.type());
        }
        if (StandardField.isComputed(name)) {
            throw RosterException.badRequest("field '" + name + "' cannot be queried (computed fields that can: id, "
                    + "_createtime, _updatetime, _emaildomain)");
        }
        throw RosterException.badRequest("unknown field '" + name + "' in the query: database " + schema.dbId()
                + " has no such field");
    }

    private static Field dataField(String name, dev.roster.catalog.FieldType type) {
        return switch (type) {
            case INT, FLOAT -> new Field(name, Source.DATA, Kind.NUMBER, false);
            case BOOL -> new Field(name, Source.DATA, Kind.BOOL, false);
            case DATE -> new Field(name, Source.DATA, Kind.DATE, false);
            case STRING, ENUM, IP -> new Field(name, Source.DATA, Kind.TEXT, false);
            case TAGS -> new Field(name, Source.DATA, Kind.TEXT, true);
            case OBJECT -> new Field(name, Source.DATA, Kind.OPAQUE, false);
            case ARR_OBJECT -> new Field(name, Source.DATA, Kind.OPAQUE, true);
        };
    }

    /** The fields a projection may name: as the query's, plus the other computed ones and subscriptions. */
    static String projectionField(Schema schema, String name) {
        if (name.equals("_id")) {
            return "id"; // Altcraft's examples project "_id": the id, which every answer carries anyway
        }
        if (name.equals("subscriptions") || name.equals("id") || name.equals("db_id") || StandardField.isComputed(name)
                || StandardField.byName(name).isPresent()) {
            return name;
        }
        var custom = schema.field(name);
        if (custom == null) {
            throw RosterException.badRequest("unknown field '" + name + "' in fields: database " + schema.dbId()
                    + " has no such field");
        }
        return custom.name();
    }
}
