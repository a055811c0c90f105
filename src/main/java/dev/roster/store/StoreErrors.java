package dev.roster.store;

import java.sql.SQLException;
import org.jdbi.v3.core.JdbiException;

/**
 * Database errors translated once, for every caller: a unique index refusal becomes {@link DuplicateKeyException}, a
 * missing referenced row {@link MissingReferenceException}, an unreachable or full database
 * {@link StoreUnavailableException}; anything else leaves as it came.
 */
final class StoreErrors {
    private StoreErrors() {
    }

    static RuntimeException translate(JdbiException e) {
        SQLException sql = findSqlException(e);
        if (sql == null) {
            return e;
        }
        String state = sql.getSQLState();
        if ("23505".equals(state)) {
            String constraint = null;
            if (sql instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null) {
                constraint = p.getServerErrorMessage().getConstraint();
            }
            return new DuplicateKeyException(constraint, e);
        }
        if ("23503".equals(state)) {
            return new MissingReferenceException(e);
        }
        if (sql instanceof org.sqlite.SQLiteException s) {
            switch (s.getResultCode()) {
                case SQLITE_CONSTRAINT_FOREIGNKEY -> {
                    return new MissingReferenceException(e);
                }
                case SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY -> {
                    return new DuplicateKeyException(sqliteColumns(s.getMessage()), e);
                }
                case SQLITE_BUSY, SQLITE_BUSY_TIMEOUT, SQLITE_LOCKED, SQLITE_FULL, SQLITE_IOERR, SQLITE_CANTOPEN -> {
                    return new StoreUnavailableException("the SQLite store is unavailable: " + s.getResultCode(), e);
                }
                default -> {
                    return e;
                }
            }
        }
        if (sql instanceof java.sql.SQLTransientConnectionException || (state != null && state.startsWith("08"))
                || "57P01".equals(state) || "53300".equals(state)) {
            return new StoreUnavailableException("the database is unavailable: " + sql.getMessage(), e);
        }
        return e;
    }

    /** PostgreSQL picks a victim when two transactions wait for each other's keys; the request itself is fine. */
    /** As {@link #translate}, for a read held to a time limit: its timeout and a refused pattern are named. */
    static RuntimeException translateLimited(JdbiException e, long timeoutMillis) {
        SQLException sql = findSqlException(e);
        if (sql != null && ("57014".equals(sql.getSQLState())
                || sql instanceof org.sqlite.SQLiteException s && (s.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_INTERRUPT
                || String.valueOf(s.getMessage()).contains(SqliteFunctions.TIMEOUT_MESSAGE)))) {
            return new QueryTimeoutException(timeoutMillis, e);
        }
        if (sql != null && "2201B".equals(sql.getSQLState())) {
            return new InvalidPatternException(sql.getMessage(), e);
        }
        if (sql instanceof org.sqlite.SQLiteException s && String.valueOf(s.getMessage()).contains("invalid regular expression")) {
            return new InvalidPatternException(s.getMessage(), e);
        }
        return translate(e);
    }

    static boolean isDeadlock(JdbiException e) {
        SQLException sql = findSqlException(e);
        return sql != null && ("40P01".equals(sql.getSQLState()) || "40001".equals(sql.getSQLState()));
    }

    private static String sqliteColumns(String message) {
        int at = message == null ? -1 : message.indexOf("constraint failed: ");
        if (at < 0) {
            return null;
        }
        String rest = message.substring(at + "constraint failed: ".length());
        int end = rest.indexOf(')');
        return end < 0 ? rest : rest.substring(0, end);
    }

    private static SQLException findSqlException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }

    /** The first line of the innermost cause, for a one-line reason. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }
}
