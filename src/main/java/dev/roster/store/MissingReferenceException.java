package dev.roster.store;

/** A row refers to one that no longer exists (deleted by a concurrent request, possibly on another server). */
public class MissingReferenceException extends RuntimeException {
    public MissingReferenceException(Throwable cause) {
        super("a referenced row no longer exists", cause);
    }
}
