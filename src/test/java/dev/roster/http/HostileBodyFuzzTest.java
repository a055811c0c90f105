package dev.roster.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Permission;
import dev.roster.json.Json;
import dev.roster.testing.Gen;
import dev.roster.testing.Property;
import dev.roster.testing.StoreRows;
import dev.roster.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Hostile bodies against every registered method: malformed, truncated, deep, huge, badly encoded, wrongly typed,
 * entity-laden. Every answer must be a 4xx envelope (never a 5xx, never HTML, never a hang), and the store must hold
 * exactly the rows it held before. Seeded (see {@link Property}): the seed in a failure replays the same bodies. Its
 * own {@code api} tag (the pom runs it on both stores) and one server for the class, whose counts are checked last.
 */
@Tag("api")
class HostileBodyFuzzTest {
    /** Sent in every well-formed body, so that no fuzzed request can succeed; decoding, where every type check
     * lives, still runs in full before unknown parameters are refused. */
    private static final String NEVER_VALID = "fuzz_never_a_parameter";
    private static final List<String> PARAMETERS = List.of("id", "db_id", "db_ids", "name", "type", "title", "unique",
            "options", "channels", "description", "ui_tags", "phone_region", "unique_phones", "from_id", "limit",
            "permissions", "login", "password", "master", "resource_id", "profile_id", "matching", "data", "email",
            "phones", "subscriptions", "token", "format", "rate_limit", "rate_burst", "skip_invalid_subscriptions");
    private static final List<String> WRONG_VALUES = List.of("{\"a\":{\"b\":[1,{\"c\":null}]}}", "[[1],[2]]", "[{}]",
            "1e400", "-1e400", "1e-400", "123456789012345678901234567890", "9223372036854775808", "-9223372036854775809",
            "-1", "0", "1.5", "true", "false", "\"\"", "\"\\u0000\"", "\"\\ud800\"", "\"' OR 1=1 --\"", "\"%s%n%x\"",
            "\"<script>alert(1)</script>\"", "[null]", "[1.5]", "[\"a\",1,true]", "{}", "[]", "\"-\"", "\"NaN\"",
            "\"" + "w".repeat(1000) + "\"", "\"2026-13-45\"", "\"+0000000000000000000000\"");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/xml", "text/xml",
            "text/plain", "", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz",
            "application/json; charset=utf-16", "image/png", "application/octet-stream", "*/*", ";;;=",
            "application/xml; charset=ebcdic", "application/json; charset=nonsense");
    private static final String LAUGHS = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY l0 \"lol\">"
            + "<!ENTITY l1 \"&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;\"><!ENTITY l2 \"&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;\">"
            + "<!ENTITY l3 \"&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;\"><!ENTITY l4 \"&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;\">]>"
            + "<xml><name>&l4;</name></xml>";

    private static TestServer server;
    private static HttpClient http;
    private static String token;
    private static List<String> methods;
    private static Map<String, Long> rowsBefore;
    private static final AtomicLong sent = new AtomicLong();
    private static final AtomicLong serverErrors = new AtomicLong();

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        methods = List.copyOf(server.methods().keySet());
        var all = Json.array();
        Arrays.stream(Permission.values()).forEach(p -> all.add(p.wireName()));
        ObjectNode create = Json.object().put("name", "fuzz");
        create.set("permissions", all);
        // every permission, profiles.delete too, so that every method gets as far as decoding its parameters
        token = server.master().ok("tokens/create", create).path("data").path("token").asText();
        long db = server.master().ok("databases/create", "{\"name\":\"fuzz db\"}").path("data").path("id").asLong();
        server.master().ok("databases/fields_add", "{\"db_id\":" + db + ",\"name\":\"crm\",\"type\":\"string\"}");
        server.master().ok("resources/create", "{\"name\":\"fuzz res\",\"channels\":[\"email\"],\"db_ids\":[" + db + "]}");
        rowsBefore = StoreRows.counts(server.store());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            System.out.println("Fuzzed " + sent.get() + " requests on " + methods.size() + " methods ("
                    + dev.roster.testing.TestStores.current() + "): " + serverErrors.get() + " answers 5xx");
            assertThat(serverErrors.get()).isZero();
            assertThat(sent.get()).isGreaterThanOrEqualTo(10_000);
            assertThat(StoreRows.counts(server.store())).isEqualTo(rowsBefore);
        } finally {
            server.close();
        }
    }

    /** Sends one body and insists on a 4xx error in the envelope. */
    private static void expectClientError(String method, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url("/api/v1.1/" + method)))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!contentType.isEmpty()) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(method + " " + contentType + ": no answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        sent.incrementAndGet();
        int status = response.statusCode();
        if (status >= 500) {
            serverErrors.incrementAndGet();
        }
        String shown = method + " " + contentType + " " + preview(body) + " -> " + status + " " + response.body();
        String answer = response.body();
        assertThat(answer).as(shown).doesNotContainIgnoringCase("<html");
        int error;
        if (answer.startsWith("<?xml")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("<error>(\\d+)</error>").matcher(answer);
            assertThat(m.find()).as(shown).isTrue();
            error = Integer.parseInt(m.group(1));
            assertThat(answer).as(shown).contains("<error_text>");
        } else {
            JsonNode envelope = readEnvelope(answer, shown);
            error = envelope.path("error").asInt();
            assertThat(envelope.path("error_text").asText()).as(shown).isNotBlank();
        }
        // a client error in the envelope; the HTTP status is 200 but for a body or array over its limit (413)
        assertThat(error).as(shown).isBetween(400, 499);
        assertThat(status).as(shown).isEqualTo(dev.roster.testing.TestServer.httpStatusOf(error));
    }

    private static JsonNode readEnvelope(String answer, String shown) {
        try {
            return Json.MAPPER.readTree(answer);
        } catch (IOException e) {
            throw new AssertionError("not a JSON envelope: " + shown, e);
        }
    }

    private static String preview(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        return body.length > 200 ? text + "... (" + body.length + " bytes)" : text;
    }

    /** A well-formed body of random parameters with wrong-typed values, always carrying {@link #NEVER_VALID}. */
    static ObjectNode wrongTypes(Gen g) {
        Map<String, String> map = g.map(1, 5, () -> g.pick(PARAMETERS), () -> g.pick(WRONG_VALUES));
        StringBuilder json = new StringBuilder("{\"" + NEVER_VALID + "\":1");
        map.forEach((k, v) -> json.append(",\"").append(k).append("\":").append(v));
        return (ObjectNode) readEnvelope(json.append('}').toString(), "generated body");
    }

    record WrongTypes(String method, ObjectNode body, boolean asXml) {
    }

    @Test
    void wrongTypesInEveryParameterPositionAreRefused() {
        Property.forAll(2200, g -> new WrongTypes(g.pick(methods), wrongTypes(g), g.bool()), in -> {
            String method = in.method();
            ObjectNode body = in.body();
            boolean asXml = in.asXml();
            if (asXml) {
                expectClientError(method, "application/xml", XmlCodec.write(body).getBytes(StandardCharsets.UTF_8));
            } else {
                expectClientError(method, "application/json", Json.write(body).getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    record Damaged(String method, ObjectNode body, boolean asXml, String contentType, double cutAt, String damage) {
    }

    @Test
    void truncatedAndMalformedDocumentsAreRefused() {
        Property.forAll(2200, g -> new Damaged(g.pick(methods), wrongTypes(g), g.bool(), g.pick(CONTENT_TYPES),
                g.anyDouble(), g.pick(DAMAGES)), HostileBodyFuzzTest::sendDamaged);
    }

    private static void sendDamaged(Damaged in) {
        String method = in.method();
        ObjectNode body = in.body();
        boolean asXml = in.asXml();
        String contentType = in.contentType();
        double cutAt = in.cutAt();
        String damage = in.damage();
        String document = asXml ? XmlCodec.write(body).replaceFirst("^<\\?xml[^>]*>\\n", "") : Json.write(body);
        String broken = switch (damage) {
            // a strict, non-empty prefix of one document is never a whole document
            case "truncate" -> document.substring(0, 1 + (int) (Math.abs(cutAt) % 1 * (document.length() - 1)));
            case "trailing garbage" -> document.strip() + (asXml ? "<xml/>" : " x");
            case "unclosed" -> asXml ? "<xml>" + document : "{" + document;
            case "single quotes" -> asXml ? document.replace("</", "<") : document.replace('"', '\'');
            default -> asXml ? document.replace("<xml>", "<xml><&bogus;>") : document.replaceFirst(":", "::");
        };
        expectClientError(method, asXml ? contentType.replace("json", "xml") : contentType.replace("xml", "json"),
                broken.getBytes(StandardCharsets.UTF_8));
    }

    private static final List<String> DAMAGES = List.of("truncate", "trailing garbage", "unclosed", "single quotes",
            "bad token");

    record Hostile(String method, String kind, String contentType) {
    }

    @Test
    void hugeDeepAndBadlyEncodedValuesAreRefused() {
        Property.forAll(2100, g -> new Hostile(g.pick(methods), g.pick(HOSTILE), g.pick(CONTENT_TYPES)),
                HostileBodyFuzzTest::sendHostile);
    }

    private static void sendHostile(Hostile in) {
        String method = in.method();
        String kind = in.kind();
        String contentType = in.contentType();
        String param = PARAMETERS.get(Math.floorMod(kind.hashCode() + method.hashCode(), PARAMETERS.size()));
        byte[] body = switch (kind) {
            case "deep json" -> ("{\"" + param + "\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}").getBytes(StandardCharsets.UTF_8);
            case "deep json objects" -> ("{\"" + param + "\":" + "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000) + "}")
                    .getBytes(StandardCharsets.UTF_8);
            case "deep xml" -> ("<xml>" + "<a>".repeat(100_000) + "</a>".repeat(100_000) + "</xml>").getBytes(StandardCharsets.UTF_8);
            case "1e400" -> json(param, "1e400");
            case "400 digits" -> json(param, "9".repeat(400));
            case "negative 400 digits" -> json(param, "-" + "1".repeat(400));
            case "huge string" -> json(param, "\"" + "s".repeat(HttpSettings.DEFAULT_MAX_STRING + 1) + "\"");
            case "huge xml string" -> ("<xml><" + param + ">" + "s".repeat(HttpSettings.DEFAULT_MAX_STRING + 1) + "</" + param
                    + "></xml>").getBytes(StandardCharsets.UTF_8);
            case "huge array" -> json(param, "[" + "1,".repeat(HttpSettings.DEFAULT_MAX_ARRAY) + "1]");
            case "invalid utf-8" -> withBytes("{\"" + param + "\":\"", new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF}, "\"}");
            case "overlong utf-8" -> withBytes("{\"" + param + "\":\"", new byte[] {(byte) 0xC0, (byte) 0xAF}, "\"}");
            case "invalid utf-8 xml" -> withBytes("<xml><" + param + ">", new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xC3},
                    "</" + param + "></xml>");
            case "duplicate keys" -> ("{\"" + param + "\":1,\"" + param + "\":2}").getBytes(StandardCharsets.UTF_8);
            case "billion laughs" -> LAUGHS.getBytes(StandardCharsets.UTF_8);
            case "external entity" -> ("<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                    + "<xml><" + param + ">&x;</" + param + "></xml>").getBytes(StandardCharsets.UTF_8);
            case "external dtd" -> ("<?xml version=\"1.0\"?><!DOCTYPE xml SYSTEM \"http://127.0.0.1:1/evil.dtd\"><xml><"
                    + param + ">1</" + param + "></xml>").getBytes(StandardCharsets.UTF_8);
            case "parameter entity" -> ("<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY % p SYSTEM \"file:///etc/hostname\"> %p;]>"
                    + "<xml/>").getBytes(StandardCharsets.UTF_8);
            case "undeclared entity" -> ("<xml><" + param + ">&nope;</" + param + "></xml>").getBytes(StandardCharsets.UTF_8);
            case "nul bytes" -> withBytes("{\"" + param + "\":\"a", new byte[] {0, 0}, "\"}");
            case "lone surrogate key" -> ("{\"\\ud800\":1,\"" + NEVER_VALID + "\":1}").getBytes(StandardCharsets.UTF_8);
            default -> ("{\"" + param + "\":NaN}").getBytes(StandardCharsets.UTF_8);
        };
        boolean xmlBody = body.length > 0 && body[0] == '<';
        expectClientError(method, xmlBody ? contentType.replace("json", "xml") : contentType.replace("xml", "json"), body);
    }

    private static final List<String> HOSTILE = List.of("deep json", "deep json objects", "deep xml", "1e400", "400 digits", "negative 400 digits",
                "huge string", "huge xml string", "huge array", "invalid utf-8", "overlong utf-8", "invalid utf-8 xml",
                "duplicate keys", "billion laughs", "external entity", "external dtd", "parameter entity",
                "undeclared entity", "nul bytes", "lone surrogate key", "NaN");

    /** A body whose one parameter has the value, plus {@link #NEVER_VALID} in case the value happens to be fine. */
    private static byte[] json(String param, String value) {
        return ("{\"" + NEVER_VALID + "\":1,\"" + param + "\":" + value + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withBytes(String before, byte[] middle, String after) {
        byte[] head = before.getBytes(StandardCharsets.UTF_8);
        byte[] tail = after.getBytes(StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(head, head.length + middle.length + tail.length);
        System.arraycopy(middle, 0, all, head.length, middle.length);
        System.arraycopy(tail, 0, all, head.length + middle.length, tail.length);
        return all;
    }

    record RandomBody(String method, String contentType, byte[] body) {
        @Override
        public String toString() {
            return method + " " + contentType + " " + Arrays.toString(body);
        }
    }

    @Test
    void randomBytesAreRefused() {
        Property.forAll(3600, g -> new RandomBody(g.pick(methods), g.pick(CONTENT_TYPES), randomBody(g)),
                in -> expectClientError(in.method(), in.contentType(), in.body()));
    }

    /** Any bytes (up to 300 more), after a first byte that cannot begin a JSON object, an XML document or blank space. */
    static byte[] randomBody(Gen g) {
        byte first = g.filtered(g::anyByte, b -> b != '{' && b != '<' && b != ' ' && b != '\n'
                && b != '\r' && b != '\t' && b != (byte) 0xEF);
        byte[] tail = g.bytes(0, 300);
        byte[] all = new byte[tail.length + 1];
        all[0] = first;
        System.arraycopy(tail, 0, all, 1, tail.length);
        return all;
    }
}
