package dev.roster.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.json.Json;

/** The method-specific top-level fields of a successful answer; the envelope adds {@code error} and {@code error_text}. */
public final class Reply {
    private final ObjectNode fields = Json.object();

    private Reply() {
    }

    public static Reply empty() {
        return new Reply();
    }

    /** {@code {"data": value}}: records are written with snake_case names. */
    public static Reply data(Object value) {
        return new Reply().with("data", value);
    }

    public Reply with(String name, Object value) {
        fields.set(name, value instanceof JsonNode node ? node : Json.tree(value));
        return this;
    }

    ObjectNode fields() {
        return fields;
    }
}
