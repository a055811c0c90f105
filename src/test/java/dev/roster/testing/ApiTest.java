package dev.roster.testing;

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
}
