package dev.roster.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The commit-order cursor waits only for transactions that can still write this store's events: a transaction held
 * open in another database of the same cluster, or in this database without touching a profile (a long report, a
 * pg_dump), must not hold back history_get or history_get_all.
 */
class CommitHorizonApiTest extends HistoryApiSupport {

    @Test
    void transactionsThatCannotWriteEventsDoNotHoldBackHistory() throws Exception {
        long db = database();
        try (Connection elsewhere = otherDatabase(); Connection idle = sameDatabase()) {
            holdOpen(elsewhere);
            holdOpen(idle);
            String email = unique("horizon") + "@example.com";
            String id = importProfile(master(), db, email, "\"_fname\":\"Olga\"");

            String today = LocalDate.now(ZoneOffset.UTC).toString();
            JsonNode all = master().ok("subscribers/history_get_all", "{\"list_id\":" + db + ",\"date_from\":\""
                    + today + "\",\"date_to\":\"" + today + "\"}").path("data");
            assertThat(all).as("history_get_all while other transactions are open").hasSize(1);
            assertThat(all.get(0).path("profile_id").asText()).isEqualTo(id);
            assertThat(history(db, xxh(db, id))).as("history_get while other transactions are open").hasSize(1);
            elsewhere.rollback();
            idle.rollback();
        }
    }

    /** A transaction that has a transaction number (on PostgreSQL) or a write lock (SQLite), and keeps it. */
    private static void holdOpen(Connection c) throws Exception {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            if (TestStores.isPostgres()) {
                try (ResultSet r = s.executeQuery("select pg_current_xact_id()")) {
                    r.next();
                }
            } else {
                s.executeQuery("select count(*) from sqlite_master").close();
            }
        }
    }

    private static Connection otherDatabase() throws Exception {
        if (TestStores.isPostgres()) {
            return DriverManager.getConnection(System.getProperty("roster.test.pgurl",
                    "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres"));
        }
        Path dir = Files.createTempDirectory("roster-other-");
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("other.db"));
        try (Statement s = c.createStatement()) {
            s.execute("create table t (x integer)");
        }
        return c;
    }

    /** On SQLite a second open transaction on the same file would be a second writer: another file stands in. */
    private static Connection sameDatabase() throws Exception {
        return TestStores.isPostgres() ? server.openHandle().getConnection() : otherDatabase();
    }
}
