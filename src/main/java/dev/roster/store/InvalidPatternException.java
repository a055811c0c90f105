package dev.roster.store;

/** The database refused a regular expression of a query. */
public final class InvalidPatternException extends RuntimeException {
    public InvalidPatternException(String message, Throwable cause) {
        super(message, cause);
    }
}
