package dev.roster.event;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.roster.history.Outbox;
import dev.roster.json.Json;
import dev.roster.store.Store;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --amqp-events-exchange}: publishes every event to a RabbitMQ topic exchange (routing key
 * {@code <db_id>.<type>}, persistent, publisher confirms). Its cursor lives in the store (event_consumers) and moves
 * only after the broker confirmed the batch, under a lease, so several nodes publish each batch once in the steady
 * state and a crash republishes at most the unconfirmed batch.
 */
final class ExchangeRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExchangeRelay.class);
    private static final int BATCH = 500;

    private final Store store;
    private final EventSettings settings;
    private final String consumer;
    private final Counter published;
    private Connection connection;
    private Channel channel;
    private int failures;
    private long retryAt;
    private long lastTouch;
    /** How often an idle exchange marks itself in use, so that it is never taken for one no server publishes to. */
    private static final long TOUCH_MILLIS = 3_600_000;

    ExchangeRelay(Store store, EventSettings settings, MeterRegistry metrics) {
        this.store = store;
        this.settings = settings;
        this.consumer = "amqp:" + settings.exchange();
        this.published = Counter.builder("roster.events.exchange.published")
                .description("events confirmed by the broker on the events exchange").register(metrics);
        ensure();
    }

    /** The exchange's position in the store, created at the end of the events when it has none. */
    private long[] ensure() {
        return store.read(h -> WebhookSql.consumerCursor(h, consumer)).orElseGet(() -> {
            long[] end = store.read(h -> Outbox.end(h, store.commitHorizon(h)));
            store.write(h -> {
                WebhookSql.ensureConsumer(h, consumer, end, System.currentTimeMillis());
                return null;
            });
            return store.read(h -> WebhookSql.consumerCursor(h, consumer)).orElse(end);
        });
    }

    /** Publishes batches while there are events and this node holds the lease. */
    void relay() {
        if (System.currentTimeMillis() < retryAt) {
            return;
        }
        try {
            while (true) {
                // a look first, without writing
                long[] seen = ensure();
                List<Outbox.Event> peek = store.read(h -> Outbox.after(h, store.commitHorizon(h), null, null, null,
                        seen[0], seen[1], BATCH));
                long now = System.currentTimeMillis();
                if (peek.isEmpty()) {
                    if (now - lastTouch > TOUCH_MILLIS) {
                        store.write(h -> {
                            WebhookSql.touchConsumer(h, consumer, now);
                            return null;
                        });
                        lastTouch = now;
                    }
                    return;
                }
                long until = now + settings.lease().toMillis();
                if (!store.write(h -> WebhookSql.leaseConsumer(h, consumer, settings.node(), now, until))) {
                    return;
                }
                long[] cursor = ensure();
                List<Outbox.Event> batch = cursor[0] == seen[0] && cursor[1] == seen[1] ? peek
                        : store.read(h -> Outbox.after(h, store.commitHorizon(h), null, null, null, cursor[0],
                                cursor[1], BATCH));
                if (batch.isEmpty()) {
                    store.write(h -> {
                        WebhookSql.releaseConsumer(h, consumer, settings.node());
                        return null;
                    });
                    return;
                }
                Channel ch = channel();
                for (Outbox.Event e : batch) {
                    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json")
                            .deliveryMode(2).messageId(Long.toString(e.id())).type(e.type()).build();
                    ch.basicPublish(settings.exchange(), e.dbId() + "." + e.type(), props,
                            Json.write(e.json()).getBytes(StandardCharsets.UTF_8));
                }
                ch.waitForConfirmsOrDie(settings.timeout().toMillis());
                Outbox.Event last = batch.get(batch.size() - 1);
                long done = System.currentTimeMillis();
                store.write(h -> WebhookSql.advanceConsumer(h, consumer, settings.node(), last.tx(), last.id(), done,
                        done + settings.lease().toMillis()));
                published.increment(batch.size());
                failures = 0;
            }
        } catch (Exception e) {
            failures++;
            long delay = settings.backoff(failures).toMillis();
            retryAt = System.currentTimeMillis() + delay;
            log.warn("events exchange {}: {} (retry in {} ms)", settings.exchange(), e.toString(), delay);
            closeQuietly();
        }
    }

    private Channel channel() throws Exception {
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        closeQuietly();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(settings.amqpUrl());
        if (factory.getVirtualHost().isEmpty()) {
            factory.setVirtualHost("/"); // amqp://host:5672/ names the default virtual host, as the import queue reads it
        }
        factory.setAutomaticRecoveryEnabled(false);
        connection = factory.newConnection("roster-events-" + settings.node());
        channel = connection.createChannel();
        channel.exchangeDeclare(settings.exchange(), "topic", true);
        channel.confirmSelect();
        return channel;
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close(2000);
            }
        } catch (Exception ignored) {
            // already gone
        }
        connection = null;
        channel = null;
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
