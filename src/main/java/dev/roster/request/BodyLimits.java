package dev.roster.request;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.error.RosterException;
import java.util.Iterator;
import java.util.Map;

/**
 * The limits every decoded body must keep, whatever the method: string length (keys too), array size, and no U+0000. Checked
 * once on the parsed tree, so JSON and XML bodies are held to the same rules and no method can forget them.
 */
public final class BodyLimits {
    private final int maxStringChars;
    private final int maxArrayItems;

    public BodyLimits(int maxStringChars, int maxArrayItems) {
        this.maxStringChars = maxStringChars;
        this.maxArrayItems = maxArrayItems;
    }

    /** Throws a 400 or 413 {@code RosterException} naming where the body breaks a limit. */
    public void check(JsonNode body) {
        visit(body, "");
    }

    // depth is already bounded by the parser's nesting limit, so recursion stays shallow
    private void visit(JsonNode node, String path) {
        if (node.isTextual()) {
            // PostgreSQL cannot hold U+0000 in text or jsonb; refusing it here keeps both stores alike
            if (node.textValue().indexOf('\u0000') >= 0) {
                throw RosterException.badRequest("the value of '" + shown(path) + "' contains the character U+0000, "
                        + "which no value may hold");
            }
            int length = node.textValue().length();
            if (length > maxStringChars) {
                throw RosterException.badRequest("the value of '" + shown(path) + "' is " + length
                        + " characters long, over the limit of " + maxStringChars + " characters per string");
            }
        } else if (node.isArray()) {
            if (node.size() > maxArrayItems) {
                throw RosterException.tooLarge("'" + shown(path) + "' has " + node.size()
                        + " items, over the limit of " + maxArrayItems + " items per array");
            }
            for (int i = 0; i < node.size(); i++) {
                visit(node.get(i), path + "[" + i + "]");
            }
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = field.getKey();
                if (key.indexOf('\u0000') >= 0) {
                    throw RosterException.badRequest("a parameter name " + (path.isEmpty() ? "" : "in '" + shown(path) + "' ")
                            + "contains the character U+0000, which no name may hold");
                }
                if (key.length() > maxStringChars) {
                    throw RosterException.badRequest("a parameter name " + (path.isEmpty() ? "" : "in '" + shown(path) + "' ") + "is " + key.length()
                            + " characters long, over the limit of " + maxStringChars + " characters per string");
                }
                visit(field.getValue(), path.isEmpty() ? key : path + "." + key);
            }
        }
    }

    /** A path built from client keys can be long; the error text shows its start. */
    private static String shown(String path) {
        return path.length() <= 120 ? path : path.substring(0, 117) + "...";
    }
}
