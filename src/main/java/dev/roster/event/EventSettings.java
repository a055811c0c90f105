package dev.roster.event;

import java.time.Duration;
import java.util.UUID;

/**
 * How events go out.
 *
 * @param allowPrivate  webhook URLs may point at loopback and private addresses ({@code --webhook-allow-private})
 * @param retryWindow   how long a webhook's failing deliveries are retried before it is marked failing (24 h)
 * @param firstBackoff  the first retry's delay, doubled each time (1 s)
 * @param maxBackoff    the longest delay between retries (10 min)
 * @param timeout       how long a receiver has to answer (10 s)
 * @param poll          how often a node looks for work that other nodes' writes made (its own wake it at commit)
 * @param lease         how long a node holds a webhook while it sends a batch; another node takes it over after
 * @param amqpUrl       the broker of the events exchange, or null
 * @param exchange      the events exchange's name ({@code --amqp-events-exchange}), or null for none
 * @param node          this server's name in leases and delivery records
 */
public record EventSettings(boolean allowPrivate, Duration retryWindow, Duration firstBackoff, Duration maxBackoff,
                            Duration timeout, Duration poll, Duration lease, String amqpUrl, String exchange,
                            String node) {

    public static EventSettings defaults() {
        return new EventSettings(false, Duration.ofHours(24), Duration.ofSeconds(1), Duration.ofMinutes(10),
                Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(30), null, null, newNode());
    }

    public static String newNode() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    public EventSettings withAllowPrivate(boolean allow) {
        return new EventSettings(allow, retryWindow, firstBackoff, maxBackoff, timeout, poll, lease, amqpUrl, exchange, node);
    }

    public EventSettings withRetry(Duration window, Duration first, Duration max) {
        return new EventSettings(allowPrivate, window, first, max, timeout, poll, lease, amqpUrl, exchange, node);
    }

    public EventSettings withTimeout(Duration receiverTimeout) {
        return new EventSettings(allowPrivate, retryWindow, firstBackoff, maxBackoff, receiverTimeout, poll, lease,
                amqpUrl, exchange, node);
    }

    public EventSettings withPoll(Duration interval) {
        return new EventSettings(allowPrivate, retryWindow, firstBackoff, maxBackoff, timeout, interval, lease, amqpUrl,
                exchange, node);
    }

    public EventSettings withExchange(String url, String name) {
        return new EventSettings(allowPrivate, retryWindow, firstBackoff, maxBackoff, timeout, poll, lease, url, name, node);
    }

    /** This server's name in leases; each server of a store needs its own. */
    public EventSettings withNode(String name) {
        return new EventSettings(allowPrivate, retryWindow, firstBackoff, maxBackoff, timeout, poll, lease, amqpUrl,
                exchange, name);
    }

    /** The delay before retry number {@code attempts} (1 for the first): doubling from the first, capped. */
    public Duration backoff(int attempts) {
        long millis = firstBackoff.toMillis();
        for (int i = 1; i < attempts && millis < maxBackoff.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
