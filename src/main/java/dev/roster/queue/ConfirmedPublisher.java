package dev.roster.queue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Publishes on one channel in confirm mode and lets each publisher wait for the broker's confirm of its own message
 * (asynchronous confirms: many messages are in flight on the channel at once). A confirm that cannot come any more
 * (the channel or connection closed) fails the waiting publishers.
 */
final class ConfirmedPublisher {
    private final Channel channel;
    private final ReentrantLock publishing = new ReentrantLock();
    private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> pending = new ConcurrentSkipListMap<>();

    ConfirmedPublisher(Connection connection) throws IOException {
        this.channel = connection.createChannel();
        channel.confirmSelect();
        channel.addConfirmListener(new ConfirmListener() {
            @Override
            public void handleAck(long seq, boolean multiple) {
                settle(seq, multiple, null);
            }

            @Override
            public void handleNack(long seq, boolean multiple) {
                settle(seq, multiple, new IOException("the broker refused the message (nack)"));
            }
        });
        // after a connection loss the sequence numbers start again: what was waiting will never be confirmed
        channel.addShutdownListener(cause -> failAll(new IOException("channel closed before the confirm: "
                + cause.getMessage())));
    }

    /** Publishes to the queue through the default exchange; the future completes when the broker confirmed it. */
    CompletableFuture<Void> publish(String queue, AMQP.BasicProperties properties, byte[] body) {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        publishing.lock();
        try {
            // the sequence number and the publish must not interleave with another publisher's
            long seq = channel.getNextPublishSeqNo();
            pending.put(seq, confirmed);
            try {
                channel.basicPublish("", queue, properties, body);
            } catch (IOException | RuntimeException e) {
                pending.remove(seq);
                confirmed.completeExceptionally(e);
            }
        } finally {
            publishing.unlock();
        }
        return confirmed;
    }

    private void settle(long seq, boolean multiple, Exception failure) {
        Map<Long, CompletableFuture<Void>> settled = multiple ? pending.headMap(seq, true) : pending.containsKey(seq)
                ? Map.of(seq, pending.get(seq)) : Map.of();
        for (Long s : java.util.List.copyOf(settled.keySet())) {
            CompletableFuture<Void> f = pending.remove(s);
            if (f != null) {
                if (failure == null) {
                    f.complete(null);
                } else {
                    f.completeExceptionally(failure);
                }
            }
        }
    }

    private void failAll(Exception failure) {
        for (Long s : java.util.List.copyOf(pending.keySet())) {
            CompletableFuture<Void> f = pending.remove(s);
            if (f != null) {
                f.completeExceptionally(failure);
            }
        }
    }
}
