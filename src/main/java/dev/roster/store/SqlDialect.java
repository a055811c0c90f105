package dev.roster.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatements;

/**
 * The SQL fragments that differ between the two databases, for the features' {@code *Sql} classes: each takes it from
 * the handle it runs on ({@link #of}), so no service ever carries SQL. Everything else a feature writes is the SQL both
 * databases share.
 */
public final class SqlDialect {
    /** The handle attribute under which the store hands the dialect to every statement. */
    static final String ATTRIBUTE = "roster.dialect";

    static final SqlDialect SQLITE = new SqlDialect(Dialect.SQLITE);
    static final SqlDialect POSTGRESQL = new SqlDialect(Dialect.POSTGRESQL);

    private final Dialect dialect;

    private SqlDialect(Dialect dialect) {
        this.dialect = dialect;
    }

    static SqlDialect of(Dialect dialect) {
        return dialect == Dialect.POSTGRESQL ? POSTGRESQL : SQLITE;
    }

    /** The dialect of the store the handle belongs to. */
    public static SqlDialect of(Handle h) {
        Object dialect = h.getConfig(SqlStatements.class).getAttribute(ATTRIBUTE);
        if (dialect instanceof SqlDialect d) {
            return d;
        }
        throw new IllegalStateException("a handle that no Store opened has no dialect");
    }

    private boolean postgres() {
        return dialect == Dialect.POSTGRESQL;
    }

    /** {@code " for update"} where the database locks rows that way (PostgreSQL); SQLite writers are serial already. */
    public String forUpdate() {
        return postgres() ? " for update" : "";
    }

    /**
     * SQL of the text of the top-level member {@code :name} of a JSON object stored as text in {@code column}; bind
     * the member's name as {@code nameParameter}. Numbers come out as their JSON text on both databases.
     */
    public String jsonMemberText(String column, String nameParameter) {
        return postgres()
                ? "(" + column + "::jsonb ->> :" + nameParameter + ")"
                : "cast(json_extract(" + column + ", '$.' || :" + nameParameter + ") as text)";
    }

    /** SQL of {@code column} (a JSON object as text) without its member {@code :name}. */
    /**
     * SQL of the number a JSON object column holds under the member named by {@code nameParameter}, as a double; null
     * when the member is absent or not a number. For comparing numbers by value whatever their JSON text ("1", "1.0").
     */
    public String jsonMemberNumber(String column, String nameParameter) {
        return dialect == Dialect.POSTGRESQL
                ? "(case when jsonb_typeof(" + column + "::jsonb -> :" + nameParameter + ") = 'number' then (" + column
                        + "::jsonb ->> :" + nameParameter + ")::double precision end)"
                : "(case when json_type(" + column + ", '$.' || :" + nameParameter + ") in ('integer', 'real') then "
                        + "cast(json_extract(" + column + ", '$.' || :" + nameParameter + ") as real) end)";
    }

    public String jsonWithoutMember(String column, String nameParameter) {
        return postgres()
                ? "(" + column + "::jsonb - :" + nameParameter + ")::text"
                : "json_remove(" + column + ", '$.' || :" + nameParameter + ")";
    }

    /**
     * SQL of a table with one text column {@code value}: the elements of the JSON array of strings bound as
     * {@code listParameter}. One statement text whatever the list's length, so it is prepared and planned once.
     */
    public String jsonTextList(String listParameter) {
        return postgres()
                ? "json_array_elements_text(cast(:" + listParameter + " as json)) as list(value)"
                : "json_each(:" + listParameter + ") as list";
    }

    /**
     * SQL of the rows of {@code table} (named {@code alias}) whose {@code column} equals a value of the JSON array of
     * strings bound as {@code listParameter}, each beside that value as {@code list.value}. Planned as one index probe
     * per value whatever the table's statistics: {@code column in (...)} of a column that is not unique alone is
     * estimated, without statistics (a table right after a bulk load, before autovacuum), at 1/200 of the table per
     * value, so a few hundred values read as the whole table and PostgreSQL scans it. Here the lateral subquery (kept
     * apart by {@code offset 0}) can only run once per value, and for one value the index always wins. SQLite's
     * {@code cross join} keeps the list as the outer loop and probes the index the same way.
     */
    public String rowsPerListValue(String listParameter, String table, String alias, String column) {
        return postgres()
                ? "json_array_elements_text(cast(:" + listParameter + " as json)) as list(value) cross join lateral "
                        + "(select * from " + table + " where " + column + " = list.value offset 0) as " + alias
                : "json_each(:" + listParameter + ") as list cross join " + table + " as " + alias + " on " + alias
                        + "." + column + " = list.value";
    }

    /**
     * The statement that refreshes the planner's statistics of these tables after a bulk load (PostgreSQL's
     * {@code analyze}); null where the planner does not need them for the statements Roster runs (SQLite).
     */
    public String analyze(String... tables) {
        return postgres() ? "analyze " + String.join(", ", tables) : null;
    }

    /**
     * SQL of a transaction number below which every transaction has finished, for reading an append-only table in
     * commit order: on PostgreSQL the xmin of the statement's snapshot (rows carry {@code pg_current_xact_id()}); SQLite
     * has one writer at a time, so its rows carry 0 and nothing is running below the largest number.
     */
    public String finishedTransactionsBelow() {
        return postgres() ? "(pg_snapshot_xmin(pg_current_snapshot())::text::bigint)" : "9223372036854775807";
    }

    @Override
    public String toString() {
        return postgres() ? "PostgreSQL" : "SQLite";
    }
}
