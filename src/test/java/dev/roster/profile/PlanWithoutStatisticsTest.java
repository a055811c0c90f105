package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.json.Json;
import dev.roster.testing.TestStores;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The write path's reads of many profiles' subscriptions, keys and lookups probe the index once per profile even on
 * tables that have no planner statistics (right after a bulk load, before autovacuum, or where it is off): with
 * {@code profile_id in (...)} PostgreSQL estimated a few hundred ids as the whole table and scanned it.
 */
class PlanWithoutStatisticsTest extends ProfileApiSupport {
    private static final int ROWS = 20_000;
    private static long db;

    @BeforeAll
    static void fill() {
        db = database();
        long resource = resource("email");
        server.store().write(h -> {
            if (TestStores.isPostgres()) {
                for (String table : List.of("profiles", "profile_keys", "profile_lookups", "subscriptions")) {
                    h.execute("alter table " + table + " set (autovacuum_enabled = false)");
                }
            }
            String numbers = "with recursive g(n) as (select 1 union all select n + 1 from g where n < " + ROWS + ") ";
            h.createUpdate(numbers + "insert into profiles (id, db_id, data, created_at, updated_at) "
                    + "select 'p' || n, :db, '{}', 0, 0 from g").bind("db", db).execute();
            h.createUpdate(numbers + "insert into profile_keys (db_id, kind, value, profile_id) "
                    + "select :db, 'email', 'e' || n || '@example.com', 'p' || n from g").bind("db", db).execute();
            h.createUpdate(numbers + "insert into profile_lookups (db_id, kind, value, profile_id) "
                    + "select :db, 'phone', '+7900' || n, 'p' || n from g").bind("db", db).execute();
            h.createUpdate(numbers + "insert into subscriptions (profile_id, db_id, resource_id, channel, address, hash_id, "
                    + "contact, status, priority, custom_fields, cats, is_delete, created_at, updated_at) "
                    + "select 'p' || n, :db, :resource, 'email', 'e' || n || '@example.com', 'h' || n, '{}', 0, null, "
                    + "'{}', '[]', false, 0, 0 from g").bind("db", db).bind("resource", resource).execute();
            return null;
        });
    }

    private static String ids() {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= BatchSql.CHUNK; i++) {
            ids.add("p" + (i * 37 % ROWS + 1));
        }
        return Json.write(ids);
    }

    /** The plan of the statement, one line per node (PostgreSQL's EXPLAIN, SQLite's EXPLAIN QUERY PLAN). */
    private static String plan(Handle h, String sql) {
        String explain = TestStores.isPostgres() ? "explain " : "explain query plan ";
        List<String> lines = h.createQuery(explain + sql).bind("ids", ids())
                .map((rs, ctx) -> rs.getString(TestStores.isPostgres() ? 1 : 4)).list();
        return String.join("\n", lines);
    }

    private static void assertProbesTheIndex(String plan, String table, String alias) {
        if (TestStores.isPostgres()) {
            assertThat(plan).as(plan).contains("Nested Loop").containsPattern("Index (Only )?Scan [^\n]*on " + table)
                    .doesNotContain("Seq Scan on " + table);
        } else {
            assertThat(plan).as(plan).contains("SEARCH " + alias + " USING").doesNotContain("SCAN " + alias + "\n")
                    .doesNotEndWith("SCAN " + alias);
        }
    }

    @Test
    void theTablesHaveNoStatistics() {
        server.store().read(h -> {
            if (TestStores.isPostgres()) {
                assertThat(h.createQuery("select count(*) from pg_stats where tablename in ('subscriptions', "
                        + "'profile_keys', 'profile_lookups')").mapTo(Long.class).one()).isZero();
                // the form this replaces scans the whole table here
                assertThat(plan(h, "select id from subscriptions where profile_id in "
                        + "(select value from json_array_elements_text(cast(:ids as json)) as list(value))"))
                        .contains("Seq Scan on subscriptions");
            } else {
                assertThat(h.createQuery("select count(*) from sqlite_master where name = 'sqlite_stat1'")
                        .mapTo(Long.class).one()).isZero();
            }
            return null;
        });
    }

    @Test
    void subscriptionsOfManyProfilesProbeTheIndexPerProfile() {
        server.store().read(h -> {
            assertProbesTheIndex(plan(h, BatchSql.subscriptionsOfSql(h)), "subscriptions", "s");
            var found = BatchSql.subscriptionsOf(h, List.of("p1", "p2", "p" + ROWS, "nobody"));
            assertThat(found.get("p2")).hasSize(1);
            assertThat(found.get("p2").get(0).address()).isEqualTo("e2@example.com");
            assertThat(found.get("p" + ROWS)).hasSize(1);
            assertThat(found.get("nobody")).isEmpty();
            return null;
        });
    }

    @Test
    void keysAndLookupsOfManyProfilesProbeTheIndexPerProfile() {
        server.store().read(h -> {
            assertProbesTheIndex(plan(h, BatchSql.keysOfSql(h, "profile_keys")), "profile_keys", "k");
            assertProbesTheIndex(plan(h, BatchSql.keysOfSql(h, "profile_lookups")), "profile_lookups", "k");
            assertThat(BatchSql.keysOf(h, "profile_keys", List.of("p5", "nobody")))
                    .containsOnlyKeys("p5").extractingByKey("p5").asList()
                    .containsExactly(new ProfileSql.Key("email", "e5@example.com"));
            assertThat(BatchSql.keysOf(h, "profile_lookups", List.of("p7")).get("p7"))
                    .containsExactly(new ProfileSql.Key("phone", "+79007"));
            return null;
        });
    }

    /**
     * Deleting a profile (profiles/delete, merge, a batch taking back a new profile whose key was taken) removes its
     * keys, lookups and subscriptions through the foreign keys' cascades. On PostgreSQL the cascade looks them up by
     * (db_id, profile_id); with no statistics it combined the profile's index with the primary key's db_id prefix, a
     * scan of every key of the database (52 ms a profile at 126,000 keys), until an index led by both columns existed.
     */
    @Test
    void deletingAProfileFindsItsRowsThroughTheProfileIndex() {
        server.store().read(h -> {
            for (String table : List.of("profile_keys", "profile_lookups", "subscriptions")) {
                String cascade = TestStores.isPostgres()
                        ? "delete from " + table + " where " + db + " = db_id and 'p5' = profile_id"
                        : "delete from " + table + " where profile_id = 'p5'";
                String explain = TestStores.isPostgres() ? "explain " : "explain query plan ";
                String plan = String.join("\n", h.createQuery(explain + cascade)
                        .map((rs, ctx) -> rs.getString(TestStores.isPostgres() ? 1 : 4)).list());
                if (TestStores.isPostgres()) {
                    assertThat(plan).as(plan).doesNotContain("BitmapAnd").doesNotContain("Seq Scan")
                            .containsPattern("Index (Only )?Scan using " + table + "_profile on " + table)
                            .contains("Index Cond: ((profile_id = 'p5'::text) AND (db_id = " + db + "))");
                } else {
                    assertThat(plan).as(plan).containsPattern("USING (COVERING )?INDEX " + table + "_profile \\(profile_id=\\?");
                }
            }
            return null;
        });
    }
}
