package dev.roster.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Per-type conversions of sent values to stored values. Each returns null when the value does not fit, and
 * the caller turns that into a 400 naming the field. Numeric and boolean text is accepted wherever numbers
 * and booleans are, because XML bodies carry every value as text.
 */
final class JsonValues {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern INTEGER_TEXT = Pattern.compile("[+-]?\\d{1,19}");
    private static final Pattern DECIMAL_TEXT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d{1,4})?");
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private JsonValues() {}

    /**
     * The node Jackson itself reads for an integer: IntNode when it fits, else LongNode. Keeping to that
     * form makes a stored value equal to the same value read back from storage.
     */
    static JsonNode integerNode(long value) {
        return value == (int) value ? IntNode.valueOf((int) value) : LongNode.valueOf(value);
    }

    /** JSON integers in long range, integral numbers like 5.0, and integer text like "42". */
    static JsonNode integer(JsonNode value) {
        if (value == null) {
            return null;
        }
        if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
            return null;
        }
        if (value.isNumber()) {
            BigDecimal exact = value.decimalValue();
            boolean integral = exact.signum() == 0 || exact.stripTrailingZeros().scale() <= 0;
            boolean inRange = exact.compareTo(LONG_MIN) >= 0 && exact.compareTo(LONG_MAX) <= 0;
            return integral && inRange ? integerNode(exact.longValueExact()) : null;
        }
        if (value.isTextual() && INTEGER_TEXT.matcher(value.textValue()).matches()) {
            try {
                return integerNode(Long.parseLong(value.textValue()));
            } catch (NumberFormatException e) {
                return null; // 19 digits beyond the long range
            }
        }
        return null;
    }

    /** Finite numbers and decimal text, stored as a double. */
    static JsonNode finiteNumber(JsonNode value) {
        double number;
        if (value != null && value.isNumber()) {
            number = value.doubleValue();
        } else if (value != null && value.isTextual() && DECIMAL_TEXT.matcher(value.textValue()).matches()) {
            number = Double.parseDouble(value.textValue());
        } else {
            return null;
        }
        return Double.isFinite(number) ? DoubleNode.valueOf(number) : null;
    }

    /** Strings as sent; numbers and booleans as their text, so that 12345 and "12345" both fit a string field. */
    static JsonNode text(JsonNode value) {
        String text = scalarText(value);
        return text == null ? null : NODES.textNode(text);
    }

    static String scalarText(JsonNode value) {
        if (value == null) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isIntegralNumber() || value.isBoolean()) {
            return value.asText();
        }
        if (value.isFloatingPointNumber() && Double.isFinite(value.doubleValue())) {
            return value.decimalValue().toPlainString(); // 1e20 as digits, not "1.0E20"
        }
        return null;
    }

    /** true/false, their text in any case, and 0/1 as a number or text. */
    static JsonNode bool(JsonNode value) {
        if (value == null) {
            return null;
        }
        if (value.isBoolean()) {
            return BooleanNode.valueOf(value.booleanValue());
        }
        if (value.isTextual() || value.isIntegralNumber()) {
            return switch (value.asText().strip().toLowerCase(Locale.ROOT)) {
                case "true", "1" -> BooleanNode.TRUE;
                case "false", "0" -> BooleanNode.FALSE;
                default -> null;
            };
        }
        return null;
    }

    /** An option's exact text, or its 1-based number (JSON integer or digit text); stored as the option text. */
    static JsonNode enumOption(JsonNode value, List<String> options) {
        if (value == null || options == null) {
            return null;
        }
        if (value.isTextual() && options.contains(value.textValue())) {
            return NODES.textNode(value.textValue()); // an exact option wins over a number-like reading
        }
        JsonNode number = value.isIntegralNumber() || value.isTextual() ? integer(value) : null;
        if (number != null && number.longValue() >= 1 && number.longValue() <= options.size()) {
            return NODES.textNode(options.get((int) number.longValue() - 1));
        }
        return null;
    }

    /**
     * Tags: an array of scalars or one comma-separated string. Each tag is stripped and passed through
     * {@code normalise}; empty tags are dropped and repeats removed, first occurrence kept.
     */
    static ArrayNode tags(JsonNode value, UnaryOperator<String> normalise) {
        Set<String> tags = new LinkedHashSet<>();
        if (value != null && value.isTextual()) {
            for (String tag : value.textValue().split(",")) {
                addTag(tags, tag, normalise);
            }
        } else if (value != null && value.isArray()) {
            for (JsonNode element : value) {
                String tag = scalarText(element);
                if (tag == null) {
                    return null;
                }
                addTag(tags, tag, normalise);
            }
        } else {
            return null;
        }
        ArrayNode out = NODES.arrayNode();
        tags.forEach(out::add);
        return out;
    }

    private static void addTag(Set<String> tags, String tag, UnaryOperator<String> normalise) {
        String stripped = tag.strip();
        if (!stripped.isEmpty()) {
            tags.add(normalise.apply(stripped));
        }
    }

    /** An array whose every element is an object. */
    static ArrayNode arrayOfObjects(JsonNode value) {
        if (value == null || !value.isArray()) {
            return null;
        }
        for (JsonNode element : value) {
            if (!element.isObject()) {
                return null;
            }
        }
        return (ArrayNode) value.deepCopy();
    }
}
