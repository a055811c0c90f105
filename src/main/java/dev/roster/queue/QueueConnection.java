package dev.roster.queue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AMQP connection of the import queue: opened in the background, again every few seconds until the broker answers,
 * then kept by the client's automatic recovery (channels, queues and the consumer come back by themselves after the
 * broker went away). The queues are declared durable when absent; one that exists with arguments of its own is used
 * as it is.
 */
final class QueueConnection {
    private static final Logger log = LoggerFactory.getLogger(QueueConnection.class);
    private static final Duration RECONNECT_EVERY = Duration.ofSeconds(5);

    /** What to do on a fresh connection: open channels and subscribe; a failure closes it and the loop tries again. */
    @FunctionalInterface
    interface Setup {
        void on(Connection connection) throws IOException;
    }

    private final QueueSettings settings;
    private volatile boolean closing;
    private volatile Connection connection;
    private Thread connector;

    QueueConnection(QueueSettings settings) {
        this.settings = settings;
    }

    /** Connects in the background and runs the setup once connected; returns at once. */
    void start(Setup setup) {
        connector = Thread.ofVirtual().name("roster-queue-connect").start(() -> connectUntilDone(setup));
    }

    private void connectUntilDone(Setup setup) {
        boolean warned = false;
        while (!closing) {
            try {
                Connection c = open();
                try {
                    setup.on(c);
                } catch (IOException | RuntimeException e) {
                    c.abort();
                    throw e;
                }
                this.connection = c;
                log.info("consuming queue '{}' at {}, results to '{}'", settings.importQueue(), settings.safeUrl(),
                        settings.resultQueue());
                return;
            } catch (IOException | TimeoutException | RuntimeException e) {
                if (!warned) {
                    log.warn("cannot connect to RabbitMQ at {}: {}; retrying every {} s", settings.safeUrl(), e.toString(),
                            RECONNECT_EVERY.toSeconds());
                    warned = true;
                }
            }
            try {
                Thread.sleep(RECONNECT_EVERY);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Connection open() throws IOException, TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(settings.url());
        } catch (java.net.URISyntaxException | NoSuchAlgorithmException | java.security.KeyManagementException e) {
            throw new IllegalArgumentException("invalid AMQP URL " + settings.safeUrl() + ": " + e.getMessage(), e);
        }
        if (factory.getVirtualHost().isEmpty()) {
            // amqp://host:5672/ names the vhost "" by the URI spec, which RabbitMQ never has: it means the default one
            factory.setVirtualHost("/");
        }
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(2_000);
        factory.setRequestedHeartbeat(30);
        factory.setConnectionTimeout(5_000);
        return factory.newConnection("roster");
    }

    /**
     * Declares the queue durable when it is absent. One that exists with arguments of its own (a message TTL, as
     * Altcraft sets, a length limit) refuses the declaration and closes the channel: it is then used as it is, on a
     * new channel. Returns the channel to go on with.
     */
    static Channel declare(Connection c, Channel channel, String queue) throws IOException {
        try {
            channel.queueDeclare(queue, true, false, false, null);
            return channel;
        } catch (IOException e) {
            Channel fresh = c.createChannel();
            fresh.queueDeclarePassive(queue); // absent after all: this throws, and the connection is tried again
            log.info("queue '{}' exists with other arguments; using it as it is", queue);
            return fresh;
        }
    }

    boolean closing() {
        return closing;
    }

    /** Stops trying to connect; the connection, if any, stays open until {@link #close()}. */
    void stopConnecting() {
        closing = true;
        if (connector != null) {
            connector.interrupt();
        }
    }

    /** Closes the connection (waiting a few seconds for the broker); nothing unacknowledged is acknowledged. */
    void close() {
        stopConnecting();
        Connection c = connection;
        if (c != null) {
            try {
                c.close(5_000);
            } catch (IOException | RuntimeException e) {
                log.warn("cannot close the RabbitMQ connection: {}", e.toString());
            }
        }
    }
}
