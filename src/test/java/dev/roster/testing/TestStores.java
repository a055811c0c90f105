package dev.roster.testing;

import dev.roster.store.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The store a test run uses, chosen by the system property {@code roster.test.store} (sqlite or postgresql; the pom
 * runs the API tests once with each). A PostgreSQL store is a fresh database, dropped on close; it is never skipped:
 * when PostgreSQL does not answer, the test fails.
 */
public final class TestStores {
    private TestStores() {
    }

    public static String current() {
        return System.getProperty("roster.test.store", "sqlite");
    }

    public static boolean isPostgres() {
        return current().equals("postgresql");
    }

    /** A new, empty store and what removes it. */
    public record FreshStore(StoreSettings settings, AutoCloseable cleanup) {
    }

    public static FreshStore fresh() {
        return isPostgres() ? freshPostgres() : freshSqlite();
    }

    /** A new, empty SQLite store, whatever the run's store. */
    public static FreshStore freshSqlite() {
        try {
            Path dir = Files.createTempDirectory("roster-test-");
            return new FreshStore(StoreSettings.sqlite(dir), () -> deleteTree(dir));
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a SQLite test store: " + e.getMessage(), e);
        }
    }

    /** A new, empty PostgreSQL database, whatever the run's store. */
    public static FreshStore freshPostgres() {
        try {
            return createPostgres();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a PostgreSQL test store: " + e.getMessage(), e);
        }
    }

    private static FreshStore createPostgres() throws SQLException {
        String admin = System.getProperty("roster.test.pgurl", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
        String name = "roster_test_" + HexFormat.of().formatHex(randomBytes());
        try (Connection c = DriverManager.getConnection(admin)) {
            c.createStatement().execute("create database " + name);
        }
        String url = admin.replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
        return new FreshStore(StoreSettings.url(url), () -> {
            try (Connection c = DriverManager.getConnection(admin)) {
                c.createStatement().execute("drop database if exists " + name + " with (force)");
            }
        });
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
