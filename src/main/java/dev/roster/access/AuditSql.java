package dev.roster.access;

import org.jdbi.v3.core.Handle;

/** The SQL of the audit log. */
final class AuditSql {
    private AuditSql() {
    }

    static void insert(Handle h, long accountId, String tokenName, String action, String object, long now) {
        h.createUpdate("insert into audit_log (account_id, at, token_name, action, object) "
                        + "values (:account, :now, :token, :action, :object)")
                .bind("account", accountId).bind("now", now).bind("token", tokenName)
                .bind("action", action).bind("object", object).execute();
    }
}
