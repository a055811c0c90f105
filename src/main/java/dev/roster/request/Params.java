package dev.roster.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.error.RosterException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The parameters of one request with typed getters. Each getter names the parameter, the expected type and the
 * value sent when it refuses. Parameters that no getter read are refused after decoding (see
 * {@link #rejectUnread()}), so nothing a client sends is dropped silently. XML requests carry every scalar as
 * text, so for them numbers and booleans are also accepted in their text form.
 */
public final class Params {
    /** Read by the transport itself, allowed on every method. */
    private static final Set<String> TRANSPORT = Set.of("token", "format");

    private final ObjectNode body;
    private final boolean textScalars;
    private final Set<String> read = new HashSet<>();

    public Params(ObjectNode body, boolean textScalars) {
        this.body = body;
        this.textScalars = textScalars;
    }

    public boolean has(String name) {
        JsonNode node = body.get(name);
        return node != null && !node.isNull();
    }

    /** The raw node (null when absent or JSON null), marked as read. */
    public JsonNode raw(String name) {
        read.add(name);
        JsonNode node = body.get(name);
        return node == null || node.isNull() ? null : node;
    }

    /** The names of every parameter sent (transport ones included). */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }

    public boolean isXml() {
        return textScalars;
    }

    public long requiredLong(String name) {
        Long value = optionalLong(name);
        if (value == null) {
            throw RosterException.missing(name);
        }
        return value;
    }

    public Long optionalLong(String name) {
        JsonNode node = raw(name);
        if (node == null) {
            return null;
        }
        return asLong(name, node);
    }

    /** A positive id (database, resource, token, user). */
    public long requiredId(String name) {
        long id = requiredLong(name);
        if (id <= 0) {
            throw RosterException.invalid(name, "a positive integer id", id);
        }
        return id;
    }

    public Long optionalId(String name) {
        Long id = optionalLong(name);
        if (id != null && id <= 0) {
            throw RosterException.invalid(name, "a positive integer id", id);
        }
        return id;
    }

    public int optionalInt(String name, int defaultValue, int min, int max) {
        Long value = optionalLong(name);
        if (value == null) {
            return defaultValue;
        }
        if (value < min || value > max) {
            throw RosterException.invalid(name, "an integer from " + min + " to " + max, value);
        }
        return value.intValue();
    }

    public String requiredString(String name) {
        String value = optionalString(name);
        if (value == null) {
            throw RosterException.missing(name);
        }
        return value;
    }

    /** A string that must not be blank when present. */
    public String requiredNonBlank(String name) {
        String value = requiredString(name);
        if (value.isBlank()) {
            throw RosterException.invalid(name, "a non-empty string", "\"\"");
        }
        return value;
    }

    public String optionalString(String name) {
        JsonNode node = raw(name);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw RosterException.invalid(name, "a string", node);
        }
        return node.textValue();
    }

    public Boolean optionalBool(String name) {
        JsonNode node = raw(name);
        if (node == null) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (textScalars && node.isTextual()) {
            String text = node.textValue().strip();
            if (text.equalsIgnoreCase("true") || text.equals("1")) {
                return true;
            }
            if (text.equalsIgnoreCase("false") || text.equals("0")) {
                return false;
            }
        }
        throw RosterException.invalid(name, "a boolean (true or false)", node);
    }

    public boolean flag(String name) {
        Boolean value = optionalBool(name);
        return value != null && value;
    }

    public List<String> optionalStringList(String name) {
        JsonNode node = raw(name);
        if (node == null) {
            return null;
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : arrayOf(name, node)) {
            if (!item.isTextual()) {
                throw RosterException.invalid(name, "an array of strings", node);
            }
            values.add(item.textValue());
        }
        return values;
    }

    public List<Long> optionalIdList(String name) {
        JsonNode node = raw(name);
        if (node == null) {
            return null;
        }
        List<Long> values = new ArrayList<>();
        for (JsonNode item : arrayOf(name, node)) {
            long id = asLong(name, item);
            if (id <= 0) {
                throw RosterException.invalid(name, "an array of positive integer ids", node);
            }
            values.add(id);
        }
        return values;
    }

    public ObjectNode optionalObject(String name) {
        JsonNode node = raw(name);
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            if (textScalars && node.isTextual() && node.textValue().isBlank()) {
                return body.objectNode();
            }
            throw RosterException.invalid(name, "an object", node);
        }
        return (ObjectNode) node;
    }

    /** Refuses the request when it carries a parameter that no getter read. */
    public void rejectUnread() {
        List<String> unknown = new ArrayList<>();
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!read.contains(name) && !TRANSPORT.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw RosterException.badRequest("unknown parameter" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown.stream().map(n -> "'" + n + "'").toList())
                    + " for this method");
        }
    }

    private JsonNode arrayOf(String name, JsonNode node) {
        if (node.isArray()) {
            return node;
        }
        if (textScalars && node.isTextual()) {
            // a single XML element without array='true' is one item
            return body.arrayNode().add(node);
        }
        throw RosterException.invalid(name, "an array", node);
    }

    private long asLong(String name, JsonNode node) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (textScalars && node.isTextual()) {
            try {
                return Long.parseLong(node.textValue().strip());
            } catch (NumberFormatException e) {
                throw RosterException.invalid(name, "an integer", node);
            }
        }
        throw RosterException.invalid(name, "an integer", node);
    }
}
