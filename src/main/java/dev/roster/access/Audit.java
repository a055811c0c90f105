package dev.roster.access;

import org.jdbi.v3.core.Handle;

/**
 * The audit line: who (account, token name) did what to which object, written in the caller's transaction, so it is
 * kept exactly when the change is. No personal data: objects are named by their ids. Here, beside {@link Caller}, so
 * that every feature may write one without depending on the account feature.
 */
public final class Audit {
    private Audit() {
    }

    /** Writes an audit line for the caller, now. */
    public static void record(Handle h, Caller caller, String action, String object) {
        record(h, caller.accountId(), caller.tokenName(), action, object, System.currentTimeMillis());
    }

    /** Writes an audit line for an actor that is not a request's caller (the bootstrap, the command line). */
    public static void record(Handle h, long accountId, String tokenName, String action, String object, long now) {
        AuditSql.insert(h, accountId, tokenName, action, object, now);
    }
}
