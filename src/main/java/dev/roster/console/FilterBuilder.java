package dev.roster.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the rows of the database page's filter form into a {@code profiles/list} query document (docs/API.md).
 * Values are typed by the field's type (numbers for int and float fields, booleans for bool fields) and otherwise
 * passed as text: the query service normalises and checks them as it does for the API, so no rule lives here twice.
 */
public final class FilterBuilder {
    /** An operator of the form: its name in the form, its label, and the query operator. */
    public record Op(String name, String label) {
    }

    public static final List<Op> OPS = List.of(new Op("eq", "is"), new Op("ne", "is not"),
            new Op("contains", "contains"), new Op("in", "is one of (a, b, ...)"), new Op("gt", ">"),
            new Op("gte", "≥"), new Op("lt", "<"), new Op("lte", "≤"), new Op("exists", "has a value"),
            new Op("missing", "has no value"));

    /** The channels whose subscription status the form can filter on, as pseudo fields {@code subscription.<channel>}. */
    public static final List<String> SUBSCRIPTION_CHANNELS = List.of("email", "sms", "push");
    public static final String SUBSCRIPTION_PREFIX = "subscription.";

    /** One row of the form; a row without a field is ignored. */
    public record Condition(String field, String op, String value) {
        public boolean blank() {
            return field == null || field.isBlank();
        }
    }

    private FilterBuilder() {
    }

    /** Fields every database has besides its own, with their types. */
    public static Map<String, String> builtIn() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("id", "string");
        out.put("_createtime", "date");
        out.put("_updatetime", "date");
        out.put("_emaildomain", "string");
        return out;
    }

    /**
     * The query of the conditions joined by {@code $and} ({@code join} "and") or {@code $or}; null when no row names a
     * field.
     *
     * @param types field name to type name ("int", "float", "bool", "tags", "phones", ...)
     * @throws IllegalArgumentException naming the row and what is wrong, for a row the form cannot express
     */
    public static ObjectNode build(List<Condition> conditions, String join, Map<String, String> types) {
        List<ObjectNode> parts = new ArrayList<>();
        int row = 0;
        for (Condition c : conditions) {
            row++;
            if (c.blank()) {
                continue;
            }
            parts.add(condition(row, c, types));
        }
        if (parts.isEmpty()) {
            return null;
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        ObjectNode out = Json.object();
        ArrayNode all = out.putArray("or".equals(join) ? "$or" : "$and");
        parts.forEach(all::add);
        return out;
    }

    private static ObjectNode condition(int row, Condition c, Map<String, String> types) {
        String field = c.field().strip();
        String op = c.op() == null || c.op().isBlank() ? "eq" : c.op();
        String value = c.value() == null ? "" : c.value().strip();
        ObjectNode out = Json.object();
        if (field.startsWith(SUBSCRIPTION_PREFIX)) {
            String channel = field.substring(SUBSCRIPTION_PREFIX.length());
            if (!SUBSCRIPTION_CHANNELS.contains(channel) || !(op.equals("eq") || op.equals("ne"))) {
                throw new IllegalArgumentException("row " + row + ": a subscription status takes 'is' or 'is not'");
            }
            ObjectNode match = Json.object();
            match.put("channel", channel);
            match.put("status", required(row, value));
            ObjectNode elem = Json.object();
            elem.putObject("subscriptions").set("$elemMatch", match);
            if (op.equals("eq")) {
                return elem;
            }
            out.putArray("$nor").add(elem);
            return out;
        }
        String type = types.get(field);
        if (type == null) {
            throw new IllegalArgumentException("row " + row + ": the database has no field '" + field + "'");
        }
        switch (op) {
            case "eq" -> out.set(field, typed(type, required(row, value)));
            case "ne", "gt", "gte", "lt", "lte" -> out.putObject(field).set("$" + op, typed(type, required(row, value)));
            case "contains" -> out.putObject(field).put("$regex", quoteRegex(required(row, value)))
                    .put("$options", "i");
            case "in" -> {
                ArrayNode list = out.putObject(field).putArray("$in");
                for (String part : required(row, value).split(",")) {
                    if (!part.isBlank()) {
                        list.add(typed(type, part.strip()));
                    }
                }
            }
            case "exists" -> out.putObject(field).put("$exists", true);
            case "missing" -> out.putObject(field).put("$exists", false);
            default -> throw new IllegalArgumentException("row " + row + ": unknown operator '" + op + "'");
        }
        return out;
    }

    private static String required(int row, String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("row " + row + ": enter a value");
        }
        return value;
    }

    /** The text as a regular expression that matches it literally. */
    static String quoteRegex(String text) {
        StringBuilder out = new StringBuilder();
        for (char ch : text.toCharArray()) {
            if ("\\^$.|?*+()[]{}".indexOf(ch) >= 0) {
                out.append('\\');
            }
            out.append(ch);
        }
        return out.toString();
    }

    /** Numbers for number fields and booleans for bool fields when the text reads as one; otherwise the text. */
    static JsonNode typed(String type, String value) {
        try {
            switch (type) {
                case "int", "float" -> {
                    if (value.matches("-?\\d+")) {
                        return Json.MAPPER.getNodeFactory().numberNode(Long.parseLong(value));
                    }
                    if (value.matches("-?\\d*\\.\\d+([eE][-+]?\\d+)?")) {
                        return Json.MAPPER.getNodeFactory().numberNode(Double.parseDouble(value));
                    }
                }
                case "bool" -> {
                    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
                        return Json.MAPPER.getNodeFactory().booleanNode(Boolean.parseBoolean(value.toLowerCase()));
                    }
                }
                default -> {
                }
            }
        } catch (NumberFormatException e) {
            // too large for a long: sent as text, which the query service refuses with the field's name
        }
        return Json.MAPPER.getNodeFactory().textNode(value);
    }
}
