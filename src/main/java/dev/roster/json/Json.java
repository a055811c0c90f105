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
        return new com.fasterxml.jackson.databind.node.POJONode(
                new com.fasterxml.jackson.databind.util.RawValue(new RawText(json)));
    }

    /**
     * Raw JSON text whose UTF-8 form is made by {@link String#getBytes}: Jackson's UTF-8 writer copies those bytes,
     * where for a plain string it would encode it a char at a time (profiling profiles/list found that a tenth of
     * writing a page of 1,000 profiles).
     */
    private static final class RawText implements com.fasterxml.jackson.core.SerializableString {
        private final String text;
        private final com.fasterxml.jackson.core.io.SerializedString quoted;
        private byte[] utf8;

        RawText(String text) {
            this.text = text;
            this.quoted = new com.fasterxml.jackson.core.io.SerializedString(text);
        }

        @Override
        public String getValue() {
            return text;
        }

        @Override
        public String toString() {
            return text;
        }

        @Override
        public int charLength() {
            return text.length();
        }

        @Override
        public char[] asQuotedChars() {
            return quoted.asQuotedChars();
        }

        @Override
        public byte[] asUnquotedUTF8() {
            if (utf8 == null) {
                utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            return utf8;
        }

        @Override
        public byte[] asQuotedUTF8() {
            return quoted.asQuotedUTF8();
        }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset) {
            return quoted.appendQuotedUTF8(buffer, offset);
        }

        @Override
        public int appendQuoted(char[] buffer, int offset) {
            return quoted.appendQuoted(buffer, offset);
        }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            byte[] bytes = asUnquotedUTF8();
            if (offset + bytes.length > buffer.length) {
                return -1;
            }
            System.arraycopy(bytes, 0, buffer, offset, bytes.length);
            return bytes.length;
        }

        @Override
        public int appendUnquoted(char[] buffer, int offset) {
            return quoted.appendUnquoted(buffer, offset);
        }

        @Override
        public int writeQuotedUTF8(java.io.OutputStream out) throws IOException {
            return quoted.writeQuotedUTF8(out);
        }

        @Override
        public int writeUnquotedUTF8(java.io.OutputStream out) throws IOException {
            byte[] bytes = asUnquotedUTF8();
            out.write(bytes);
            return bytes.length;
        }

        @Override
        public int putQuotedUTF8(java.nio.ByteBuffer buffer) throws IOException {
            return quoted.putQuotedUTF8(buffer);
        }

        @Override
        public int putUnquotedUTF8(java.nio.ByteBuffer buffer) throws IOException {
            byte[] bytes = asUnquotedUTF8();
            if (bytes.length > buffer.remaining()) {
                return -1;
            }
            buffer.put(bytes);
            return bytes.length;
        }
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

    /**
     * The text of a string member of a stored JSON object, null when the member is absent or not a string; reads
     * only as far as the member (a page's profiles are written as stored, so this is their only parse).
     */
    public static String storedString(String json, String member) {
        try (com.fasterxml.jackson.core.JsonParser parser = MAPPER.getFactory().createParser(json)) {
            if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                boolean wanted = member.equals(parser.currentName());
                com.fasterxml.jackson.core.JsonToken value = parser.nextToken();
                if (wanted) {
                    return value == com.fasterxml.jackson.core.JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("stored JSON is unreadable", e);
        }
    }

    /**
     * A place inside the parser's message in its own notation ({@code [Source: REDACTED (...); line: 1, column: 1]},
     * e.g. where an unclosed object began).
     */
    private static final java.util.regex.Pattern PARSER_LOCATION =
            java.util.regex.Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");

    /**
     * What the parser found wrong, for a person: the first line of its message, with a place it names inside the
     * message said as {@code line L, column C} instead of in the parser's own notation.
     */
    public static String parseProblem(com.fasterxml.jackson.core.JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        int end = message.indexOf('\n');
        return PARSER_LOCATION.matcher(end < 0 ? message : message.substring(0, end)).replaceAll("line $1, column $2");
    }
}
