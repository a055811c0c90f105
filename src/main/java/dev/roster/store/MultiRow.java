package dev.roster.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Multi-row statements of the write path over the handle's JDBC connection with positional parameters. Jdbi's named
 * binding looks up an argument factory for every value: a profile of {@code roster import} on PostgreSQL found a third
 * of the import's Java time there, binding the few thousand values of a batch's inserts (bench/RESULTS.md). Failures
 * come out as Jdbi's, so that {@link StoreErrors} translates them as any other statement's.
 */
public final class MultiRow {
    private MultiRow() {
    }

    /** Sets one row's parameters, in the order of the row's placeholders. */
    public interface Binder<T> {
        void bind(Parameters parameters, T row) throws SQLException;
    }

    /** Reads one row of a statement's result. */
    public interface Reader<R> {
        R read(ResultSet rs) throws SQLException;
    }

    /** The parameters of a statement, set one after the other. */
    public static final class Parameters {
        private final PreparedStatement statement;
        private int next = 1;

        private Parameters(PreparedStatement statement) {
            this.statement = statement;
        }

        public Parameters text(String value) throws SQLException {
            if (value == null) {
                statement.setNull(next++, Types.VARCHAR);
            } else {
                statement.setString(next++, value);
            }
            return this;
        }

        public Parameters number(long value) throws SQLException {
            statement.setLong(next++, value);
            return this;
        }

        public Parameters number(Long value) throws SQLException {
            if (value == null) {
                statement.setNull(next++, Types.BIGINT);
            } else {
                statement.setLong(next++, value);
            }
            return this;
        }

        public Parameters number(Integer value) throws SQLException {
            if (value == null) {
                statement.setNull(next++, Types.INTEGER);
            } else {
                statement.setInt(next++, value);
            }
            return this;
        }

        public Parameters bool(boolean value) throws SQLException {
            statement.setBoolean(next++, value);
            return this;
        }
    }

    /**
     * Runs {@code head + row, row, ... + tail} for the rows, {@code chunk} rows a statement; {@code row} is the
     * placeholders of one row, e.g. {@code "(?, ?, ?)"}.
     */
    public static <T> void execute(Handle h, String head, String row, String tail, List<T> rows, int chunk,
                                   Binder<T> binder) {
        query(h, head, row, tail, rows, chunk, binder, null);
    }

    /** {@link #execute}, returning what the statements return (their {@code returning} rows) read by {@code reader}. */
    public static <T, R> List<R> query(Handle h, String head, String row, String tail, List<T> rows, int chunk,
                                       Binder<T> binder, Reader<R> reader) {
        List<R> out = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += chunk) {
            List<T> part = rows.subList(from, Math.min(rows.size(), from + chunk));
            StringBuilder sql = new StringBuilder(head.length() + tail.length() + part.size() * (row.length() + 2));
            sql.append(head);
            for (int i = 0; i < part.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(row);
            }
            String text = sql.append(tail).toString();
            try (PreparedStatement statement = h.getConnection().prepareStatement(text)) {
                Parameters parameters = new Parameters(statement);
                for (T one : part) {
                    binder.bind(parameters, one);
                }
                if (reader == null) {
                    statement.executeUpdate();
                } else if (statement.execute()) {
                    try (ResultSet rs = statement.getResultSet()) {
                        while (rs.next()) {
                            out.add(reader.read(rs));
                        }
                    }
                }
            } catch (SQLException e) {
                throw new UnableToExecuteStatementException(e, null);
            }
        }
        return out;
    }
}
