package dev.roster.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.roster.error.RosterException;
import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The Altcraft XML form: root element {@code <xml>}, one element per key, repeated elements or
 * {@code array='true'} for arrays. Reading never resolves a DTD or an entity: a document with a DOCTYPE is refused.
 * All scalars read from XML are text; typed parameters accept their text form for XML requests.
 */
final class XmlCodec {
    private static final XMLInputFactory FACTORY = secureFactory();
    private static final Pattern XML_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    private XmlCodec() {
    }

    private static XMLInputFactory secureFactory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }

    /** One element being read: its children by name, its text, and whether it was marked as an array. */
    private static final class Frame {
        final String name;
        final boolean markedArray;
        final Map<String, List<JsonNode>> children = new LinkedHashMap<>();
        final Set<String> arrayChildren = new HashSet<>();
        final List<JsonNode> items = new ArrayList<>();
        final StringBuilder text = new StringBuilder();

        Frame(String name, boolean markedArray) {
            this.name = name;
            this.markedArray = markedArray;
        }

        void add(Frame child, JsonNode value) {
            if (markedArray) {
                items.add(value);
                return;
            }
            List<JsonNode> values = children.computeIfAbsent(child.name, k -> new ArrayList<>());
            if (child.markedArray && value.isArray()) {
                value.forEach(values::add);
                arrayChildren.add(child.name);
            } else {
                values.add(value);
            }
        }

        JsonNode value() {
            JsonNodeFactory nodes = JsonNodeFactory.instance;
            if (markedArray) {
                ArrayNode array = nodes.arrayNode();
                array.addAll(items);
                String t = text.toString().strip();
                if (items.isEmpty() && !t.isEmpty()) {
                    array.add(t);
                }
                return array;
            }
            if (children.isEmpty()) {
                return TextNode.valueOf(text.toString());
            }
            ObjectNode object = nodes.objectNode();
            children.forEach((key, values) -> {
                if (values.size() == 1 && !arrayChildren.contains(key)) {
                    object.set(key, values.get(0));
                } else {
                    object.set(key, nodes.arrayNode().addAll(values));
                }
            });
            return object;
        }
    }

    static ObjectNode read(byte[] body, int maxDepth) {
        XMLStreamReader reader = null;
        try {
            reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
            Deque<Frame> stack = new ArrayDeque<>();
            JsonNode root = null;
            while (reader.hasNext()) {
                int event = reader.next();
                switch (event) {
                    case XMLStreamConstants.DTD -> throw RosterException.badRequest(
                            "malformed XML body: DTDs and entity declarations are not accepted");
                    case XMLStreamConstants.ENTITY_REFERENCE -> throw RosterException.badRequest(
                            "malformed XML body: entity reference &" + reader.getLocalName() + "; is not accepted");
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (stack.size() >= maxDepth) {
                            throw RosterException.badRequest("XML body nested deeper than " + maxDepth + " levels");
                        }
                        String array = reader.getAttributeValue(null, "array");
                        stack.push(new Frame(reader.getLocalName(), "true".equalsIgnoreCase(array)));
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (!stack.isEmpty()) {
                            stack.peek().text.append(reader.getText());
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        Frame done = stack.pop();
                        JsonNode value = done.value();
                        if (stack.isEmpty()) {
                            root = value;
                        } else {
                            stack.peek().add(done, value);
                        }
                    }
                    default -> {
                    }
                }
            }
            if (root == null || root.isTextual() && root.asText().isBlank()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!root.isObject()) {
                throw RosterException.badRequest("malformed XML body: the root element must contain one element per parameter");
            }
            return (ObjectNode) root;
        } catch (XMLStreamException e) {
            throw malformed(e);
        } catch (RuntimeException e) {
            // Woodstox reports some errors lazily, from getText(), as a RuntimeException around the real one
            if (e.getCause() instanceof XMLStreamException parseError) {
                throw malformed(parseError);
            }
            throw e;
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // closing a reader of an in-memory array cannot fail in a way that matters
                }
            }
        }
    }

    private static RosterException malformed(XMLStreamException e) {
        var location = e.getLocation();
        String where = location == null ? "" : " at line " + location.getLineNumber() + ", column " + location.getColumnNumber();
        String message = e.getMessage() == null ? "" : e.getMessage().replaceFirst("(?s)^ParseError at \\[[^]]*]\\s*Message:\\s*", "");
        return RosterException.badRequest("malformed XML body" + where + ": " + firstLine(message.strip()));
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    static String write(ObjectNode envelope) {
        StringBuilder out = new StringBuilder(256);
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xml>");
        writeFields(envelope, out);
        out.append("</xml>\n");
        return out.toString();
    }

    private static void writeFields(JsonNode object, StringBuilder out) {
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            writeElement(field.getKey(), field.getValue(), out);
        }
    }

    private static void writeElement(String name, JsonNode value, StringBuilder out) {
        if (value.isArray()) {
            if (value.isEmpty()) {
                open(name, out, true);
                close(name, out);
            }
            for (JsonNode item : value) {
                writeElement(name, item, out);
            }
            return;
        }
        open(name, out, false);
        if (value.isObject()) {
            writeFields(value, out);
        } else if (!value.isNull()) {
            escape(value.asText(), out);
        }
        close(name, out);
    }

    private static void open(String name, StringBuilder out, boolean emptyArray) {
        if (XML_NAME.matcher(name).matches() && !name.regionMatches(true, 0, "xml", 0, 3)) {
            out.append('<').append(name);
        } else {
            out.append("<item key=\"");
            escape(name, out);
            out.append('"');
        }
        out.append(emptyArray ? " array=\"true\">" : ">");
    }

    private static void close(String name, StringBuilder out) {
        boolean plain = XML_NAME.matcher(name).matches() && !name.regionMatches(true, 0, "xml", 0, 3);
        out.append("</").append(plain ? name : "item").append('>');
    }

    private static void escape(String text, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        out.append("&#xFFFD;");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
