package dev.roster.store;

import java.nio.file.Path;

/**
 * Where the data lives: a JDBC URL for PostgreSQL, or else the embedded SQLite file {@code dataDir/roster.db}.
 *
 * @param poolSize the connection pool's size; 0 picks a default for the dialect
 * @param bulkLoad   the store is opened to load many rows ({@code roster import}): SQLite checkpoints its log less often
 */
public record StoreSettings(String dbUrl, Path dataDir, int poolSize, long queryTimeoutMillis, boolean bulkLoad) {
    /** The longest a profiles/list or profiles/count statement may run unless {@code --query-timeout} says otherwise. */
    public static final long DEFAULT_QUERY_TIMEOUT_MILLIS = 10_000;

    public StoreSettings(String dbUrl, Path dataDir, int poolSize, long queryTimeoutMillis) {
        this(dbUrl, dataDir, poolSize, queryTimeoutMillis, false);
    }

    public StoreSettings(String dbUrl, Path dataDir, int poolSize) {
        this(dbUrl, dataDir, poolSize, DEFAULT_QUERY_TIMEOUT_MILLIS);
    }

    /** The same store, opened for a bulk load. */
    public StoreSettings withBulkLoad() {
        return new StoreSettings(dbUrl, dataDir, poolSize, queryTimeoutMillis, true);
    }

    public static StoreSettings sqlite(Path dataDir) {
        return new StoreSettings(null, dataDir, 0);
    }

    public static StoreSettings url(String dbUrl) {
        return new StoreSettings(dbUrl, null, 0);
    }

    /** The JDBC URL the store opens. */
    public String jdbcUrl() {
        if (dbUrl != null && !dbUrl.isBlank()) {
            return dbUrl;
        }
        return "jdbc:sqlite:" + dataDir.resolve("roster.db");
    }

    /** The URL without credentials, for messages and logs. */
    public String describe() {
        return jdbcUrl().replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
