package dev.roster.queue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import dev.roster.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes the result of a message to the result queue, persistent, correlated with the message (its
 * {@code message_id}, else its {@code correlation_id}), and lets the caller wait for the broker's confirm.
 */
final class ResultPublisher {
    private final ConfirmedPublisher publisher;
    private final String resultQueue;

    ResultPublisher(Connection connection, String resultQueue) throws IOException {
        this.publisher = new ConfirmedPublisher(connection);
        this.resultQueue = resultQueue;
    }

    CompletableFuture<Void> publish(AMQP.BasicProperties message, ObjectNode result) {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType("application/json").deliveryMode(2)
                .correlationId(message.getMessageId() != null ? message.getMessageId() : message.getCorrelationId())
                .build();
        return publisher.publish(resultQueue, properties, Json.write(result).getBytes(StandardCharsets.UTF_8));
    }
}
