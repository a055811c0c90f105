package dev.roster.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.roster.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver for tests: a real HTTP server that verifies each POST's signature with the secret and records
 * the batches, answering {@link #answer} (200 unless a test says otherwise). It can be stopped and started again on
 * the same port (a receiver that is down).
 */
final class Receiver implements AutoCloseable {
    /** One POST as received. */
    record Batch(String deliveryId, boolean signatureValid, List<Long> ids, JsonNode events, int answered) {
    }

    private final List<Batch> batches = new ArrayList<>();
    final AtomicInteger answer = new AtomicInteger(200);
    private volatile String secret;
    private HttpServer server;
    private int port;

    Receiver() throws IOException {
        start(0);
    }

    void secret(String value) {
        this.secret = value;
    }

    synchronized void start(int onPort) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 50);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String signature = exchange.getRequestHeaders().getFirst("X-Roster-Signature");
            String delivery = exchange.getRequestHeaders().getFirst("X-Roster-Delivery");
            int status = answer.get();
            JsonNode events = Json.MAPPER.readTree(body);
            List<Long> ids = new ArrayList<>();
            events.forEach(e -> ids.add(e.path("id").asLong()));
            synchronized (batches) {
                batches.add(new Batch(delivery, signature != null && signature.equals("sha256=" + hmac(body)), ids,
                        events, status));
                batches.notifyAll();
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        port = server.getAddress().getPort();
    }

    synchronized void stop() {
        server.stop(0);
    }

    /** The URL webhooks/create takes. */
    String url() {
        return "http://127.0.0.1:" + port + "/hook";
    }

    int port() {
        return port;
    }

    List<Batch> batches() {
        synchronized (batches) {
            return List.copyOf(batches);
        }
    }

    /** Waits until the batches received satisfy the condition; fails the test after {@code max}. */
    List<Batch> await(java.util.function.Predicate<List<Batch>> condition, java.time.Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (batches) {
            while (true) {
                List<Batch> now = List.copyOf(batches);
                if (condition.test(now)) {
                    return now;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("after " + max.toSeconds() + " s, " + now.size() + " batches: "
                            + now.subList(Math.max(0, now.size() - 3), now.size()));
                }
                try {
                    java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(batches, left); // woken by the next POST
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    /** Event ids of the acknowledged batches, in the order received. */
    List<Long> acknowledgedIds() {
        List<Long> out = new ArrayList<>();
        for (Batch b : batches()) {
            if (b.answered() >= 200 && b.answered() < 300) {
                out.addAll(b.ids());
            }
        }
        return out;
    }

    private String hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
