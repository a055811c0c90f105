package dev.roster.store;

/** The two databases Roster runs on. Only the store package looks at it; features see {@link SqlDialect}. */
enum Dialect {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    private final String migrationFolder;

    Dialect(String migrationFolder) {
        this.migrationFolder = migrationFolder;
    }

    /** The migrations both databases share (the same SQL on each), then the dialect's own. */
    String[] migrationLocations() {
        return new String[] {"classpath:db/common", "classpath:db/" + migrationFolder};
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
