package dev.roster.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.roster.testing.ApiTest;
import dev.roster.testing.TestServer;
import dev.roster.testing.TestServer.Response;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Request ids in answers and logs, no secrets in logs, no CORS, security headers on every answer. */
class HygieneApiTest extends ApiTest {
    private static TestServer failing;
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    /**
     * A server whose store lost a table behind its back, so that {@code databases/list} fails as a bug would (an
     * error no translation knows) and the server logs an error.
     */
    @BeforeAll
    static void startFailingServer() {
        failing = TestServer.start();
        try (var h = failing.openHandle()) {
            h.execute("alter table databases rename to databases_gone");
        }
    }

    @AfterAll
    static void stopFailingServer() throws Exception {
        failing.close();
    }

    @BeforeEach
    void capture() {
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void release() {
        root.detachAppender(captured);
        captured.stop();
    }

    /** Everything a log line carries: message, arguments, MDC, stack trace. */
    private String logged() {
        StringBuilder all = new StringBuilder();
        for (ILoggingEvent e : captured.list) {
            all.append(e.getFormattedMessage()).append(' ').append(e.getMDCPropertyMap()).append(' ');
            if (e.getArgumentArray() != null) {
                all.append(List.of(e.getArgumentArray())).append(' ');
            }
            if (e.getThrowableProxy() != null) {
                all.append(ThrowableProxyUtil.asString(e.getThrowableProxy()));
            }
            all.append('\n');
        }
        return all.toString();
    }

    @Test
    void anErrorIsLoggedWithTheRequestIdOfItsAnswer() {
        Response r = failing.master().call("databases/list", "{}");
        assertThat(r.code()).isEqualTo(500);
        String requestId = r.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(r.errorText()).isEqualTo("internal error, request id " + requestId);
        List<ILoggingEvent> errors = captured.list.stream().filter(e -> e.getLevel().toString().equals("ERROR")).toList();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).getMDCPropertyMap()).containsEntry("request_id", requestId);
        assertThat(captured.list).as("every line written while serving carries the request id")
                .allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsKey("request_id"));
    }

    @Test
    void tokensAndPasswordsNeverReachTheLogs() {
        String token = failing.masterToken();
        String password = "Correct-Horse-Battery-42";
        String unknownToken = "0123456789abcdef0123456789abcdef";
        assertThat(failing.master().call("databases/list", "{}").code()).isEqualTo(500);
        assertThat(failing.client(null).call("databases/list", "{\"token\":\"" + token + "\"}").code()).isEqualTo(500);
        assertThat(failing.send(failing.request("/api/v1.1/databases/list?token=" + token)
                .POST(HttpRequest.BodyPublishers.ofString("{}"))).code()).isEqualTo(500);
        assertThat(failing.client(unknownToken).call("databases/list", "{}").code()).isEqualTo(401);
        assertThat(failing.master().call("users/create", "{\"login\":\"carol\",\"password\":\"" + password + "\"}").error()).isZero();
        assertThat(failing.master().call("users/create", "{\"login\":\"carol\",\"password\":\"" + password + "\"}").error())
                .isEqualTo(409);

        String logs = logged();
        assertThat(captured.list).as("the failing calls were logged").hasSizeGreaterThanOrEqualTo(3);
        assertThat(logs).doesNotContain(token).doesNotContain(password).doesNotContain(unknownToken);
    }

    @Test
    void corsIsOffByDefault() {
        Response preflight = server.send(server.request("/api/v1.1/databases/list")
                .header("Origin", "https://elsewhere.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        // a 405 in the envelope without any Access-Control header: the browser refuses the cross-origin call
        assertThat(preflight.code()).isEqualTo(405);
        assertThat(preflight.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));

        Response crossOrigin = server.send(server.request("/api/v1.1/databases/list")
                .header("Origin", "https://elsewhere.example")
                .header("Authorization", "Bearer " + server.masterToken())
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(crossOrigin.error()).isZero();
        assertThat(crossOrigin.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        Map<String, Response> answers = Map.of(
                "success", master().call("databases/list", "{}"),
                "bad request", master().call("databases/get", "{}"),
                "unauthorized", server.client(null).call("databases/list", "{}"),
                "unknown method", master().call("nothing/here", "{}"),
                "unknown path", server.send(server.request("/nowhere").GET()),
                "health", server.send(server.request("/health").GET()),
                "ready", server.send(server.request("/ready").GET()),
                "metrics", server.send(server.request("/metrics").GET()),
                "options", server.send(server.request("/api/v1.1/databases/list").method("OPTIONS", HttpRequest.BodyPublishers.noBody())),
                "internal error", failing.master().call("databases/list", "{}"));
        answers.forEach((what, r) -> {
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(what).contains("nosniff");
            assertThat(r.headers().firstValue("Cache-Control")).as(what).contains("no-store");
            assertThat(r.headers().firstValue("X-Frame-Options")).as(what).contains("DENY");
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(what)
                    .contains("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
            assertThat(r.headers().firstValue("X-Request-Id")).as(what).isPresent();
        });
    }
}
