package dev.roster.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import dev.roster.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The RabbitMQ the tests use ({@code roster.test.amqp}, default the local broker with guest/guest), with a pair of
 * queues of their own per test, deleted on close. Never skipped: when the broker does not answer, the test fails.
 */
public final class TestBroker implements AutoCloseable {
    public static final String URL = System.getProperty("roster.test.amqp", "amqp://guest:guest@127.0.0.1:5672/");

    public final String importQueue;
    public final String resultQueue;
    private final Connection connection;
    private final Channel publisher;
    private final Channel listener;
    /** Guarded by itself; deliveries notify waiters on it. */
    private final List<JsonNode> results = new ArrayList<>();

    public TestBroker(String name) {
        this(name, null);
    }

    /** With the import queue declared with these arguments (e.g. {@code x-message-ttl}) before Roster sees it. */
    public TestBroker(String name, java.util.Map<String, Object> importQueueArguments) {
        String unique = name + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        this.importQueue = "roster_test_" + unique + "_import";
        this.resultQueue = "roster_test_" + unique + "_result";
        try {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(URL);
            if (factory.getVirtualHost().isEmpty()) {
                factory.setVirtualHost("/"); // as Roster reads amqp://host:5672/
            }
            this.connection = factory.newConnection("roster-test");
            this.publisher = connection.createChannel();
            publisher.queueDeclare(importQueue, true, false, false, importQueueArguments);
            publisher.queueDeclare(resultQueue, true, false, false, null);
            publisher.confirmSelect();
            this.listener = connection.createChannel();
            DeliverCallback collect = (tag, delivery) -> {
                JsonNode result = Json.MAPPER.readTree(delivery.getBody());
                synchronized (results) {
                    results.add(result);
                    results.notifyAll();
                }
            };
            listener.basicConsume(resultQueue, true, collect, tag -> { });
        } catch (Exception e) {
            throw new IllegalStateException("RabbitMQ does not answer at " + URL + ": " + e, e);
        }
    }

    /** Publishes a message (persistent) and waits for the broker's confirm. */
    public void publish(String body) {
        publish(body, null);
    }

    public void publish(String body, String messageId) {
        try {
            publisher.basicPublish("", importQueue, new AMQP.BasicProperties.Builder().deliveryMode(2)
                    .messageId(messageId).build(), body.getBytes(StandardCharsets.UTF_8));
            publisher.waitForConfirmsOrDie(30_000);
        } catch (IOException | InterruptedException | TimeoutException e) {
            throw new IllegalStateException("cannot publish to " + importQueue, e);
        }
    }

    /** Publishes many messages, waiting for the confirms once at the end. */
    public void publishAll(List<String> bodies) {
        try {
            for (String body : bodies) {
                publisher.basicPublish("", importQueue, new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
                        body.getBytes(StandardCharsets.UTF_8));
            }
            publisher.waitForConfirmsOrDie(120_000);
        } catch (IOException | InterruptedException | TimeoutException e) {
            throw new IllegalStateException("cannot publish to " + importQueue, e);
        }
    }

    /** The results received so far, in arrival order. */
    public List<JsonNode> results() {
        synchronized (results) {
            return List.copyOf(results);
        }
    }

    /** Waits until the results received satisfy the condition; fails the test after {@code max}. */
    public List<JsonNode> awaitResults(Predicate<List<JsonNode>> condition, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (results) {
            while (true) {
                List<JsonNode> now = List.copyOf(results);
                if (condition.test(now)) {
                    return now;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("after " + max.toSeconds() + " s, " + now.size() + " results: " + tail(now));
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(results, left); // woken by the next delivery
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    private static String tail(List<JsonNode> results) {
        return results.subList(Math.max(0, results.size() - 5), results.size()).toString();
    }

    /** The messages ready in the import queue (those delivered and not yet acknowledged are not counted). */
    public long importQueueReady() {
        try {
            return publisher.queueDeclarePassive(importQueue).getMessageCount();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            publisher.queueDelete(importQueue);
            publisher.queueDelete(resultQueue);
        } finally {
            connection.close();
        }
    }
}
