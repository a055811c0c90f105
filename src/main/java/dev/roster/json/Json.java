package dev.roster.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one JSON configuration of Roster: snake_case names for records, strict parsing, bounded nesting. */
public final class Json {
    public static final int DEFAULT_MAX_DEPTH = 64;

    public static final ObjectMapper MAPPER = mapper(DEFAULT_MAX_DEPTH);

    private Json() {
    }

    /** A mapper whose parser refuses duplicate keys, trailing garbage and nesting deeper than {@code maxDepth}. */
    public static ObjectMapper mapper(int maxDepth) {
        JsonMapper mapper = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(maxDepth)
                .maxNumberLength(100)
                .build());
        return mapper;
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** JSON text that Roster built itself, as a node written out as is (see {@link #materialized} for other forms). */
    public static JsonNode raw(String json) {
        return new com.fasterxml.jackson.databind.node.POJONode(new com.fasterxml.jackson.databind.util.RawValue(json));
    }

    /** The tree with every {@link #raw} node parsed: for writers other than JSON's (XML), which cannot copy text. */
    public static JsonNode materialized(JsonNode node) {
        if (node instanceof com.fasterxml.jackson.databind.node.POJONode pojo
                && pojo.getPojo() instanceof com.fasterxml.jackson.databind.util.RawValue raw) {
            return readStored(String.valueOf(raw.rawValue()));
        }
        if (node instanceof ObjectNode object) {
            ObjectNode out = object();
            object.properties().forEach(e -> out.set(e.getKey(), materialized(e.getValue())));
            return out;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode out = array();
            array.forEach(e -> out.add(materialized(e)));
            return out;
        }
        return node;
    }

    /** The value as UTF-8 JSON bytes (no intermediate string: answers of a thousand profiles are large). */
    public static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses JSON that Roster itself stored; a failure here is a bug, not bad input. */
    public static JsonNode readStored(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("stored JSON is unreadable", e);
        }
    }
}
