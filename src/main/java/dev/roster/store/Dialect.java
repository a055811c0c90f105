package dev.roster.store;

/** The two databases Roster runs on. Only the store package looks at it. */
public enum Dialect {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    private final String migrationFolder;

    Dialect(String migrationFolder) {
        this.migrationFolder = migrationFolder;
    }

    String migrationLocation() {
        return "classpath:db/" + migrationFolder;
    }

    static Dialect ofUrl(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        throw new IllegalArgumentException("unsupported database URL (expected jdbc:postgresql: or jdbc:sqlite:): " + jdbcUrl);
    }
}
