package dev.roster.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.testing.ApiTest;
import dev.roster.testing.TestServer;
import dev.roster.testing.TestServer.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Stopping (SIGTERM runs RosterApp.close()): /ready turns 503 first, requests in flight answer, then the server stops.
 * The request in flight is a slow client's: its body arrives in two parts, and the server is told to stop in between.
 */
class GracefulShutdownApiTest extends ApiTest {
    private static final Pattern IN_FLIGHT = Pattern.compile("(?m)^roster_requests_in_flight(?:\\{[^}]*})? ([0-9.]+)");

    /**
     * A request of {@code databases/list} whose body ({@code {}}) is sent in two chunks: the first on creation, the
     * second by {@link #finish}; the server serves it in between, waiting for the rest of its body.
     */
    private static final class SlowRequest implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;

        SlowRequest(TestServer server) throws IOException {
            int port = Integer.parseInt(server.url("").replaceAll(".*:(\\d+)$", "$1"));
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(30_000);
            out = socket.getOutputStream();
            out.write(("POST /api/v1.1/databases/list HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + server.masterToken() + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                    + "Connection: close\r\n\r\n1\r\n{\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Sends the rest of the body and returns the whole answer (status line, headers, body). */
        String finish() throws IOException {
            out.write("1\r\n}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return readAll();
        }

        /** What the server sends until it closes the connection, without sending the rest of the body. */
        String readAll() throws IOException {
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Asks /metrics until the server serves that many API requests, for at most 30 s. */
    private static void awaitInFlight(TestServer server, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String metrics = "";
        while (System.nanoTime() < deadline) {
            metrics = server.send(server.request("/metrics").GET()).body();
            Matcher m = IN_FLIGHT.matcher(metrics);
            if (m.find() && Double.parseDouble(m.group(1)) >= count) {
                return;
            }
        }
        throw new AssertionError("no " + count + " request(s) in flight after 30 s: "
                + metrics.lines().filter(l -> l.contains("in_flight")).toList());
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

    private static TestServer start(UnaryOperator<HttpSettings> settings) {
        return TestServer.start(settings);
    }

    @Test
    void aRequestInFlightAnswersInFullWhileCloseDrainsAndReadyIs503Meanwhile() throws Exception {
        TestServer stopping = start(s -> s);
        try (SlowRequest slow = new SlowRequest(stopping)) {
            awaitInFlight(stopping, 1);

            CompletableFuture<Void> closing = closeInBackground(stopping);
            Response ready = readyUntilUnavailable(stopping);
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.error()).isEqualTo(503);
            assertThat(ready.errorText()).isEqualTo("not ready: the server is shutting down");
            assertThat(closing).as("close() waits for the request in flight").isNotDone();

            String answer = slow.finish();
            assertThat(answer).startsWith("HTTP/1.1 200").contains("\"error\":0");
            closing.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theDrainIsBounded() throws Exception {
        TestServer stopping = start(s -> s.withDrainSeconds(1));
        try (SlowRequest slow = new SlowRequest(stopping)) {
            awaitInFlight(stopping, 1);
            long start = System.nanoTime();
            closeInBackground(stopping).get(30, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(20));
            // the request never had its answer: the connection closed under it
            String left;
            try {
                left = slow.readAll();
            } catch (IOException e) {
                left = "";
            }
            assertThat(left).doesNotContain("\"error\":0");
        }
    }
}
