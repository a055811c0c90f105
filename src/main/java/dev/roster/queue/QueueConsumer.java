package dev.roster.queue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import dev.roster.access.Caller;
import dev.roster.error.ErrorMapping;
import dev.roster.error.RosterException;
import dev.roster.profile.ProfileModel.KeyedResult;
import dev.roster.profile.ProfileService;
import dev.roster.request.BodyLimits;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Consumes {@code database_import} and publishes one result per message to {@code database_import_result}.
 *
 * <p>Each message is applied through {@link ProfileService#writeKeyed}, the group-commit path of profiles/import, so
 * the messages in flight (up to the prefetch) share commits; messages for the same profile (by their matching value)
 * are applied in the order of the queue. A message is acknowledged only after its write committed
 * and the broker confirmed its result. A message that cannot be applied (not JSON, unknown account or database, bad
 * data) gets an error result and is acknowledged, never redelivered; only an unavailable store sends it back to the
 * queue, to be tried again. A message with a {@code message_id} property or a {@code feedback_id} is applied at most
 * once: its receipt is written in the write's transaction, and a redelivery (after a crash between the commit and the
 * acknowledgement) publishes the stored result again instead of applying the message twice.
 *
 * <p>The connection recovers by itself when the broker goes away ({@link QueueConnection}); the messages that were
 * unacknowledged then come back and meet their receipts. Messages run in parallel but one profile's in order
 * ({@link MessageOrder}); results are published with confirms ({@link ResultPublisher}); what a failure answers is
 * {@link ErrorMapping}'s, as for HTTP. {@link #close()} stops taking messages, lets those in flight finish, then
 * disconnects.
 */
