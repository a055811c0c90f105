package dev.roster.store;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;

/**
 * The data source of one Roster instance: opened by {@link StoreOpening} (pool, migrations), entered through
 * {@link #write} (one transaction, applied whole or not at all) and {@link #read} ({@link Transactions}), with database
 * errors translated ({@link StoreErrors}): a unique index refusal becomes {@link DuplicateKeyException}, an unreachable
 * database {@link StoreUnavailableException}. The features' SQL classes find the {@link SqlDialect} on their handle.
 */
public final class Store implements AutoCloseable {
    private final Dialect dialect;
    private final HikariDataSource dataSource;
    private final Transactions transactions;

    private final QuerySyntax querySyntax;
    private final long queryTimeoutMillis;

    private Store(Dialect dialect, HikariDataSource dataSource, long queryTimeoutMillis) {
        this.dialect = dialect;
        this.querySyntax = new QuerySyntax(dialect);
        this.queryTimeoutMillis = queryTimeoutMillis;
        this.dataSource = dataSource;
        Jdbi jdbi = Jdbi.create(dataSource);
        SqlStatements statements = jdbi.getConfig(SqlStatements.class);
        // statements share one binding helper whose optional parameters a query may not use
        statements.setUnusedBindingAllowed(true);
        statements.define(SqlDialect.ATTRIBUTE, SqlDialect.of(dialect));
        this.transactions = new Transactions(jdbi, dialect, dataSource.getMaximumPoolSize());
    }

    /** Opens the pool and applies the migrations of the dialect. Throws {@link StoreUnavailableException} with a one-line reason. */
    public static Store open(StoreSettings settings, MeterRegistry metrics) {
        StoreOpening.Opened opened = StoreOpening.open(settings, metrics);
        return new Store(opened.dialect(), opened.dataSource(), settings.queryTimeoutMillis() > 0
                ? settings.queryTimeoutMillis() : StoreSettings.DEFAULT_QUERY_TIMEOUT_MILLIS);
    }

    /**
     * Opens a store that must exist already: every command but {@code serve} and {@code token create} uses this, so
     * that a mistyped {@code --data} or a command run from another directory says where it looked instead of creating
     * an empty store there.
     */
    public static Store openExisting(StoreSettings settings, MeterRegistry metrics) {
        String url = settings.jdbcUrl();
        if (Dialect.ofUrl(url) == Dialect.SQLITE) {
            Path file = settings.dataDir().resolve("roster.db").toAbsolutePath().normalize();
            if (!Files.isRegularFile(file)) {
                throw new StoreUnavailableException("no Roster store at " + file + " (set --data DIR or --db-url URL; "
                        + "only 'roster serve' and 'roster token create' create a store)", null);
            }
        } else {
            boolean migrated;
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
                 var rs = c.createStatement().executeQuery(
                         "select count(*) from information_schema.tables where table_name = 'flyway_schema_history' "
                                 + "and table_schema = current_schema()")) {
                migrated = rs.next() && rs.getLong(1) > 0;
            } catch (SQLException e) {
                throw new StoreUnavailableException("cannot open " + settings.describe() + ": " + StoreErrors.rootMessage(e), e);
            }
            if (!migrated) {
                throw new StoreUnavailableException("no Roster store in " + settings.describe() + " (the database "
                        + "has no Roster tables; only 'roster serve' and 'roster token create' create a store)", null);
            }
        }
        return open(settings, metrics);
    }

    /**
     * Writes a consistent copy of the SQLite store to {@code target} while it keeps serving ({@code VACUUM INTO} reads
     * one snapshot; writers carry on in the WAL). PostgreSQL has its own tools: pg_dump.
     */
    public void backupTo(Path target) {
        if (dialect != Dialect.SQLITE) {
            throw new BackupNotSupportedException("a PostgreSQL store is backed up with pg_dump (or pg_basebackup), "
                    + "e.g. pg_dump -Fc -f roster.dump 'postgresql://host:5432/roster'");
        }
        read(h -> h.execute("vacuum into ?", target.toAbsolutePath().toString()));
    }

    /** Runs the callback in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T write(HandleCallback<T, RuntimeException> callback) {
        return transactions.write(callback);
    }

    /** Runs the callback on a connection in auto-commit mode, for reads. */
    public <T> T read(HandleCallback<T, RuntimeException> callback) {
        return transactions.read(callback);
    }

    /**
     * A read held to the statement time limit ({@code --query-timeout}): past it the statement is stopped (PostgreSQL's
     * statement_timeout; on SQLite a progress handler and the regular expression function check the deadline) and
     * {@link QueryTimeoutException} is thrown. The connection is free again at once for other requests.
     */
    public <T> T readLimited(HandleCallback<T, RuntimeException> callback) {
        return transactions.readLimited(callback, queryTimeoutMillis);
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

    /** Runs after every committed write transaction; must be quick (it runs on the writer's thread). */
    public void onCommit(Runnable listener) {
        transactions.onCommit(listener);
    }

    /**
     * A transaction number below which every transaction that could write events has finished, for reading an
     * append-only table in commit order (rows carry {@code pg_current_xact_id()} on PostgreSQL). On PostgreSQL the
     * oldest registered Roster writer still running, else the next transaction number (see the V30 migration):
     * transactions of other databases of the cluster, and of this one that are not Roster writers, never hold it back.
     * SQLite has one writer at a time, so its rows carry 0 and nothing is running below the largest number. Run it in
     * its own statement before the query that uses it, outside a transaction: that query's snapshot must be taken
     * after it, so that it sees every transaction below the number committed.
     */
    public long commitHorizon(org.jdbi.v3.core.Handle h) {
        if (dialect != Dialect.POSTGRESQL) {
            return Long.MAX_VALUE;
        }
        return h.createQuery("select roster_history_horizon()").mapTo(Long.class).one();
    }

    /** True for PostgreSQL, where several servers may share the store. */
    public boolean shared() {
        return dialect == Dialect.POSTGRESQL;
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
        return SqlDialect.of(dialect).toString();
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
