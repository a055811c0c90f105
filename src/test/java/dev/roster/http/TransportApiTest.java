package dev.roster.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.testing.ApiTest;
import dev.roster.testing.TestServer;
import dev.roster.testing.TestServer.Response;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Paths, bodies, formats, the envelope and the status policy (docs/COMPATIBILITY.md, Transport and envelope). */
class TransportApiTest extends ApiTest {

    private Response post(String path, String contentType, byte[] body) {
        HttpRequest.Builder request = server.request(path)
                .header("Authorization", "Bearer " + server.masterToken())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return server.send(request);
    }

    private Response post(String path, String contentType, String body) {
        return post(path, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private long databaseCount() {
        return master().ok("databases/list", "{}").path("total_count").asLong();
    }

    @Test
    void trailingAndRepeatedSlashesReachTheSameMethod() {
        for (String path : new String[] {"/api/v1.1/databases/list", "/api/v1.1/databases/list/",
                "/api/v1.1//databases/list/", "//api/v1.1/databases//list"}) {
            Response r = post(path, "application/json", "{}");
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.error()).as(path).isZero();
            assertThat(r.errorText()).isEqualTo("Successful operation");
        }
    }

    @Test
    void malformedJsonIs400SayingWhereParsingFailedAndChangesNothing() {
        long before = databaseCount();
        Response r = post("/api/v1.1/databases/create", "application/json", "{\"name\": \"a\",\n \"x\": }");
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.error()).isEqualTo(400);
        assertThat(r.errorText()).contains("malformed JSON body").contains("line 2");
        assertThat(databaseCount()).isEqualTo(before);
    }

    /** A body cut short names where the open object began in plain words, not in the parser's own notation. */
    @Test
    void truncatedJsonSaysWhereTheOpenObjectBeganWithoutTheParsersInternals() {
        long before = databaseCount();
        Response r = post("/api/v1.1/databases/create", "application/json", "{\"name\": \"a\"");
        assertThat(r.error()).isEqualTo(400);
        assertThat(r.errorText()).startsWith("malformed JSON body at line 1, column ")
                .contains("expected close marker for Object (start marker at line 1, column 1)")
                .doesNotContain("Source").doesNotContain("StreamReadFeature").doesNotContain("REDACTED");
        assertThat(databaseCount()).isEqualTo(before);
    }

