package dev.roster.store;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Reading nullable columns the same way on both drivers. */
public final class Rows {
    private Rows() {
    }

    public static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    public static Integer nullableInt(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
