package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.json.Json;
import dev.roster.testing.TestStores;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The batch write path's lookup of who holds each email key probes the primary key even when the statistics are
 * stale: analysed while one Roster database held every key, then a bulk load into another. PostgreSQL then planned the
 * probe of the other database's keys on the email domain index, whose leading db_id it believed matched nothing, and
 * read every email key of that database for each probe (bench/reimport's import_batch: 5 to 9 s a request of 1,000).
 */
class KeyProbePlanTest extends ProfileApiSupport {
    private static final int ROWS = 20_000;

    private static void fill(long db, String prefix) {
        server.store().write(h -> {
            String numbers = "with recursive g(n) as (select 1 union all select n + 1 from g where n < " + ROWS + ") ";
            h.createUpdate(numbers + "insert into profiles (id, db_id, data, created_at, updated_at) "
                    + "select :prefix || n, :db, '{}', 0, 0 from g").bind("db", db).bind("prefix", prefix).execute();
            h.createUpdate(numbers + "insert into profile_keys (db_id, kind, value, profile_id) "
                    + "select :db, 'email', :prefix || n || '@d' || (n % 50) || '.example', :prefix || n from g")
                    .bind("db", db).bind("prefix", prefix).execute();
            return null;
        });
    }

    @Test
    void theOwnersOfEmailKeysAreFoundThroughThePrimaryKeyAfterABulkLoadIntoAnotherDatabase() {
        long analysed = database();
        fill(analysed, "a");
        if (TestStores.isPostgres()) {
            server.store().write(h -> h.execute("analyze profile_keys"));
        }
        long loaded = database();
        fill(loaded, "b");
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= 400; i++) {
            values.add("b" + (i * 37 % ROWS + 1) + "@d" + ((i * 37 % ROWS + 1) % 50) + ".example");
        }
        server.store().read(h -> {
            String explain = TestStores.isPostgres() ? "explain " : "explain query plan ";
            String plan = String.join("\n", h.createQuery(explain + BatchSql.ownersSql(h)).bind("db", loaded)
                    .bind("kind", "email").bind("values", Json.write(values))
                    .map((rs, ctx) -> rs.getString(TestStores.isPostgres() ? 1 : 4)).list());
            assertThat(plan).as(plan).doesNotContain("profile_keys_email_domain");
            if (TestStores.isPostgres()) {
                assertThat(plan).as(plan).contains("Index Scan using profile_keys_pkey on profile_keys k")
                        .contains("Index Cond: ((db_id = '" + loaded + "'::bigint) AND (kind = 'email'::text) AND "
                                + "(value = list.value))");
            } else {
                assertThat(plan).as(plan).containsPattern("SEARCH k USING (COVERING )?INDEX sqlite_autoindex_profile_keys_1 "
                        + "\\(db_id=\\? AND kind=\\? AND value=\\?\\)");
            }
            // and the answer: every value's owner
            assertThat(BatchSql.owners(h, loaded, "email", values)).hasSize(values.size());
            return null;
        });
    }
}
