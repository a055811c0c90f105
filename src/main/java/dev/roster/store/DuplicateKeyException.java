package dev.roster.store;

/**
 * A unique index refused a row. The store raises it in one place for both dialects, naming the index when the
 * database tells it; services turn it into the domain error (409 with the key and its owner).
 */
public class DuplicateKeyException extends RuntimeException {
    private final String index;

    public DuplicateKeyException(String index, Throwable cause) {
        super("duplicate key" + (index == null ? "" : " in " + index), cause);
        this.index = index;
    }

    /** The index or constraint name when the database reported it, else null. */
    public String index() {
        return index;
    }
}
