package dev.roster.store;

import java.util.regex.Pattern;

/**
 * The SQL fragments profile queries need, in the dialect of the store: members of the JSON object a profile's
 * {@code data} column holds, read as text, numbers, booleans or dates, the elements of its arrays, regular
 * expressions, and case folding. Features build their statements from these and never look at the dialect.
 * Member names must be identifiers (letters, digits, underscores), which field names are.
 */
public final class QuerySyntax {
    /** How a member is compared: text by code point, numbers by value, booleans, dates as instants. */
    public enum Kind {
        TEXT, NUMBER, BOOL, DATE
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final boolean postgres;

    QuerySyntax(Dialect dialect) {
        this.postgres = dialect == Dialect.POSTGRESQL;
    }

    private static String checked(String member) {
        if (!NAME.matcher(member).matches()) {
            throw new IllegalArgumentException("not a member name: " + member);
        }
        return member;
    }

    /** The member as SQL text (null when absent); for text members only. */
    public String text(String column, String member) {
        return postgres ? "(" + column + "::jsonb ->> '" + checked(member) + "')"
                : "json_extract(" + column + ", '$." + checked(member) + "')";
    }

    /** True when the object has the member. */
    public String has(String column, String member) {
        return postgres ? "(" + column + "::jsonb -> '" + checked(member) + "') is not null"
                : "json_type(" + column + ", '$." + checked(member) + "') is not null";
    }

    /**
     * The member in the form comparisons and indexes use for its kind: text in code point order, numbers and
     * booleans by value, dates as a fixed-width text of their instant (see {@link #dateKey}).
     */
    public String comparable(String column, String member, Kind kind) {
        return switch (kind) {
            case TEXT -> collated(text(column, member));
            case DATE -> collated(dateKey(text(column, member)));
            case NUMBER, BOOL -> postgres ? "(" + column + "::jsonb -> '" + checked(member) + "')"
                    : "json_extract(" + column + ", '$." + checked(member) + "')";
        };
    }

    /** A bound parameter in the form {@link #comparable} compares with; bind it as {@link #bindable} says. */
    public String parameter(String name, Kind kind) {
        return switch (kind) {
            case NUMBER, BOOL -> postgres ? "cast(:" + name + " as jsonb)" : ":" + name;
            default -> ":" + name;
        };
    }

    /**
     * The value to bind for {@link #parameter}: numbers as their JSON text on PostgreSQL (compared as jsonb, by
     * value), as Long or Double on SQLite; booleans as JSON text or 1/0.
     */
    public Object bindable(Object value, Kind kind) {
        if (kind == Kind.BOOL) {
            boolean b = (Boolean) value;
            return postgres ? (b ? "true" : "false") : (b ? 1 : 0);
        }
        if (kind == Kind.NUMBER) {
            java.math.BigDecimal number = (java.math.BigDecimal) value;
            if (postgres) {
                return number.toPlainString();
            }
            try {
                return number.longValueExact();
            } catch (ArithmeticException e) {
                return number.doubleValue();
            }
        }
        return value;
    }

    /** Text compared by code point, as Java and SQLite compare it, whatever the PostgreSQL database's collation. */
    public String collated(String textExpression) {
        return postgres ? "(" + textExpression + " collate \"C\")" : textExpression;
    }

    /**
     * A stored date (RFC 3339 in UTC, "2024-01-02T03:04:05Z" with 0, 3, 6 or 9 fraction digits) as 28 characters
     * that sort like the instants: the seconds, then the fraction padded to nine digits.
     */
    public String dateKey(String textExpression) {
        return "(substr(" + textExpression + ", 1, 19) || substr(replace(replace(substr(" + textExpression
                + ", 20), '.', ''), 'Z', '') || '000000000', 1, 9))";
    }

