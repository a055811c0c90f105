package dev.roster.queue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs the messages' work on virtual threads, many at once, except that the messages of one order key (one profile,
 * see {@link ImportMessage#orderKey}) run one after the other in the order they were taken: each waits for the one
 * before it.
 */
final class MessageOrder {
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("roster-queue-", 0).factory());
    /** The last work taken for each order key, until it is done. */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> lastOfKey = new ConcurrentHashMap<>();

    /**
     * Runs the work after the work taken before it with the same key (none when the key is null). False when stopping:
     * the work was not taken.
     */
    boolean submit(String key, Runnable work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> before = key == null ? null : lastOfKey.put(key, done);
        try {
            workers.execute(() -> {
                try {
                    if (before != null) {
                        before.join();
                    }
                    work.run();
                } finally {
                    done.complete(null);
                    if (key != null) {
                        lastOfKey.remove(key, done);
                    }
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            done.complete(null);
            return false;
        }
    }

    /** Takes no more work; true when the work taken finished within the time. */
    boolean stop(long millis) throws InterruptedException {
        workers.shutdown();
        return workers.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }

    /** Takes no more work, without waiting. */
    void stopNow() {
        workers.shutdown();
    }
}
