package dev.roster.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.testing.ApiTest;
import dev.roster.testing.TestServer;
import dev.roster.testing.TestServer.Response;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Rate limits per token (docs/COMPATIBILITY.md, Error codes: 429 with Retry-After) and the failed-authentication
 * metric.
 */
class RateLimitApiTest extends ApiTest {

    private static long databaseCount() {
        return master().ok("databases/list", "{}").path("total_count").asLong();
    }

    private static JsonNode listed(long tokenId) {
        for (JsonNode t : master().ok("tokens/list", "{}").path("data")) {
            if (t.path("id").asLong() == tokenId) {
                return t;
            }
        }
        throw new AssertionError("token " + tokenId + " not listed");
    }

    @Test
    void aTokenWithRate1Burst2GetsA429OnItsThirdImmediateCallAndTheCallChangesNothing() {
        JsonNode created = master().ok("tokens/create", "{\"name\":\"slow\",\"rate_limit\":1,\"rate_burst\":2}").path("data");
        TestServer.ApiClient slow = server.client(created.path("token").asText());
        assertThat(slow.call("databases/list", "{}").error()).isZero();
        assertThat(slow.call("databases/list", "{}").error()).isZero();
        long before = databaseCount();

        Response third = slow.call("databases/create", "{\"name\":\"over the limit\"}");
        assertThat(third.code()).isEqualTo(429);
        assertThat(third.error()).isEqualTo(429);
        long retryAfter = Long.parseLong(third.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 2L);
        assertThat(third.errorText()).isEqualTo("rate limit of the token exceeded: retry in " + retryAfter
                + (retryAfter == 1 ? " second" : " seconds") + " (see the Retry-After header)");
        assertThat(databaseCount()).isEqualTo(before);
        assertThat(master().ok("databases/list", "{}").path("data").findValuesAsText("name")).doesNotContain("over the limit");

        // other tokens have their own buckets
        assertThat(master().call("databases/list", "{}").error()).isZero();
        JsonNode shown = listed(created.path("id").asLong());
        assertThat(shown.path("rate_limit").asInt()).isEqualTo(1);
        assertThat(shown.path("rate_burst").asInt()).isEqualTo(2);
    }

    @Test
    void tokensWithoutTheirOwnLimitListNullAndTheBurstDefaultsToTheRate() {
        long plain = master().ok("tokens/create", "{\"name\":\"plain\"}").path("data").path("id").asLong();
        assertThat(listed(plain).path("rate_limit").isNull()).isTrue();
        assertThat(listed(plain).path("rate_burst").isNull()).isTrue();
        long rateOnly = master().ok("tokens/create", "{\"name\":\"rate only\",\"rate_limit\":7}").path("data").path("id").asLong();
        assertThat(listed(rateOnly).path("rate_burst").asInt()).isEqualTo(7);
    }

    @Test
    void invalidRateParametersAre400AndCreateNoToken() {
        int tokens = master().ok("tokens/list", "{}").path("data").size();
        assertThat(master().call("tokens/create", "{\"name\":\"zero\",\"rate_limit\":0}").errorText())
                .isEqualTo("invalid value of 'rate_limit': expected an integer from 1 to 1000000 (requests per second), got 0");
        assertThat(master().call("tokens/create", "{\"name\":\"huge\",\"rate_limit\":1,\"rate_burst\":2000000}").errorText())
                .contains("'rate_burst'").contains("1000000");
        assertThat(master().call("tokens/create", "{\"name\":\"burst\",\"rate_burst\":5}").errorText())
                .contains("'rate_burst' needs 'rate_limit'");
        assertThat(master().call("tokens/create", "{\"name\":\"text\",\"rate_limit\":\"fast\"}").errorText())
                .contains("'rate_limit'").contains("an integer");
        assertThat(master().ok("tokens/list", "{}").path("data").size()).isEqualTo(tokens);
    }

    @Test
    void theServerDefaultAppliesToTokensWithoutTheirOwn() throws Exception {
        try (TestServer limited = TestServer.start(s -> s.withRate(1, 1))) {
            assertThat(limited.master().call("databases/list", "{}").error()).isZero();
            Response second = limited.master().call("databases/list", "{}");
            assertThat(second.code()).isEqualTo(429);
            assertThat(second.headers().firstValue("Retry-After")).isPresent();
        }
    }

    @Test
    void aTokensOwnLimitWinsOverTheServerDefault() throws Exception {
        try (TestServer limited = TestServer.start(s -> s.withRate(1, 2))) {
            String own = limited.master().ok("tokens/create", "{\"name\":\"own\",\"rate_limit\":100,\"rate_burst\":10}")
                    .path("data").path("token").asText();
            TestServer.ApiClient client = limited.client(own);
            for (int i = 0; i < 10; i++) {
                assertThat(client.call("databases/list", "{}").error()).as("call " + (i + 1)).isZero();
            }
        }
    }

    @Test
    void failedAuthenticationsAreCounted() {
        double before = authFailures();
        assertThat(server.client(null).call("databases/list", "{}").error()).isEqualTo(401);
        assertThat(server.client("0123456789abcdef0123456789abcdef").call("databases/list", "{}").error()).isEqualTo(401);
        assertThat(server.client("not a token").call("databases/list", "{}").error()).isEqualTo(401);
        assertThat(authFailures()).isEqualTo(before + 3);
    }

    private static double authFailures() {
        String metrics = server.send(server.request("/metrics").GET()).body();
        Matcher m = Pattern.compile("(?m)^roster_auth_failures_total(?:\\{[^}]*})? (\\S+)$").matcher(metrics);
        assertThat(m.find()).as(metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
