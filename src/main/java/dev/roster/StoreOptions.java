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

    @Option(names = "--query-timeout", paramLabel = "SECONDS", defaultValue = "${env:ROSTER_QUERY_TIMEOUT:-10}",
            description = "Longest a profiles/list or profiles/count statement may run; past it the answer is error 400 "
                    + "saying so. Env ROSTER_QUERY_TIMEOUT. Default: ${DEFAULT-VALUE}")
    double queryTimeout;

    StoreSettings settings() {
        if (!(queryTimeout > 0) || queryTimeout > 86_400) {
            throw new IllegalArgumentException("--query-timeout must be a number of seconds above 0 (at most 86400)");
        }
        return new StoreSettings(dbUrl == null || dbUrl.isBlank() ? null : dbUrl, data, poolSize,
                Math.max(1, Math.round(queryTimeout * 1000)));
    }
}