    @Test
    void jsonArrayInsteadOfObjectIs400() {
        Response r = post("/api/v1.1/databases/create", "application/json", "[{\"name\":\"a\"}]");
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.errorText()).contains("must be a JSON object").contains("an array");
        assertThat(master().ok("databases/list", "{}").path("data")).noneMatch(d -> d.path("name").asText().equals("a"));
    }

    @Test
    void duplicateKeysAndTrailingGarbageAre400ButTrailingWhitespaceIsFine() {
        assertThat(post("/api/v1.1/databases/create", "application/json", "{\"name\":\"d1\",\"name\":\"d2\"}").errorText())
                .contains("Duplicate field 'name'");
        assertThat(post("/api/v1.1/databases/list", "application/json", "{} x").error()).isEqualTo(400);
        assertThat(post("/api/v1.1/databases/list", "application/json", "{}  \n\t ").error()).isZero();
    }

    @Test
    void missingOrUnusualContentTypeWithJsonBodyIsJson() {
        assertThat(post("/api/v1.1/databases/create", null, "{\"name\":\"no-type\"}").error()).isZero();
        assertThat(post("/api/v1.1/databases/create", "text/plain", "{\"name\":\"text-type\"}").error()).isZero();
        assertThat(master().ok("databases/list", "{}").path("data").findValuesAsText("name"))
                .contains("no-type", "text-type");
    }

    @Test
    void anUnknownCharsetInTheContentTypeIsNotAnInternalError() {
        // found by HostileBodyFuzzTest: Jetty threw UnsupportedCharsetException, answered as a 500
        Response json = post("/api/v1.1/databases/create", "application/json; charset=ebcdic", "{\"name\":\"odd charset\"}");
        assertThat(json.status()).isEqualTo(200);
        Response xml = post("/api/v1.1/databases/get", "application/xml; charset=nonsense", "<xml><id>x</id></xml>");
        assertThat(xml.code()).isEqualTo(400);
        assertThat(xml.errorText()).contains("'id'");
        assertThat(master().ok("databases/list", "{}").path("data").findValuesAsText("name")).contains("odd charset");
    }

    @Test
    void xmlBodyWithArraysAndXmlAnswer() {
        Response r = post("/api/v1.1/databases/create", "application/xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><xml><name>From XML</name><ui_tags array='true'>"
                        + "<item>vip</item><item>b2c</item></ui_tags><unique_phones>false</unique_phones>"
                        + "<format>xml</format></xml>");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("application/xml");
        assertThat(r.body()).contains("<error>0</error>").contains("<error_text>Successful operation</error_text>");
        long id = Long.parseLong(r.body().replaceAll("(?s).*<id>(\\d+)</id>.*", "$1"));
        var db = master().ok("databases/get", "{\"id\":" + id + "}").path("data");
        assertThat(db.path("name").asText()).isEqualTo("From XML");
        assertThat(db.path("ui_tags").toString()).isEqualTo("[\"vip\",\"b2c\"]");
        assertThat(db.path("unique_phones").asBoolean()).isFalse();
    }

    @Test
    void acceptHeaderAsksForXml() {
        Response r = server.send(server.request("/api/v1.1/databases/list")
                .header("Authorization", "Bearer " + server.masterToken())
                .header("Accept", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(r.body()).startsWith("<?xml").contains("<total_count>");
    }

    @Test
    void malformedXmlIs400WithPosition() {
        long before = databaseCount();
        Response r = post("/api/v1.1/databases/create", "application/xml", "<xml><name>x</nam></xml>");
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.errorText()).contains("malformed XML body").contains("line 1");
        assertThat(databaseCount()).isEqualTo(before);
    }

    @Test
    void xmlCutInsideAnEntityReferenceIs400() {
        // found by HostileBodyFuzzTest: Woodstox reported it lazily as a RuntimeException, answered as a 500
        long before = databaseCount();
        Response r = post("/api/v1.1/databases/create", "application/xml", "<xml><name>a&lt</name>");
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.errorText()).startsWith("malformed XML body").contains("entity");
        assertThat(databaseCount()).isEqualTo(before);
    }

    @Test
    void xmlExternalEntityIsRefusedAndNeverResolved() {
        long before = databaseCount();
        Response r = post("/api/v1.1/databases/create", "application/xml",
                "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/hostname\">]>"
                        + "<xml><name>&xxe;</name></xml>");
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.errorText()).contains("DTD");
        assertThat(databaseCount()).isEqualTo(before);
    }

    @Test
    void billionLaughsIsRefused() {
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                + "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
                + "<xml><name>&lol3;</name></xml>";
        Response r = post("/api/v1.1/databases/create", "application/xml", laughs);
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.error()).isEqualTo(400);
    }

    @Test
    void unknownMethodIs404Envelope() {
        Response r = post("/api/v1.1/databases/frobnicate", "application/json", "{}");
        assertThat(r.code()).isEqualTo(404);
        assertThat(r.errorText()).contains("unknown method 'databases/frobnicate'");
    }

    @Test
    void otherPathsAndVerbsAnswerAnEnvelopeNeverHtml() {
        // "/" is the console's door (README, "The console"); every other unknown path is an envelope
        Response root = server.send(server.request("/").GET());
        assertThat(root.status()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location").orElseThrow()).endsWith("/console/");
        for (String path : new String[] {"/nope/../etc", "/nothing/here"}) {
            Response r = server.send(server.request(path).GET());
            assertThat(r.status()).as("outside the API the status is the code: %s", path).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).as(path).contains("json");
            assertThat(r.error()).as(path).isEqualTo(404);
            assertThat(r.body()).doesNotContain("<html");
        }
        Response unknown = server.send(server.request("/api/v1.1/x").GET());
        assertThat(unknown.code()).isEqualTo(404);
        assertThat(unknown.body()).doesNotContain("<html");
        Response put = server.send(server.request("/api/v1.1/databases/list").PUT(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(put.code()).isEqualTo(405);
    }

    @Test
    void everyAnswerCarriesARequestId() {
        Response r = post("/api/v1.1/databases/list", "application/json", "{}");
        assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
        Response echoed = server.send(server.request("/api/v1.1/databases/list")
                .header("X-Request-Id", "trace-123").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(echoed.headers().firstValue("X-Request-Id")).contains("trace-123");
    }

    @Test
    void wrongParameterTypesAre400NamingTheParameter() {
        long before = databaseCount();
        Response r = master().call("databases/create", "{\"name\": 5}");
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.errorText()).contains("'name'").contains("a string").contains("5");
        assertThat(master().call("databases/get", "{\"id\": \"one\"}").errorText())
                .contains("'id'").contains("an integer").contains("one");
        assertThat(master().call("databases/create", "{\"name\": \"ok\", \"ui_tags\": \"vip\"}").errorText())
                .contains("'ui_tags'").contains("an array");
        assertThat(master().call("databases/create", "{\"name\": \"ok\", \"unique_phones\": \"yes\"}").errorText())
                .contains("'unique_phones'").contains("boolean");
        assertThat(master().call("databases/list", "{\"limit\": 1.5}").errorText()).contains("'limit'");
        assertThat(master().call("databases/get", "{\"id\": 99999999999999999999999}").error()).isEqualTo(400);
        assertThat(databaseCount()).isEqualTo(before);
    }

    @Test
    void unknownParametersAre400NotSilentlyDropped() {
        long before = databaseCount();
        Response r = master().call("databases/create", "{\"name\": \"x\", \"colour\": \"red\"}");
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.errorText()).contains("unknown parameter 'colour'");
        assertThat(databaseCount()).isEqualTo(before);
    }

    @Test
    void healthReadyAndMetrics() {
        Response health = server.send(server.request("/health").GET());
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("alive");
        Response ready = server.send(server.request("/ready").GET());
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().path("status").asText()).isEqualTo("ready");

        master().call("databases/get", "{\"id\": 424242}");
        Response metrics = server.send(server.request("/metrics").GET());
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("roster_requests_seconds_bucket{error=\"404\",method=\"databases/get\"")
                .contains("roster_requests_seconds_count{error=\"0\",method=\"databases/list\"")
                .contains("hikaricp_connections_active")
                .contains("roster_auth_failures_total");
    }

    @Test
    void bodyOverTheLimitIs413AndNotApplied() throws Exception {
        try (TestServer small = TestServer.start(s -> new HttpSettings(s.bind(), 0, 1024, s.maxDepth(), false))) {
            String big = "{\"name\":\"big\",\"description\":\"" + "x".repeat(2000) + "\"}";
            Response r = small.master().call("databases/create", big);
            assertThat(r.code()).isEqualTo(413);
            assertThat(r.error()).isEqualTo(413);
            assertThat(r.errorText()).contains("1024 bytes");
            assertThat(small.master().ok("databases/list", "{}").path("total_count").asLong()).isZero();
            // chunked, without a Content-Length, is counted as it arrives
            Response chunked = small.send(small.request("/api/v1.1/databases/create")
                    .header("Authorization", "Bearer " + small.masterToken())
                    .POST(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))));
            assertThat(chunked.error()).isEqualTo(413);
            assertThat(small.master().ok("databases/list", "{}").path("total_count").asLong()).isZero();
        }
    }

    @Test
    void nestingDeeperThanTheLimitIs400() {
        String deep = "{\"name\":\"deep\",\"description\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        Response r = master().call("databases/create", deep);
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.errorText()).contains("nesting depth");
    }

    @Test
    void alwaysHttp200FlagKeepsTheErrorInTheEnvelope() throws Exception {
        try (TestServer flat = TestServer.start(s -> new HttpSettings(s.bind(), 0, 1024, s.maxDepth(), true))) {
            Response tooLarge = flat.master().call("databases/create", "{\"name\":\"" + "x".repeat(2000) + "\"}");
            assertThat(tooLarge.status()).isEqualTo(200);
            assertThat(tooLarge.error()).isEqualTo(413);
            Response r = flat.client(null).call("databases/list", "{}");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.error()).isEqualTo(401);
            Response unknown = flat.master().call("nothing/here", "{}");
            assertThat(unknown.status()).isEqualTo(200);
            assertThat(unknown.error()).isEqualTo(404);
        }
    }
}