public final class QueueConsumer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QueueConsumer.class);
    private static final Duration CONFIRM_WAIT = Duration.ofSeconds(30);
    private static final Duration REQUEUE_PAUSE = Duration.ofSeconds(1);
    /** Receipts are kept this long: a redelivery comes within minutes of the crash, the broker's TTL is 24 h. */
    private static final Duration KEEP_RECEIPTS = Duration.ofDays(7);
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private final QueueSettings settings;
    private final ProfileService profiles;
    private final LongFunction<Caller> callers;
    private final BodyLimits limits;
    private final QueueConnection connection;
    private final MessageOrder order = new MessageOrder();
    private final Counter consumed;
    private final Counter failed;
    private final Counter replayed;
    private final Counter requeued;
    private final Timer handling;

    private volatile Channel channel;
    private volatile String consumerTag;
    private volatile ResultPublisher results;
    private Thread pruner;

    /**
     * @param callers who a message of an account acts as (an unknown account throws a 404 {@link RosterException})
     */
    public QueueConsumer(QueueSettings settings, ProfileService profiles, LongFunction<Caller> callers,
                         BodyLimits limits, MeterRegistry metrics) {
        this.settings = settings;
        this.profiles = profiles;
        this.callers = callers;
        this.limits = limits;
        this.connection = new QueueConnection(settings);
        this.consumed = Counter.builder("roster.queue.consumed")
                .description("import queue messages handled: result published and acknowledged").register(metrics);
        this.failed = Counter.builder("roster.queue.failed")
                .description("import queue messages answered with an error result").register(metrics);
        this.replayed = Counter.builder("roster.queue.replayed")
                .description("redelivered import queue messages that had been applied before").register(metrics);
        this.requeued = Counter.builder("roster.queue.requeued")
                .description("import queue messages sent back to the queue (store unavailable, result not confirmed)")
                .register(metrics);
        this.handling = Timer.builder("roster.queue.message")
                .description("from the delivery of an import queue message to its acknowledgement").register(metrics);
    }

    /** Connects in the background, again every few seconds until the broker answers; returns at once. */
    public QueueConsumer start() {
        connection.start(this::subscribe);
        pruner = Thread.ofVirtual().name("roster-queue-prune").start(this::pruneReceipts);
        return this;
    }

    /** On a fresh connection: the two queues, the result publisher, then the subscription. */
    private void subscribe(Connection c) throws IOException {
        Channel consume = QueueConnection.declare(c, c.createChannel(), settings.importQueue());
        consume = QueueConnection.declare(c, consume, settings.resultQueue());
        // several messages in flight, so that the group commit can put them in one transaction
        consume.basicQos(settings.prefetch());
        this.results = new ResultPublisher(c, settings.resultQueue());
        this.channel = consume;
        this.consumerTag = consume.basicConsume(settings.importQueue(), false, "roster-" + UUID.randomUUID(),
                new Deliveries(consume));
    }

    /** True while the consumer holds an open channel to the broker (what /ready reports for the queue). */
    public boolean connected() {
        Channel ch = channel;
        return ch != null && ch.isOpen();
    }

    private final class Deliveries extends DefaultConsumer {
        Deliveries(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            long start = System.nanoTime();
            Parsed parsed = parse(body);
            // messages for one profile are applied in the order of the queue
            String key = parsed.message() == null ? null : ImportMessage.orderKey(parsed.message());
            if (!order.submit(key, () -> handle(getChannel(), envelope, properties, body, parsed, start))) {
                // stopping: the message stays unacknowledged and goes back to the queue with the connection
                log.debug("not taking message {} while stopping", envelope.getDeliveryTag());
            }
        }

        @Override
        public void handleShutdownSignal(String tag, ShutdownSignalException signal) {
            if (!connection.closing()) {
                log.warn("RabbitMQ connection lost ({}); recovering", signal.getMessage());
            }
        }
    }

    /** A message's JSON object, or why it is not one. */
    private record Parsed(ObjectNode message, RosterException error) {
    }

    private Parsed parse(byte[] body) {
        try {
            return new Parsed(ImportMessage.parse(body, settings.maxMessageBytes(), limits), null);
        } catch (RosterException e) {
            return new Parsed(null, e);
        }
    }

    /** One message: applied, its result published and confirmed, then acknowledged. */
    private void handle(Channel ch, Envelope envelope, AMQP.BasicProperties properties, byte[] body, Parsed parsed,
                        long start) {
        long tag = envelope.getDeliveryTag();
        MDC.put(ErrorMapping.REQUEST_ID, "queue-" + (properties.getMessageId() != null ? properties.getMessageId() : tag));
        try {
            ObjectNode result = apply(properties, body, parsed);
            if (result == null) {
                requeue(ch, tag);
                return;
            }
            try {
                results.publish(properties, result).get(CONFIRM_WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
                // the write (if any) is committed with its receipt: the redelivery publishes the result again
                if (ch.isOpen()) {
                    log.warn("result of message {} not confirmed ({}); it goes back to the queue", tag, e.toString());
                    requeue(ch, tag);
                } else {
                    log.debug("result of message {} not confirmed: the connection is gone, the message comes back", tag);
                }
                return;
            }
            ch.basicAck(tag, false);
            consumed.increment();
            if (result.path("error").asInt() != 0) {
                failed.increment();
            } else if (result.path("replayed").asBoolean()) {
                replayed.increment();
            }
            handling.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // the channel is gone (connection lost or closing): the broker gives the message to the next consumer
            if (ch.isOpen()) {
                log.warn("message {} not acknowledged: {}", tag, e.toString());
            } else {
                log.debug("message {} not acknowledged, the connection is gone: {}", tag, e.toString());
            }
        } finally {
            MDC.remove(ErrorMapping.REQUEST_ID);
        }
    }

    /** The result to publish, or null when the message should go back to the queue (the store is unavailable). */
    private ObjectNode apply(AMQP.BasicProperties properties, byte[] body, Parsed parsed) {
        String feedbackId = null;
        String matching = null;
        try {
            if (parsed.error() != null) {
                throw parsed.error();
            }
            ObjectNode message = parsed.message();
            feedbackId = ImportMessage.feedbackIdOf(message);
            ImportMessage m = ImportMessage.of(message);
            matching = m.matching();
            Caller caller = callers.apply(m.accountId());
            KeyedResult written = profiles.writeKeyed(caller, m.command(), m.mode(),
                    receipt(properties.getMessageId(), feedbackId, body));
            return ImportResult.success(feedbackId, matching, written);
        } catch (RuntimeException e) {
            ErrorMapping.Failure failure = ErrorMapping.of(e);
            return failure.retry() ? null : ImportResult.failure(feedbackId, matching, failure.code().code(), failure.text());
        }
    }

    /**
     * What names a message across redeliveries: its {@code message_id} property, else its {@code feedback_id}, with
     * the body (so a feedback_id a client reuses for other content does not hide that content); null without either.
     */
    static String receipt(String messageId, String feedbackId, byte[] body) {
        String name = messageId != null && !messageId.isEmpty() ? "message_id:" + messageId
                : feedbackId != null && !feedbackId.isEmpty() ? "feedback_id:" + feedbackId : null;
        if (name == null) {
            return null;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            sha.update(body);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    private void requeue(Channel ch, long tag) throws InterruptedException, IOException {
        Thread.sleep(REQUEUE_PAUSE); // not at once: what failed (the store, the broker) needs a moment
        ch.basicNack(tag, false, true);
        requeued.increment();
    }

    private void pruneReceipts() {
        while (!connection.closing()) {
            try {
                int pruned = profiles.pruneReceipts(Instant.now().minus(KEEP_RECEIPTS));
                if (pruned > 0) {
                    log.info("pruned {} receipts of queue messages older than {} days", pruned, KEEP_RECEIPTS.toDays());
                }
            } catch (RuntimeException e) {
                log.warn("cannot prune the receipts of queue messages: {}", e.toString());
            }
            try {
                Thread.sleep(PRUNE_EVERY);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Stops taking messages, waits for those in flight (at most the drain time; the rest go back to the queue
     * unacknowledged), then disconnects.
     */
    @Override
    public void close() {
        connection.stopConnecting();
        interrupt(pruner);
        Channel ch = channel;
        String tag = consumerTag;
        if (ch != null && tag != null && ch.isOpen()) {
            try {
                ch.basicCancel(tag);
            } catch (IOException | RuntimeException e) {
                log.warn("cannot cancel the queue consumer: {}", e.toString());
            }
        }
        try {
            if (!order.stop(settings.drain().toMillis())) {
                log.warn("stopping with queue messages still in flight after {} s; they go back to the queue",
                        settings.drain().toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.close();
    }

    private static void interrupt(Thread t) {
        if (t != null) {
            t.interrupt();
        }
    }
}
