package dev.roster.testing;

import dev.roster.store.Store;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a store holds, table by table, to prove that a request changed nothing. */
public final class StoreRows {
    private StoreRows() {
    }

    /** The application's tables (not the migration history nor SQLite's own). */
    public static List<String> tables(Store store) {
        return store.read(h -> {
            try {
                DatabaseMetaData meta = h.getConnection().getMetaData();
                List<String> names = new ArrayList<>();
                String schema = TestStores.isPostgres() ? "public" : null;
                try (ResultSet rs = meta.getTables(null, schema, "%", new String[] {"TABLE"})) {
                    while (rs.next()) {
                        String name = rs.getString("TABLE_NAME");
                        if (!name.startsWith("sqlite_") && !name.equals("flyway_schema_history")) {
                            names.add(name);
                        }
                    }
                }
                return names;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    public static Map<String, Long> counts(Store store) {
        Map<String, Long> counts = new TreeMap<>();
        for (String table : tables(store)) {
            counts.put(table, store.read(h -> h.createQuery("select count(*) from " + table).mapTo(Long.class).one()));
        }
        return counts;
    }

    /**
     * Every row of every table as text, except {@code last_used_at}, which reading with a token may touch. Rows are
     * sorted so two snapshots compare regardless of the order the database returns them in.
     */
    public static Map<String, List<String>> rows(Store store) {
        Map<String, List<String>> all = new TreeMap<>();
        for (String table : tables(store)) {
            List<String> rows = store.read(h -> h.createQuery("select * from " + table)
                    .map((rs, ctx) -> {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            String column = rs.getMetaData().getColumnName(i);
                            if (!column.equalsIgnoreCase("last_used_at")) {
                                Object value = rs.getObject(i);
                                // bytes (export chunks) by content, not by the identity of the array read
                                row.append(column).append('=').append(value instanceof byte[] bytes
                                        ? java.util.HexFormat.of().formatHex(bytes) : rs.getString(i)).append(' ');
                            }
                        }
                        return row.toString();
                    }).list());
            all.put(table, rows.stream().sorted().toList());
        }
        return all;
    }

    /**
     * {@link #rows} plus where each row version lives: PostgreSQL's ctid changes with every update, even one that
     * writes the same values; SQLite's rowid changes when a row is deleted and inserted again. Tables that reading with
     * a token touches (tokens, sessions) are left out of the versions.
     */
    public static Map<String, List<String>> rowsAndVersions(Store store) {
        Map<String, List<String>> all = new TreeMap<>(rows(store));
        String version = TestStores.isPostgres() ? "ctid::text" : "rowid";
        for (String table : tables(store)) {
            if (table.equals("tokens") || table.equals("console_sessions")) {
                continue;
            }
            try {
                all.put(table + "#versions", store.read(h -> h.createQuery("select " + version + " from " + table
                        + " order by 1").mapTo(String.class).list()));
            } catch (RuntimeException withoutRowid) {
                // a SQLite table without rowid: its contents are compared by rows()
            }
        }
        return all;
    }
}
