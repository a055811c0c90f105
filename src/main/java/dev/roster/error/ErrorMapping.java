package dev.roster.error;

import dev.roster.store.DuplicateKeyException;
import dev.roster.store.MissingReferenceException;
import dev.roster.store.StoreUnavailableException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one mapping from an exception to what a client is told: the error code and text of the HTTP envelope, of an
 * import queue result, and of the command line's message. Logs what an operator must see (an unavailable store, an
 * internal error with its stack trace) once, here.
 */
public final class ErrorMapping {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);
    /** The MDC key of the request id that HTTP requests and queue messages carry. */
    public static final String REQUEST_ID = "request_id";

    private ErrorMapping() {
    }

    /**
     * What to tell: {@code text} for a remote client (never the internals of a failure), {@code detail} for the person
     * at the console (the text, or the store's own reason when it is unavailable).
     */
    public record Failure(ErrorCode code, String text, String detail) {
        /** The request itself is fine and may succeed later: HTTP says Retry-After, the queue sends it back. */
        public boolean retry() {
            return code == ErrorCode.UNAVAILABLE;
        }
    }

    public static Failure of(Throwable e) {
        if (e instanceof RosterException r) {
            return new Failure(r.code(), r.getMessage(), r.getMessage());
        }
        if (e instanceof StoreUnavailableException) {
            log.warn("storage unavailable: {}", e.getMessage());
            return new Failure(ErrorCode.UNAVAILABLE, "storage unavailable, retry in a few seconds", e.getMessage());
        }
        if (e instanceof DuplicateKeyException) {
            String text = "conflict: the value is already taken by another object";
            return new Failure(ErrorCode.CONFLICT, text, text);
        }
        if (e instanceof MissingReferenceException) {
            String text = "a database, resource or profile the request refers to no longer exists";
            return new Failure(ErrorCode.NOT_FOUND, text, text);
        }
        if (e instanceof IOException) {
            String text = "the request body could not be read: " + e.getMessage();
            return new Failure(ErrorCode.BAD_REQUEST, text, text);
        }
        String requestId = MDC.get(REQUEST_ID);
        log.error("internal error", e);
        return new Failure(ErrorCode.INTERNAL, requestId == null ? "internal error" : "internal error, request id " + requestId,
                "internal error: " + e);
    }
}
