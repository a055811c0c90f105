package dev.roster.queue;

import java.net.URI;
import java.time.Duration;

/**
 * The RabbitMQ import queue: the broker's URL ({@code amqp://user:password@host:5672/vhost}), the queue the messages
 * come from and the one the results go to (both declared durable when absent), how many messages may be in flight at
 * once, how large one may be, and how long a stopping consumer waits for those in flight.
 */
public record QueueSettings(String url, String importQueue, String resultQueue, int prefetch, long maxMessageBytes,
                            Duration drain) {
    public static final String DEFAULT_IMPORT_QUEUE = "database_import";
    public static final String DEFAULT_RESULT_QUEUE = "database_import_result";
    public static final int DEFAULT_PREFETCH = 256;

    public QueueSettings {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("the AMQP URL is empty");
        }
        String scheme = URI.create(url).getScheme();
        if (!"amqp".equals(scheme) && !"amqps".equals(scheme)) {
            throw new IllegalArgumentException("the AMQP URL must start with amqp:// or amqps://, not " + url.replaceAll(":[^:@/]*@", ":***@"));
        }
        if (importQueue == null || importQueue.isBlank() || resultQueue == null || resultQueue.isBlank()) {
            throw new IllegalArgumentException("the queue names must not be empty");
        }
        if (importQueue.equals(resultQueue)) {
            throw new IllegalArgumentException("the import and result queues must differ");
        }
        if (prefetch < 1 || prefetch > 65_535) {
            throw new IllegalArgumentException("the prefetch must be from 1 to 65535, not " + prefetch);
        }
    }

    /** The default queue names and prefetch, messages up to 10 MB, 10 s of drain. */
    public static QueueSettings of(String url) {
        return new QueueSettings(url, DEFAULT_IMPORT_QUEUE, DEFAULT_RESULT_QUEUE, DEFAULT_PREFETCH, 10L << 20,
                Duration.ofSeconds(10));
    }

    public QueueSettings withQueues(String importQueue, String resultQueue) {
        return new QueueSettings(url, importQueue, resultQueue, prefetch, maxMessageBytes, drain);
    }

    /** The URL without its password, for logs. */
    public String safeUrl() {
        return url.replaceAll("//([^:@/]*):[^@/]*@", "//$1:***@");
    }
}
