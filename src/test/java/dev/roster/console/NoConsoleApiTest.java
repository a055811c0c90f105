package dev.roster.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.RosterApp;
import dev.roster.http.HttpSettings;
import dev.roster.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code roster serve --no-console}: no page under /console/, and "/" is the envelope of an unknown path again. */
@Tag("api")
class NoConsoleApiTest {
    @Test
    void withoutTheConsoleItsPathsAreUnknown() throws Exception {
        TestStores.FreshStore fresh = TestStores.fresh();
        try (RosterApp app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0),
                RosterApp.Options.defaults().withConsole(false))) {
            HttpClient http = HttpClient.newHttpClient();
            for (String path : new String[] {"/", "/console/", "/console/sign-in"}) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(path).isEqualTo(404);
                assertThat(r.body()).as(path).contains("\"error\":404").doesNotContain("<html");
            }
        } finally {
            fresh.cleanup().close();
        }
    }
}
