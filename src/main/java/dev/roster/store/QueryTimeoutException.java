package dev.roster.store;

/** A read run with {@link Store#readLimited} went past its time limit and was stopped. */
public final class QueryTimeoutException extends RuntimeException {
    private final long limitMillis;

    public QueryTimeoutException(long limitMillis, Throwable cause) {
        super("the query ran longer than the limit of " + limitMillis + " ms and was stopped", cause);
        this.limitMillis = limitMillis;
    }

    public long limitMillis() {
        return limitMillis;
    }
}
