package dev.roster.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.testing.ApiTest;
import dev.roster.testing.TestServer;
import dev.roster.testing.TestServer.Response;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The string and array limits hold for every method and both body formats, and refused bodies change nothing. */
class BodyLimitsApiTest extends ApiTest {
    private static TestServer small;

    @BeforeAll
    static void startSmallServer() {
        small = TestServer.start(s -> s.withBodyLimits(100, 5));
    }

    @AfterAll
    static void stopSmallServer() throws Exception {
        small.close();
    }

    private static long databases(TestServer on) {
        return on.master().ok("databases/list", "{}").path("total_count").asLong();
    }

    private static Response xml(TestServer on, String method, String body) {
        return on.send(on.request("/api/v1.1/" + method)
                .header("Authorization", "Bearer " + on.masterToken())
                .header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void defaultsAre65536CharactersAnd10000Items() {
        HttpSettings defaults = HttpSettings.defaults(0);
        assertThat(defaults.maxStringChars()).isEqualTo(65_536);
        assertThat(defaults.maxArrayItems()).isEqualTo(10_000);
        Response r = master().call("databases/create", "{\"name\":\"long\",\"description\":\"" + "d".repeat(65_537) + "\"}");
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.errorText()).contains("'description'").contains("65537 characters").contains("limit of 65536");
        Response ok = master().call("databases/create", "{\"name\":\"exactly\",\"description\":\"" + "d".repeat(65_536) + "\"}");
        assertThat(ok.error()).isZero();
        assertThat(master().ok("databases/list", "{}").path("data").findValuesAsText("name")).containsExactly("exactly");
    }

    @Test
    void aStringOverTheLimitIs400NamingItsPathAndChangesNothing() {
        long before = databases(small);
        Response r = small.master().call("databases/create", "{\"name\":\"" + "n".repeat(101) + "\"}");
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.errorText()).isEqualTo("the value of 'name' is 101 characters long, over the limit of 100 characters per string");
        Response nested = small.master().call("databases/create", "{\"name\":\"ok\",\"ui_tags\":[\"a\",\"" + "t".repeat(200) + "\"]}");
        assertThat(nested.errorText()).contains("'ui_tags[1]'").contains("200 characters");
        assertThat(databases(small)).isEqualTo(before);
    }

    @Test
    void aParameterNameOverTheLimitIs400() {
        Response r = small.master().call("databases/list", "{\"" + "k".repeat(150) + "\":1}");
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.errorText()).contains("parameter name is 150 characters long");
    }

    @Test
    void anArrayOverTheLimitIs413NamingItAndChangesNothing() {
        long before = databases(small);
        Response r = small.master().call("databases/create", "{\"name\":\"tags\",\"ui_tags\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\"]}");
        assertThat(r.code()).isEqualTo(413);
        assertThat(r.errorText()).isEqualTo("'ui_tags' has 6 items, over the limit of 5 items per array");
        assertThat(small.master().call("databases/create", "{\"name\":\"five\",\"ui_tags\":[\"1\",\"2\",\"3\",\"4\",\"5\"]}").error())
                .isZero();
        assertThat(databases(small)).isEqualTo(before + 1);
    }

    @Test
    void xmlBodiesKeepTheSameLimits() {
        long before = databases(small);
        Response longText = xml(small, "databases/create", "<xml><name>" + "x".repeat(101) + "</name></xml>");
        assertThat(longText.code()).isEqualTo(400);
        assertThat(longText.errorText()).contains("'name'").contains("limit of 100");
        Response repeated = xml(small, "databases/create",
                "<xml><name>x</name>" + "<ui_tags>t</ui_tags>".repeat(6) + "</xml>");
        assertThat(repeated.code()).isEqualTo(413);
        assertThat(repeated.errorText()).contains("'ui_tags' has 6 items");
        assertThat(databases(small)).isEqualTo(before);
    }

    @org.junit.jupiter.api.Test
    void theNulCharacterIsRefusedInValuesAndNames() {
        long before = master().ok("databases/list", "{}").path("total_count").asLong();
        var value = master().call("databases/create", "{\"name\":\"nul\\u0000here\"}");
        org.assertj.core.api.Assertions.assertThat(value.code()).isEqualTo(400);
        org.assertj.core.api.Assertions.assertThat(value.errorText()).contains("'name'").contains("U+0000");
        var name = master().call("databases/create", "{\"name\":\"ok\",\"a\\u0000b\":1}");
        org.assertj.core.api.Assertions.assertThat(name.code()).isEqualTo(400);
        org.assertj.core.api.Assertions.assertThat(master().ok("databases/list", "{}").path("total_count").asLong())
                .isEqualTo(before);
    }
}
