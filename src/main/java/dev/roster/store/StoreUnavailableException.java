package dev.roster.store;

/** The database did not answer (connection refused, pool exhausted, disk gone): error 503 for the client. */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
