package dev.roster.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.testing.ApiTest;
import dev.roster.testing.TestServer;
import dev.roster.testing.TestServer.Response;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The HTTP status policy of docs/API.md: the envelope carries the outcome and the HTTP status is 200, except for the
 * transport failures 413, 429, 500 and 503; {@code --http-error-status} mirrors every code instead.
 */
class HttpStatusApiTest extends ApiTest {

    private static Response raw(TestServer on, String method, String path, String body) {
        return on.send(on.request(path)
                .header("Authorization", "Bearer " + on.masterToken())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void errorsAreHttp200WithTheCodeInTheEnvelope() {
        Response unauthorized = server.client(null).call("databases/list", "{}");
        assertThat(unauthorized.status()).as(unauthorized.body()).isEqualTo(200);
        assertThat(unauthorized.error()).isEqualTo(401);
        Response bad = master().call("databases/get", "{\"id\":\"one\"}");
        assertThat(bad.status()).isEqualTo(200);
        assertThat(bad.error()).isEqualTo(400);
        Response missing = master().call("databases/get", "{\"id\":424242}");
        assertThat(missing.status()).isEqualTo(200);
        assertThat(missing.error()).isEqualTo(404);
        Response unknown = master().call("nothing/here", "{}");
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(unknown.error()).isEqualTo(404);
    }

    @Test
    void tooLargeKeepsItsHttpStatus() throws Exception {
        try (TestServer small = TestServer.start(s -> new HttpSettings(s.bind(), 0, 1024, s.maxDepth(), false))) {
            Response r = small.master().call("databases/create", "{\"name\":\"" + "x".repeat(2000) + "\"}");
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.error()).isEqualTo(413);
        }
    }

    @Test
    void theMirrorFlagAnswersEveryErrorWithItsCodeAsTheStatus() throws Exception {
        try (TestServer mirror = TestServer.start(s -> s.withHttpErrorStatus(true))) {
            Response unauthorized = mirror.client(null).call("databases/list", "{}");
            assertThat(unauthorized.status()).isEqualTo(401);
            assertThat(unauthorized.error()).isEqualTo(401);
            Response missing = mirror.master().call("databases/get", "{\"id\":424242}");
            assertThat(missing.status()).isEqualTo(404);
            Response bad = mirror.master().call("databases/get", "{\"id\":\"one\"}");
            assertThat(bad.status()).isEqualTo(400);
            Response get = raw(mirror, "GET", "/api/v1.1/databases/list", null);
            assertThat(get.status()).isEqualTo(405);
            assertThat(get.error()).isEqualTo(405);
            Response ok = mirror.master().call("databases/list", "{}");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.error()).isZero();
        }
    }

    @Test
    void otherVerbsOnAnApiPathAre405InTheEnvelopeWithAllowPost() {
        for (String verb : new String[] {"GET", "PUT", "DELETE", "OPTIONS", "PATCH"}) {
            for (String path : new String[] {"/api/v1.1/databases/list", "/api/v1.1//profiles/import/"}) {
                Response r = raw(server, verb, path, verb.equals("GET") || verb.equals("OPTIONS") ? null : "{}");
                assertThat(r.status()).as(verb + " " + path + " " + r.body()).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type").orElse("")).as(verb).contains("json");
                assertThat(r.error()).as(verb + " " + path + " " + r.body()).isEqualTo(405);
                assertThat(r.errorText()).contains(verb).contains("POST");
                assertThat(r.headers().firstValue("Allow")).as(verb).contains("POST");
            }
        }
    }

    @Test
    void unknownPathsUnderApiAre404InTheEnvelopeWhateverTheVerb() {
        for (String verb : new String[] {"GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"}) {
            for (String path : new String[] {"/api/nothing", "/api/v2/databases/list", "/api/v1.1/databases"}) {
                Response r = raw(server, verb, path, verb.equals("GET") || verb.equals("OPTIONS") ? null : "{}");
                assertThat(r.headers().firstValue("Content-Type").orElse("")).as(verb + " " + path).contains("json");
                assertThat(r.body()).doesNotContain("<html");
                assertThat(r.error()).as(verb + " " + path + " " + r.body()).isEqualTo(404);
                assertThat(r.status()).as(verb + " " + path).isEqualTo(200);
            }
        }
    }

    @Test
    void aBasicAuthorizationFallsThroughToTheBodyAndQueryToken() {
        String basic = "Basic " + Base64.getEncoder().encodeToString("proxy:secret".getBytes(StandardCharsets.UTF_8));
        Response body = server.send(server.request("/api/v1.1/databases/list")
                .header("Authorization", basic)
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + server.masterToken() + "\"}")));
        assertThat(body.error()).as(body.body()).isZero();
        Response query = server.send(server.request("/api/v1.1/databases/list?token=" + server.masterToken())
                .header("Authorization", basic)
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(query.error()).as(query.body()).isZero();
        Response none = server.send(server.request("/api/v1.1/databases/list")
                .header("Authorization", basic)
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(none.error()).isEqualTo(401);
    }

    @Test
    void anInvalidFormatIs400() {
        long before = master().ok("databases/list", "{}").path("total_count").asLong();
        Response body = master().call("databases/create", "{\"name\":\"fmt\",\"format\":\"yaml\"}");
        assertThat(body.error()).as(body.body()).isEqualTo(400);
        assertThat(body.errorText()).contains("'format'").contains("yaml").contains("json").contains("xml");
        Response query = server.send(server.request("/api/v1.1/databases/list?format=csv")
                .header("Authorization", "Bearer " + server.masterToken())
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(query.error()).as(query.body()).isEqualTo(400);
        assertThat(query.errorText()).contains("'format'").contains("csv");
        Response number = master().call("databases/list", "{\"format\":5}");
        assertThat(number.error()).isEqualTo(400);
        assertThat(master().call("databases/list", "{\"format\":\"JSON\"}").error()).isZero();
        assertThat(master().ok("databases/list", "{}").path("total_count").asLong()).isEqualTo(before);
    }
}
