package dev.roster.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The data source of one Roster instance: a connection pool, migrations applied at open, and the two ways in:
 * {@link #write} (one transaction, applied whole or not at all) and {@link #read}. Database errors leave here
 * translated: a unique index refusal becomes {@link DuplicateKeyException}, an unreachable database
 * {@link StoreUnavailableException}.
 */
public final class Store implements AutoCloseable {
    private static final int DEADLOCK_RETRIES = 5;
    private static final int CONNECTION_WAIT_SECONDS = 10;

    private final Dialect dialect;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    /** SQLite has one writer at a time; queueing writers here is cheaper and fairer than its busy-retry loop. */
    private final ReentrantLock sqliteWriter = new ReentrantLock(true);

    /**
     * One permit per pooled connection, taken before asking the pool. Hikari hands a returned connection to a waiting
     * borrower by spinning and yielding, which starves virtual threads on few cores; with this gate the pool never
     * has waiters, and requests queue here, fairly, instead.
     */
    private final Semaphore connections;

    private final QuerySyntax querySyntax;
    private final long queryTimeoutMillis;

    private Store(Dialect dialect, HikariDataSource dataSource, long queryTimeoutMillis) {
        this.dialect = dialect;
        this.querySyntax = new QuerySyntax(dialect);
        this.queryTimeoutMillis = queryTimeoutMillis;
        this.dataSource = dataSource;
        this.connections = new Semaphore(dataSource.getMaximumPoolSize(), true);
        this.jdbi = Jdbi.create(dataSource);
        // statements share one binding helper whose optional parameters a query may not use
        jdbi.getConfig(org.jdbi.v3.core.statement.SqlStatements.class).setUnusedBindingAllowed(true);
    }

    /** Opens the pool and applies the migrations of the dialect. Throws {@link StoreUnavailableException} with a one-line reason. */
    public static Store open(StoreSettings settings, MeterRegistry metrics) {
        String url = settings.jdbcUrl();
        Dialect dialect = Dialect.ofUrl(url);
        HikariConfig config = new HikariConfig();
        config.setPoolName("roster-" + dialect.name().toLowerCase());
        config.setInitializationFailTimeout(1);
        config.setConnectionTimeout(TimeUnit.SECONDS.toMillis(5));
        if (dialect == Dialect.SQLITE) {
            createDataDirectory(settings.dataDir());
            config.setDataSource(sqliteDataSource(url));
            config.setMaximumPoolSize(settings.poolSize() > 0 ? settings.poolSize() : 8);
        } else {
            config.setJdbcUrl(url);
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
            config.addDataSourceProperty("connectTimeout", "5");
            config.setMaximumPoolSize(settings.poolSize() > 0 ? settings.poolSize() : 16);
        }
        if (metrics != null) {
            config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics));
        }
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("cannot open " + settings.describe() + ": " + rootMessage(e), e);
        }
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations(dialect.migrationLocation())
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw new StoreUnavailableException("cannot migrate " + settings.describe() + ": " + rootMessage(e), e);
        }
        return new Store(dialect, dataSource, settings.queryTimeoutMillis() > 0 ? settings.queryTimeoutMillis()
                : StoreSettings.DEFAULT_QUERY_TIMEOUT_MILLIS);
    }

    private static void createDataDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new StoreUnavailableException("cannot create the data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static SQLiteDataSource sqliteDataSource(String url) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        // Writers take the lock at BEGIN, so a read-then-write transaction never fails half-way on upgrade.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource ds = SqliteFunctions.dataSource(config);
        ds.setUrl(url);
        return ds;
    }

    /** Runs the callback in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T write(HandleCallback<T, RuntimeException> callback) {
        boolean serialize = dialect == Dialect.SQLITE;
        if (serialize) {
            sqliteWriter.lock();
        }
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    return gated(() -> jdbi.inTransaction(callback));
                } catch (JdbiException e) {
                    // PostgreSQL picks a victim when two transactions wait for each other's keys; the request itself
                    // is fine, so it runs again on a fresh transaction
                    if (attempt < DEADLOCK_RETRIES && isDeadlock(e)) {
                        continue;
                    }
                    throw translate(e);
                }
            }
        } finally {
            if (serialize) {
                sqliteWriter.unlock();
            }
        }
    }

    private <T> T gated(java.util.function.Supplier<T> work) {
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

    private static boolean isDeadlock(JdbiException e) {
        SQLException sql = findSqlException(e);
        return sql != null && ("40P01".equals(sql.getSQLState()) || "40001".equals(sql.getSQLState()));
    }

    /** Runs the callback on a connection in auto-commit mode, for reads. */
    public <T> T read(HandleCallback<T, RuntimeException> callback) {
        try {
            return gated(() -> jdbi.withHandle(callback));
        } catch (JdbiException e) {
            throw translate(e);
        }
    }

    /**
     * A read held to the statement time limit ({@code --query-timeout}): past it the statement is stopped (PostgreSQL's
     * statement_timeout; on SQLite a progress handler and the regular expression function check the deadline) and
     * {@link QueryTimeoutException} is thrown. The connection is free again at once for other requests.
     */
    public <T> T readLimited(HandleCallback<T, RuntimeException> callback) {
        try {
            return gated(() -> {
                if (dialect == Dialect.POSTGRESQL) {
                    return jdbi.inTransaction(h -> {
                        h.execute("set local statement_timeout = " + queryTimeoutMillis);
                        return callback.withHandle(h);
                    });
                }
                long[] deadline = SqliteFunctions.DEADLINE.get();
                deadline[0] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(queryTimeoutMillis);
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
            SQLException sql = findSqlException(e);
            if (sql != null && ("57014".equals(sql.getSQLState())
                    || sql instanceof org.sqlite.SQLiteException s && (s.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_INTERRUPT
                    || String.valueOf(s.getMessage()).contains(SqliteFunctions.TIMEOUT_MESSAGE)))) {
                throw new QueryTimeoutException(queryTimeoutMillis, e);
            }
            if (sql != null && dialect == Dialect.POSTGRESQL && "2201B".equals(sql.getSQLState())) {
                throw new InvalidPatternException(sql.getMessage(), e);
            }
            if (sql instanceof org.sqlite.SQLiteException s && String.valueOf(s.getMessage()).contains("invalid regular expression")) {
                throw new InvalidPatternException(s.getMessage(), e);
            }
            throw translate(e);
        }
    }

    /** The limit {@link #readLimited} holds statements to, in milliseconds. */
    public long queryTimeoutMillis() {
        return queryTimeoutMillis;
    }

    /** The SQL fragments of profile queries in this store's dialect. */
    public QuerySyntax querySyntax() {
        return querySyntax;
    }

    /** True when the database answers a trivial query within a second. */
    public boolean ping() {
        try (var connection = dataSource.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** {@code " for update"} where the database locks rows that way (PostgreSQL); SQLite writers are serial already. */
    public String forUpdate() {
        return dialect == Dialect.POSTGRESQL ? " for update" : "";
    }

    /**
     * SQL of the text of the top-level member {@code :name} of a JSON object stored as text in {@code column}; bind
     * the member's name as {@code nameParameter}. Numbers come out as their JSON text on both databases.
     */
    public String jsonMemberText(String column, String nameParameter) {
        return dialect == Dialect.POSTGRESQL
                ? "(" + column + "::jsonb ->> :" + nameParameter + ")"
                : "cast(json_extract(" + column + ", '$.' || :" + nameParameter + ") as text)";
    }

    /**
     * SQL of a table with one text column {@code value}: the elements of the JSON array of strings bound as
     * {@code listParameter}. One statement text whatever the list's length, so it is prepared and planned once.
     */
    public String jsonTextList(String listParameter) {
        return dialect == Dialect.POSTGRESQL
                ? "json_array_elements_text(cast(:" + listParameter + " as json)) as list(value)"
                : "json_each(:" + listParameter + ") as list";
    }

    /**
     * SQL of a transaction number below which every transaction has finished, for reading an append-only table in
     * commit order: on PostgreSQL the xmin of the statement's snapshot (rows carry {@code pg_current_xact_id()}); SQLite
     * has one writer at a time, so its rows carry 0 and nothing is running below the largest number.
     */
    public String finishedTransactionsBelow() {
        return dialect == Dialect.POSTGRESQL ? "(pg_snapshot_xmin(pg_current_snapshot())::text::bigint)" : "9223372036854775807";
    }

    /** SQL of {@code column} (a JSON object as text) without its member {@code :name}. */
    public String jsonWithoutMember(String column, String nameParameter) {
        return dialect == Dialect.POSTGRESQL
                ? "(" + column + "::jsonb - :" + nameParameter + ")::text"
                : "json_remove(" + column + ", '$.' || :" + nameParameter + ")";
    }

    /**
     * How many write transactions are worth running at once: one on SQLite (it has one writer); on PostgreSQL an
     * eighth of the pool (2 by default): fewer, larger batches commit more rows per commit and per statement than
     * many small ones (measured in bench/import-single), and the rest of the pool serves reads.
     */
    public int writeConcurrency() {
        return dialect == Dialect.SQLITE ? 1 : Math.max(1, dataSource.getMaximumPoolSize() / 8);
    }

    /** Short description of the store for the startup line. */
    public String describe() {
        return dialect == Dialect.SQLITE ? "SQLite" : "PostgreSQL";
    }

    private static RuntimeException translate(JdbiException e) {
        SQLException sql = findSqlException(e);
        if (sql == null) {
            return e;
        }
        String state = sql.getSQLState();
        if ("23505".equals(state)) {
            String constraint = null;
            if (sql instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null) {
                constraint = p.getServerErrorMessage().getConstraint();
            }
            return new DuplicateKeyException(constraint, e);
        }
        if ("23503".equals(state)) {
            return new MissingReferenceException(e);
        }
        if (sql instanceof org.sqlite.SQLiteException s) {
            switch (s.getResultCode()) {
                case SQLITE_CONSTRAINT_FOREIGNKEY -> {
                    return new MissingReferenceException(e);
                }
                case SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY -> {
                    return new DuplicateKeyException(sqliteColumns(s.getMessage()), e);
                }
                case SQLITE_BUSY, SQLITE_BUSY_TIMEOUT, SQLITE_LOCKED, SQLITE_FULL, SQLITE_IOERR, SQLITE_CANTOPEN -> {
                    return new StoreUnavailableException("the SQLite store is unavailable: " + s.getResultCode(), e);
                }
                default -> {
                    return e;
                }
            }
        }
        if (sql instanceof java.sql.SQLTransientConnectionException || (state != null && state.startsWith("08"))
                || "57P01".equals(state) || "53300".equals(state)) {
            return new StoreUnavailableException("the database is unavailable: " + sql.getMessage(), e);
        }
        return e;
    }

    private static String sqliteColumns(String message) {
        int at = message == null ? -1 : message.indexOf("constraint failed: ");
        if (at < 0) {
            return null;
        }
        String rest = message.substring(at + "constraint failed: ".length());
        int end = rest.indexOf(')');
        return end < 0 ? rest : rest.substring(0, end);
    }

    private static SQLException findSqlException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }

    @Override
    public void close() {
        dataSource.close();
    }

    /** For tests that inspect stored state directly. */
    public Jdbi jdbi() {
        return jdbi;
    }


}
