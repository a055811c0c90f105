package dev.roster.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.sqlite.Function;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * What SQLite lacks for profile queries, registered on every connection: {@code roster_regexp(pattern, flags,
 * text)} (SQLite has no regular expressions of its own), {@code roster_fold(text)} (the case-insensitive form of an
 * email, as the profile feature computes it), and a progress handler that stops a statement past the deadline of
 * the thread that runs it ({@link Store#readLimited}).
 */
final class SqliteFunctions {
    /** Message of the error a function raises when the deadline passed, recognised by {@link Store}. */
    static final String TIMEOUT_MESSAGE = "roster: query time limit reached";

    /** Deadline (System.nanoTime) of the statement the current thread runs, or 0 for none. */
    static final ThreadLocal<long[]> DEADLINE = ThreadLocal.withInitial(() -> new long[1]);

    private static final Cache<String, Pattern> PATTERNS = Caffeine.newBuilder().maximumSize(1_000).build();

    private SqliteFunctions() {
    }

    static SQLiteDataSource dataSource(SQLiteConfig config) {
        return new SQLiteDataSource(config) {
            @Override
            public Connection getConnection() throws SQLException {
                Connection connection = super.getConnection();
                register(connection);
                return connection;
            }

            @Override
            public org.sqlite.SQLiteConnection getConnection(String user, String password) throws SQLException {
                org.sqlite.SQLiteConnection connection = super.getConnection(user, password);
                register(connection);
                return connection;
            }
        };
    }

    static boolean pastDeadline() {
        long deadline = DEADLINE.get()[0];
        return deadline != 0 && System.nanoTime() - deadline > 0;
    }

    private static void register(Connection connection) throws SQLException {
        Function.create(connection, "roster_fold", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                String text = value_text(0);
                if (text == null) {
                    result();
                } else {
                    result(java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFC).toLowerCase(Locale.ROOT));
                }
            }
        }, 1, Function.FLAG_DETERMINISTIC);
        Function.create(connection, "roster_regexp", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                String pattern = value_text(0);
                String flags = value_text(1);
                String text = value_text(2);
                if (pattern == null || text == null) {
                    result(0);
                    return;
                }
                Pattern compiled;
                try {
                    compiled = PATTERNS.get(flags + "/" + pattern, key -> Pattern.compile(pattern,
                            "i".equals(flags) ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0));
                } catch (PatternSyntaxException e) {
                    error("invalid regular expression: " + e.getDescription());
                    return;
                }
                try {
                    result(compiled.matcher(new Watched(text)).find() ? 1 : 0);
                } catch (TimeUp e) {
                    error(TIMEOUT_MESSAGE);
                }
            }
        }, 3, Function.FLAG_DETERMINISTIC);
        ProgressHandler.setHandler(connection, 10_000, new ProgressHandler() {
            @Override
            protected int progress() {
                return pastDeadline() ? 1 : 0;
            }
        });
    }

    private static final class TimeUp extends RuntimeException {
        TimeUp() {
            super(null, null, false, false);
        }
    }

    /**
     * The text a regular expression runs over, checking the deadline every few thousand reads: Java's engine
     * backtracks, and a hostile pattern would otherwise hold the connection for ever on a short text.
     */
    private static final class Watched implements CharSequence {
        private final String text;
        private int reads;

        Watched(String text) {
            this.text = text;
        }

        @Override
        public char charAt(int index) {
            if ((++reads & 0xFFF) == 0 && pastDeadline()) {
                throw new TimeUp();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.substring(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
