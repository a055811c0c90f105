package dev.roster.store;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * The two ways into the database: {@link #write} (one transaction, applied whole or not at all, run again when
 * PostgreSQL chose it as a deadlock's victim) and {@link #read}; errors leave translated by {@link StoreErrors}.
 */
final class Transactions {
    private static final int DEADLOCK_RETRIES = 5;
    private static final int CONNECTION_WAIT_SECONDS = 10;

    private final Jdbi jdbi;
    private final boolean serialWriters;
    /** SQLite has one writer at a time; queueing writers here is cheaper and fairer than its busy-retry loop. */
    private final ReentrantLock sqliteWriter = new ReentrantLock(true);
    /**
     * One permit per pooled connection, taken before asking the pool. Hikari hands a returned connection to a waiting
     * borrower by spinning and yielding, which starves virtual threads on few cores; with this gate the pool never
     * has waiters, and requests queue here, fairly, instead.
     */
    private final Semaphore connections;
    /** Called after every committed write transaction (the events dispatcher wakes on it). */
    private final java.util.List<Runnable> commitListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final boolean registersWriters;

    Transactions(Jdbi jdbi, Dialect dialect, int poolSize) {
        this.jdbi = jdbi;
        this.serialWriters = dialect == Dialect.SQLITE;
        this.registersWriters = dialect == Dialect.POSTGRESQL;
        this.connections = new Semaphore(poolSize, true);
    }

    <T> T write(HandleCallback<T, RuntimeException> callback) {
        if (serialWriters) {
            sqliteWriter.lock();
        }
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    T result = gated(() -> jdbi.inTransaction(h -> {
                        registerWriter(h);
                        return callback.withHandle(h);
                    }));
                    commitListeners.forEach(Runnable::run);
                    return result;
                } catch (JdbiException e) {
                    // the request itself is fine, so it runs again on a fresh transaction
                    if (attempt < DEADLOCK_RETRIES && StoreErrors.isDeadlock(e)) {
                        continue;
                    }
                    throw StoreErrors.translate(e);
                }
            }
        } finally {
            if (serialWriters) {
                sqliteWriter.unlock();
            }
        }
    }

    /**
     * On PostgreSQL, registers the transaction as one that may write events before it writes anything, so that
     * {@link Store#commitHorizon} waits for it and for no transaction that cannot write this store's events (see the
     * V30 migration).
     */
    private void registerWriter(org.jdbi.v3.core.Handle h) {
        if (registersWriters) {
            h.createQuery("select roster_register_writer()").mapTo(String.class).list();
        }
    }

    void onCommit(Runnable listener) {
        commitListeners.add(listener);
    }

    /** A read held to {@code timeoutMillis}: see {@link Store#readLimited}. */
    <T> T readLimited(HandleCallback<T, RuntimeException> callback, long timeoutMillis) {
        try {
            return gated(() -> {
                if (registersWriters) {
                    return jdbi.inTransaction(h -> {
                        h.execute("set local statement_timeout = " + timeoutMillis);
                        return callback.withHandle(h);
                    });
                }
                long[] deadline = SqliteFunctions.DEADLINE.get();
                deadline[0] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
                if (deadline[0] == 0) {
                    deadline[0] = 1;
                }
                try {
                    return jdbi.withHandle(callback);
                } finally {
                    deadline[0] = 0;
                }
            });
        } catch (JdbiException e) {
            throw StoreErrors.translateLimited(e, timeoutMillis);
        }
    }

    <T> T read(HandleCallback<T, RuntimeException> callback) {
        try {
            return gated(() -> jdbi.withHandle(callback));
        } catch (JdbiException e) {
            throw StoreErrors.translate(e);
        }
    }

    private <T> T gated(Supplier<T> work) {
        try {
            if (!connections.tryAcquire(CONNECTION_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new StoreUnavailableException("no database connection became free within "
                        + CONNECTION_WAIT_SECONDS + " s", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for a database connection", e);
        }
        try {
            return work.get();
        } finally {
            connections.release();
        }
    }
}
