package dev.roster.http;

import dev.roster.request.BodyLimits;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.error.RosterException;
import dev.roster.json.Json;
import java.io.IOException;
import java.io.InputStream;

/** Reads a request body within the size limit and decodes JSON or XML into an object of parameters. */
final class RequestBody {
    /** How much of a refused body is read and discarded before answering; a larger one gets its connection closed. */
    private static final long SWALLOW = 32L * 1024 * 1024;
    private final long maxBytes;
    private final int maxDepth;
    private final ObjectMapper mapper;
    private final BodyLimits limits;

    RequestBody(HttpSettings settings) {
        this.maxBytes = settings.maxBodyBytes();
        this.maxDepth = settings.maxDepth();
        this.mapper = Json.mapper(maxDepth);
        this.limits = new BodyLimits(settings.maxStringChars(), settings.maxArrayItems());
    }

    byte[] read(InputStream in, long declaredLength) throws IOException {
        if (declaredLength > maxBytes) {
            throw tooLarge(in);
        }
        byte[] bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
        if (bytes.length > maxBytes) {
            throw tooLarge(in);
        }
        return bytes;
    }

    /**
     * The 413 for a body over the limit, after reading and discarding up to {@link #SWALLOW} more bytes of it: a
     * client still sending when the connection closes with its data unread gets a reset instead of the answer.
     */
    private RosterException tooLarge(InputStream in) throws IOException {
        byte[] discard = new byte[64 * 1024];
        long left = SWALLOW;
        for (int n; left > 0 && (n = in.read(discard, 0, (int) Math.min(discard.length, left))) > 0; ) {
            left -= n;
        }
        return RosterException.tooLarge("request body larger than the limit of " + maxBytes + " bytes");
    }

    /** XML when the content type says so, or when it does not say JSON and the body starts with '<'. */
    static boolean isXml(String contentType, byte[] body) {
        String type = contentType == null ? "" : contentType.toLowerCase();
        if (type.contains("xml")) {
            return true;
        }
        if (type.contains("json")) {
            return false;
        }
        for (byte b : body) {
            if (b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == (byte) 0xEF || b == (byte) 0xBB || b == (byte) 0xBF) {
                continue;
            }
            return b == '<';
        }
        return false;
    }

    static boolean isForm(String contentType) {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    /** A form body: every value is text, the first of repeated names counts. */
    ObjectNode decodeForm(byte[] body) {
        ObjectNode params = Json.object();
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
                if (!params.has(key)) {
                    params.put(key, value);
                }
            } catch (IllegalArgumentException e) {
                throw RosterException.badRequest("malformed form body: " + e.getMessage());
            }
        }
        limits.check(params);
        return params;
    }

    /** The parameters of the body, within the string and array limits. */
    ObjectNode decode(byte[] body, boolean xml) {
        if (isBlank(body)) {
            return Json.object();
        }
        ObjectNode params = xml ? XmlCodec.read(body, maxDepth) : parseJson(body);
        limits.check(params);
        return params;
    }

    private ObjectNode parseJson(byte[] body) {
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (StreamConstraintsException e) {
            throw RosterException.badRequest("malformed JSON body: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw RosterException.badRequest("malformed JSON body" + where + ": " + Json.parseProblem(e));
        } catch (IOException e) {
            throw RosterException.badRequest("malformed JSON body: " + firstLine(e.getMessage()));
        }
        if (node == null || node.isMissingNode()) {
            return Json.object();
        }
        if (!node.isObject()) {
            throw RosterException.badRequest("the body must be a JSON object of parameters, got " + kind(node));
        }
        return (ObjectNode) node;
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase();
        };
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
