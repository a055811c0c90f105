package dev.roster.store;

/** The store cannot copy itself (PostgreSQL): its message names the database's own tool. */
public final class BackupNotSupportedException extends RuntimeException {
    public BackupNotSupportedException(String message) {
        super(message);
    }
}
