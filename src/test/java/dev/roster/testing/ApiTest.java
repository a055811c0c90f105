package dev.roster.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * Base of every test that goes through the HTTP API: one server per test class over a fresh store. Tagged
 * {@code api}, so the pom runs these classes on SQLite and again on PostgreSQL.
 */
@Tag("api")
public abstract class ApiTest {
    protected static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    protected static TestServer.ApiClient master() {
        return server.master();
    }

    /** Creates a database and returns its id. */
    protected static long createDatabase(String name) {
        return master().ok("databases/create", "{\"name\":\"" + name + "\"}").path("data").path("id").asLong();
    }

    /** The answer is that error, with the HTTP status the default policy gives it, and each fragment in its text. */
    protected static void assertError(TestServer.Response response, int code, String... fragments) {
        assertThat(response.status()).as("HTTP status of %s", response.body()).isEqualTo(TestServer.httpStatusOf(code));
        assertThat(response.error()).as("error of %s", response.body()).isEqualTo(code);
        for (String fragment : fragments) {
            assertThat(response.errorText()).as("error_text of %s", response.body()).contains(fragment);
        }
    }

    /** The master token's call fails with that code and text, and no row of any table changed. */
    protected static void assertRefused(String method, String body, int code, String... fragments) {
        Map<String, List<String>> before = StoreRows.rows(server.store());
        assertError(master().call(method, body), code, fragments);
        assertThat(StoreRows.rows(server.store())).as("store after refused %s %s", method, body).isEqualTo(before);
    }
}
