package dev.roster.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.testing.TestStores;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Both stores, migrated from empty, have the same tables, the same columns and the same indexes (by table, columns
 * and uniqueness: the databases name indexes their own ways), except the differences listed in {@link #DELIBERATE},
 * each with its reason. A migration written for one dialect and forgotten in the other fails here.
 */
class SchemaParityTest {
    /** What only one store has, on purpose: "sqlite: ..." or "postgresql: ...", as {@link #schema} writes it. */
    private static final Map<String, String> DELIBERATE = new TreeMap<>(Map.ofEntries(
            Map.entry("sqlite: index profiles(db_id,id)", "PostgreSQL's V8 made it unique, for the foreign keys by (db_id, "
                    + "profile_id) that SQLite cannot add to existing tables; SQLite keeps the plain index of V2"),
            Map.entry("postgresql: unique index profiles(db_id,id)", "the same index, unique on PostgreSQL (V8)"),
            // the same expression indexes on both (V1 and V5_1 create them alike); SQLite's JDBC metadata leaves the
            // expression column out, so they read differently here
            Map.entry("sqlite: unique index db_fields(db_id)", "db_fields (db_id, lower(name)) as SQLite's driver reports it"),
            Map.entry("postgresql: unique index db_fields(db_id,lower(name))", "the same index as PostgreSQL's driver reports it"),
            Map.entry("sqlite: unique index resource_fields(resource_id,channel)",
                    "resource_fields (resource_id, channel, lower(name)) as SQLite's driver reports it"),
            Map.entry("postgresql: unique index resource_fields(resource_id,channel,lower(name))",
                    "the same index as PostgreSQL's driver reports it"),
            // the index of the email keys' domains (V20, with the profile id since V44, led by the domain since V46),
            // for _emaildomain lookups: an expression index on both stores (each in its own SQL), which SQLite's
            // driver reports without the expression
            Map.entry("sqlite: index profile_keys(db_id,profile_id)",
                    "profile_keys (<the domain of value>, db_id, profile_id) as SQLite's driver reports it"),
            Map.entry("postgresql: index profile_keys(split_part(value, '@'::text, 2),db_id,profile_id)",
                    "the same index as PostgreSQL's driver reports it")));

    @Test
    void bothStoresHaveTheSameTablesColumnsAndIndexes() throws Exception {
        TreeSet<String> sqlite = migrated(TestStores.freshSqlite());
        TreeSet<String> postgres = migrated(TestStores.freshPostgres());
        List<String> differences = new ArrayList<>();
        for (String item : sqlite) {
            if (!postgres.contains(item)) {
                differences.add("sqlite: " + item);
            }
        }
        for (String item : postgres) {
            if (!sqlite.contains(item)) {
                differences.add("postgresql: " + item);
            }
        }
        assertThat(differences).as("schema differences beyond the deliberate ones (SQLite %s, PostgreSQL %s)",
                sqlite.size(), postgres.size()).containsExactlyInAnyOrderElementsOf(DELIBERATE.keySet());
        assertThat(sqlite).as("tables seen").anyMatch(item -> item.equals("table profiles"));
    }

    private static TreeSet<String> migrated(TestStores.FreshStore fresh) throws Exception {
        try (AutoCloseable cleanup = fresh.cleanup()) {
            Store.open(fresh.settings(), null).close();
            try (Connection c = DriverManager.getConnection(fresh.settings().jdbcUrl())) {
                return schema(c);
            }
        }
    }

    /** "table t", "column t.c", "index t(c1,c2)" and "unique index t(c1,c2)", primary keys as "primary key t(c)". */
    private static TreeSet<String> schema(Connection c) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        String schema = meta.getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres") ? "public" : null;
        TreeSet<String> out = new TreeSet<>();
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = meta.getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        }
        for (String table : tables) {
            out.add("table " + table);
            try (ResultSet rs = meta.getColumns(null, schema, table, "%")) {
                while (rs.next()) {
                    out.add("column " + table + "." + rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
            TreeMap<Short, String> key = new TreeMap<>();
            try (ResultSet rs = meta.getPrimaryKeys(null, schema, table)) {
                while (rs.next()) {
                    key.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
            if (!key.isEmpty()) {
                out.add("primary key " + table + "(" + String.join(",", key.values()) + ")");
            }
            Map<String, TreeMap<Short, String>> indexes = new TreeMap<>();
            Map<String, Boolean> unique = new TreeMap<>();
            try (ResultSet rs = meta.getIndexInfo(null, schema, table, false, false)) {
                while (rs.next()) {
                    String name = rs.getString("INDEX_NAME");
                    String column = rs.getString("COLUMN_NAME");
                    if (name == null || column == null) {
                        continue;
                    }
                    indexes.computeIfAbsent(name, n -> new TreeMap<>()).put(rs.getShort("ORDINAL_POSITION"),
                            column.toLowerCase(Locale.ROOT));
                    unique.put(name, !rs.getBoolean("NON_UNIQUE"));
                }
            }
            indexes.forEach((name, columns) -> {
                String described = table + "(" + String.join(",", columns.values()) + ")";
                // the index behind the primary key is the primary key, named differently by each database
                if (!("primary key " + described).equals("primary key " + table + "(" + String.join(",", key.values()) + ")")
                        || !unique.get(name)) {
                    out.add((unique.get(name) ? "unique index " : "index ") + described);
                }
            });
        }
        return out;
    }
}
