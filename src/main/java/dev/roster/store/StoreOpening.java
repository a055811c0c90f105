package dev.roster.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opening a store: the connection pool for the database the URL names, then the migrations of its dialect (the
 * shared location {@code db/common}, whose scripts are the same SQL on both databases, and the dialect's own).
 */
final class StoreOpening {
    private StoreOpening() {
    }

    record Opened(Dialect dialect, HikariDataSource dataSource) {
    }

    /** Throws {@link StoreUnavailableException} with a one-line reason. */
    static Opened open(StoreSettings settings, MeterRegistry metrics) {
        String url = settings.jdbcUrl();
        Dialect dialect = Dialect.ofUrl(url);
        HikariConfig config = new HikariConfig();
        config.setPoolName("roster-" + dialect.name().toLowerCase());
        config.setInitializationFailTimeout(1);
        config.setConnectionTimeout(TimeUnit.SECONDS.toMillis(5));
        if (dialect == Dialect.SQLITE) {
            createDataDirectory(settings.dataDir());
            config.setDataSource(sqliteDataSource(url, settings.bulkLoad()));
            config.setMaximumPoolSize(settings.poolSize() > 0 ? settings.poolSize() : 8);
        } else {
            config.setJdbcUrl(url);
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
            config.addDataSourceProperty("connectTimeout", "5");
            // JIT compiles a statement whose estimated cost is high, which an index probe per value of a list has
            // on a large table without statistics: 200 ms of compiling for a 2 ms statement. Roster's statements are
            // short; none gains from it.
            config.setConnectionInitSql("set jit = off");
            config.setMaximumPoolSize(settings.poolSize() > 0 ? settings.poolSize() : 16);
        }
        if (metrics != null) {
            config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics));
        }
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("cannot open " + settings.describe() + ": " + StoreErrors.rootMessage(e), e);
        }
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations(dialect.migrationLocations())
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw new StoreUnavailableException("cannot migrate " + settings.describe() + ": " + StoreErrors.rootMessage(e), e);
        }
        return new Opened(dialect, dataSource);
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

    private static SQLiteDataSource sqliteDataSource(String url, boolean bulkLoad) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        // bench/RESULTS.md (sixth session): a command line import of 1,000,000 rows spent 60% of its store time in
        // COMMIT, most of it in the checkpoint SQLite runs when the log passes 1,000 pages (4 MB), which a batch of
        // 1,000 new profiles does each time, and its random key and history index inserts missed the default 2 MB page
        // cache. A bulk load checkpoints every 40 MB of log instead; the server keeps SQLite's 4 MB, as the larger
        // checkpoints stall the commits of single writes (p99 of single imports 24 -> 93 ms). The cache serves both.
        if (bulkLoad) {
            config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, "10000");
        }
        config.setCacheSize(-32 * 1024);
        config.enforceForeignKeys(true);
        // Writers take the lock at BEGIN, so a read-then-write transaction never fails half-way on upgrade.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource ds = SqliteFunctions.dataSource(config);
        ds.setUrl(url);
        return ds;
    }
}