    /** {@link #dateKey} of a stored date, computed in Java for binding. */
    public static String dateKeyOf(String stored) {
        String fraction = stored.length() > 19 ? stored.substring(19).replace(".", "").replace("Z", "") : "";
        return stored.substring(0, 19) + (fraction + "000000000").substring(0, 9);
    }

    /** A FROM item of the member's array elements as text, in a column {@code value} (none when not an array). */
    public String elements(String column, String member, String alias) {
        if (postgres) {
            String json = column + "::jsonb -> '" + checked(member) + "'";
            return "jsonb_array_elements_text(case when jsonb_typeof(" + json + ") = 'array' then " + json
                    + " else '[]'::jsonb end) as " + alias + "(value)";
        }
        return "json_each(" + column + ", '$." + checked(member) + "') as " + alias;
    }

    /** A FROM item of the elements of a column holding a JSON array of strings, in a column {@code value}. */
    public String elementsOfColumn(String column, String alias) {
        return postgres ? "jsonb_array_elements_text(" + column + "::jsonb) as " + alias + "(value)"
                : "json_each(" + column + ") as " + alias;
    }

    /** The member's array length, null when it is not an array. */
    public String arrayLength(String column, String member) {
        if (postgres) {
            String json = column + "::jsonb -> '" + checked(member) + "'";
            return "(case when jsonb_typeof(" + json + ") = 'array' then jsonb_array_length(" + json + ") end)";
        }
        return "(case when json_type(" + column + ", '$." + checked(member) + "') = 'array' then json_array_length("
                + column + ", '$." + checked(member) + "') end)";
    }

    /** Whether the text matches the bound regular expression (a search, as Java's find), optionally ignoring case. */
    public String regex(String textExpression, String parameter, boolean ignoreCase) {
        return postgres ? "(" + textExpression + (ignoreCase ? " ~* :" : " ~ :") + parameter + ")"
                : "(roster_regexp(:" + parameter + ", '" + (ignoreCase ? "i" : "") + "', " + textExpression + ") = 1)";
    }

    /** The case-insensitive form of an email (trimmed text is stored): NFC, lower case. */
    public String fold(String textExpression) {
        return postgres ? "lower(normalize(" + textExpression + ", NFC))" : "roster_fold(" + textExpression + ")";
    }

    /** The domain of a folded email (after its only '@'). */
    public String emailDomain(String foldedEmail) {
        return postgres ? "split_part(" + foldedEmail + ", '@', 2)"
                : "substr(" + foldedEmail + ", instr(" + foldedEmail + ", '@') + 1)";
    }

    /** A boolean SQL literal. */
    public String bool(boolean value) {
        return postgres ? (value ? "true" : "false") : (value ? "1" : "0");
    }

    /** The deterministic name of the index of a database's field. */
    public static String fieldIndexName(long dbId, String field) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(field.toLowerCase(java.util.Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "profiles_f" + dbId + "_" + java.util.HexFormat.of().formatHex(digest, 0, 5);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Builds the index of a database's field (kept for that database only), so that equality and range filters on
     * it, ordered by profile id, read the index instead of the table. Idempotent.
     */
    public void createFieldIndex(org.jdbi.v3.core.Handle h, long dbId, String field, Kind kind) {
        h.execute("create index if not exists " + fieldIndexName(dbId, field) + " on profiles ("
                + comparable("data", field, kind) + ", id) where db_id = " + dbId);
        // both plan from the statistics ANALYZE gathers (PostgreSQL's of an expression index only then): without
        // them they prefer the id order of the database's index to a range over the new one
        h.execute("analyze profiles");
    }

    /** Drops the index of a database's field, when there is one. */
    public void dropFieldIndex(org.jdbi.v3.core.Handle h, long dbId, String field) {
        h.execute("drop index if exists " + fieldIndexName(dbId, field));
    }

    /** The statement that shows how the store would run {@code sql}: EXPLAIN (QUERY PLAN on SQLite). */
    public String explain(String sql) {
        return postgres ? "explain " + sql : "explain query plan " + sql;
    }
}
