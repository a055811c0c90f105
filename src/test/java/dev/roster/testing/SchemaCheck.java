package dev.roster.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a JSON value against the subset of JSON Schema that Roster's OpenAPI document uses: {@code $ref} (into the
 * document's components), {@code type} (one or several), {@code properties}, {@code required}, {@code items},
 * {@code enum}, {@code oneOf}, {@code minimum} and {@code pattern}. Any other keyword of a schema fails the check, so
 * the document cannot start using one that this checker would silently ignore.
 */
public final class SchemaCheck {
    private static final java.util.Set<String> KNOWN = java.util.Set.of("$ref", "type", "properties", "required",
            "items", "enum", "oneOf", "minimum", "pattern", "description");

    private final JsonNode document;

    public SchemaCheck(JsonNode document) {
        this.document = document;
    }

    /** What is wrong with {@code value} against {@code schema}, one line per problem; empty when it conforms. */
    public List<String> problems(JsonNode schema, JsonNode value) {
        List<String> out = new ArrayList<>();
        check(schema, value, "$", out);
        return out;
    }

    private JsonNode resolve(JsonNode schema) {
        while (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalArgumentException("only local references are supported: " + ref);
            }
            JsonNode target = document.at(ref.substring(1));
            if (target.isMissingNode()) {
                throw new IllegalArgumentException("unresolved reference " + ref);
            }
            schema = target;
        }
        return schema;
    }

    private void check(JsonNode schema, JsonNode value, String at, List<String> out) {
        schema = resolve(schema);
        schema.fieldNames().forEachRemaining(k -> {
            if (!KNOWN.contains(k)) {
                throw new IllegalArgumentException("schema keyword '" + k + "' at " + at + " is not supported");
            }
        });
        if (schema.has("oneOf")) {
            int matching = 0;
            List<String> firstProblems = null;
            for (JsonNode option : schema.get("oneOf")) {
                List<String> p = new ArrayList<>();
                check(option, value, at, p);
                if (p.isEmpty()) {
                    matching++;
                } else if (firstProblems == null) {
                    firstProblems = p;
                }
            }
            if (matching != 1) {
                out.add(at + ": matches " + matching + " of the oneOf options, not exactly one"
                        + (firstProblems == null ? "" : " " + firstProblems));
            }
        }
        if (schema.has("type") && !hasType(schema.get("type"), value)) {
            out.add(at + ": expected type " + schema.get("type") + ", got " + value);
            return;
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode option : schema.get("enum")) {
                found |= option.equals(value) || option.isNumber() && value.isNumber()
                        && option.decimalValue().compareTo(value.decimalValue()) == 0;
            }
            if (!found) {
                out.add(at + ": " + value + " is not one of " + schema.get("enum"));
            }
        }
        if (schema.has("minimum") && value.isNumber() && value.decimalValue().compareTo(schema.get("minimum").decimalValue()) < 0) {
            out.add(at + ": " + value + " is below the minimum " + schema.get("minimum"));
        }
        if (schema.has("pattern") && value.isTextual()
                && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
            out.add(at + ": \"" + value.asText() + "\" does not match " + schema.get("pattern"));
        }
        if (value.isObject()) {
            for (JsonNode name : schema.path("required")) {
                if (!value.has(name.asText())) {
                    out.add(at + ": missing required member '" + name.asText() + "'");
                }
            }
            schema.path("properties").properties().forEach(p -> {
                if (value.has(p.getKey())) {
                    check(p.getValue(), value.get(p.getKey()), at + "." + p.getKey(), out);
                }
            });
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), at + "[" + i + "]", out);
            }
        }
    }

    private static boolean hasType(JsonNode type, JsonNode value) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (hasType(t, value)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            default -> throw new IllegalArgumentException("unknown type " + type);
        };
    }
}
