package dev.roster.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.access.Permission;
import dev.roster.json.Json;
import dev.roster.testing.ApiTest;
import dev.roster.testing.TestServer;
import dev.roster.testing.TestServer.Response;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Stopping (SIGTERM runs RosterApp.close()): /ready turns 503 first, requests in flight answer, then the server stops. */
class GracefulShutdownApiTest extends ApiTest {

    /** A server with {@code test/slow}, which answers only once {@code release} opens. */
    private static TestServer slowServer(UnaryOperator<HttpSettings> settings, CountDownLatch entered, CountDownLatch release) {
        return TestServer.start(settings, api -> api.add("test/slow", Permission.CATALOG_READ, p -> null, (caller, none) -> {
            entered.countDown();
            try {
                if (!release.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released test/slow");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return Reply.data(Json.object().put("finished", true));
        }));
    }

    private static CompletableFuture<Void> closeInBackground(TestServer server) {
        return CompletableFuture.runAsync(() -> {
            try {
                server.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Asks /ready until it answers 503, for at most 10 s: closing begins on another thread. */
    private static Response readyUntilUnavailable(TestServer server) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Response ready = server.send(server.request("/ready").GET());
        while (ready.status() != 503 && System.nanoTime() < deadline) {
            ready = server.send(server.request("/ready").GET());
        }
        return ready;
    }

    @Test
    void aRequestInFlightAnswersInFullWhileCloseDrainsAndReadyIs503Meanwhile() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TestServer slow = slowServer(s -> s, entered, release);
        CompletableFuture<Response> inFlight = CompletableFuture.supplyAsync(() -> slow.master().call("test/slow", "{}"));
        assertThat(entered.await(30, TimeUnit.SECONDS)).as("test/slow started").isTrue();

        CompletableFuture<Void> closing = closeInBackground(slow);
        Response ready = readyUntilUnavailable(slow);
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.error()).isEqualTo(503);
        assertThat(ready.errorText()).isEqualTo("not ready: the server is shutting down");
        assertThat(closing).as("close() waits for the request in flight").isNotDone();
        assertThat(inFlight).isNotDone();

        release.countDown();
        Response answer = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.error()).isZero();
        assertThat(answer.data().path("finished").asBoolean()).isTrue();
        closing.get(30, TimeUnit.SECONDS);
    }

    @Test
    void theDrainIsBounded() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TestServer slow = slowServer(s -> s.withDrainSeconds(1), entered, release);
        CompletableFuture<Response> inFlight = CompletableFuture.supplyAsync(() -> slow.master().call("test/slow", "{}"));
        try {
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            long start = System.nanoTime();
            closeInBackground(slow).get(30, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(20));
        } finally {
            release.countDown();
        }
        assertThat(inFlight).failsWithin(Duration.ofSeconds(30));
    }
}
