package dev.roster;

import dev.roster.store.StoreSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data DIR | --db-url JDBC_URL}, shared by every command that opens the store. */
final class StoreOptions {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "${env:ROSTER_DATA:-./data}",
            description = "Directory of the embedded SQLite store (roster.db). Env ROSTER_DATA. Default: ${DEFAULT-VALUE}")
    Path data;

    @Option(names = "--db-url", paramLabel = "JDBC_URL", defaultValue = "${env:ROSTER_DB_URL}",
            description = "PostgreSQL JDBC URL, e.g. jdbc:postgresql://host:5432/roster?user=roster. Env ROSTER_DB_URL.")
    String dbUrl;

    @Option(names = "--pool-size", paramLabel = "N", defaultValue = "${env:ROSTER_POOL_SIZE:-0}",
            description = "Connection pool size (0: 8 on SQLite, 16 on PostgreSQL). Env ROSTER_POOL_SIZE.")
    int poolSize;

    StoreSettings settings() {
        return new StoreSettings(dbUrl == null || dbUrl.isBlank() ? null : dbUrl, data, poolSize);
    }
}
