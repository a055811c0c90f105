package dev.roster.profile;

import dev.roster.error.RosterException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for single profile writes: concurrent requests queue here, and a few writer threads each take what
 * has queued (never waiting for more) and write it as one batch in one transaction. Under load one commit then
 * carries many requests; alone, a request is a batch of one and waits for nobody.
 */
final class WriteCombiner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WriteCombiner.class);

    private record Pending(BatchWriter.Item item, CompletableFuture<BatchWriter.Outcome> answer) {
    }

    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Function<List<BatchWriter.Item>, List<BatchWriter.Outcome>> writeBatch;
    private final int maxBatch;
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean open = true;

    /**
     * @param writeBatch writes the items in one transaction and returns one outcome per item, in order
     * @param writers    how many batches may be in flight at once
     */
    WriteCombiner(Function<List<BatchWriter.Item>, List<BatchWriter.Outcome>> writeBatch, int writers, int maxBatch) {
        this.writeBatch = writeBatch;
        this.maxBatch = maxBatch;
        for (int i = 0; i < writers; i++) {
            // platform threads: the OS schedules a writer between its round trips to the database even while every
            // carrier of the virtual threads is busy with requests, which keeps a batch's transaction short
            this.writers.add(Thread.ofPlatform().daemon(true).name("roster-writer-" + i).start(this::run));
        }
    }

    /** Queues the item and waits for its outcome. */
    BatchWriter.Outcome submit(BatchWriter.Item item) {
        if (!open) {
            throw new IllegalStateException("the writer is closed");
        }
        CompletableFuture<BatchWriter.Outcome> answer = new CompletableFuture<>();
        queue.add(new Pending(item, answer));
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the write", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (open || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        List<BatchWriter.Outcome> outcomes;
        try {
            outcomes = writeBatch.apply(batch.stream().map(Pending::item).toList());
        } catch (RosterException e) {
            // a failure of the whole batch (storage unavailable, ...): each item gets it
            batch.forEach(p -> p.answer().completeExceptionally(e));
            return;
        } catch (RuntimeException e) {
            if (batch.size() > 1) {
                log.warn("a batch of {} writes failed ({}); writing them one by one", batch.size(), e.toString());
                batch.forEach(p -> p.answer().complete(new BatchWriter.Outcome.Retry()));
            } else {
                batch.get(0).answer().completeExceptionally(e);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).answer().complete(outcomes.get(i));
        }
    }

    @Override
    public void close() {
        open = false;
        for (Thread writer : writers) {
            try {
                writer.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
