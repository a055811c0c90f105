package dev.roster.idempotency;

import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The SQL of idempotency_keys: one claim row per (account, key), taken with INSERT ... ON CONFLICT. */
final class IdempotencySql {
    private IdempotencySql() {
    }

    record Row(String requestHash, String state, String owner, long leaseUntil, Integer status, String contentType,
               String body, long createdAt) {
    }

    /**
     * Claims the key for this request: a new row, or a row whose answer expired, or a running claim whose node stopped
     * renewing it (a crash: that request's transaction never committed its answer) with the same request. True when
     * this node now owns the claim.
     */
    static boolean claim(Handle h, long accountId, String key, String hash, String owner, long now, long leaseUntil,
                         long expiredBefore) {
        return h.createUpdate("insert into idempotency_keys (account_id, key, request_hash, state, owner, lease_until, "
                        + "created_at) values (:a, :k, :hash, 'running', :owner, :until, :now) on conflict (account_id, key) "
                        + "do update set request_hash = excluded.request_hash, state = 'running', owner = excluded.owner, "
                        + "lease_until = excluded.lease_until, created_at = excluded.created_at, status = null, "
                        + "content_type = null, body = null where idempotency_keys.created_at < :expired or "
                        + "(idempotency_keys.state = 'running' and idempotency_keys.lease_until < :now and "
                        + "idempotency_keys.request_hash = excluded.request_hash)")
                .bind("a", accountId).bind("k", key).bind("hash", hash).bind("owner", owner).bind("until", leaseUntil)
                .bind("now", now).bind("expired", expiredBefore).execute() == 1;
    }

    static Optional<Row> find(Handle h, long accountId, String key) {
        return h.createQuery("select request_hash, state, owner, lease_until, status, content_type, body, created_at "
                        + "from idempotency_keys where account_id = :a and key = :k")
                .bind("a", accountId).bind("k", key)
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getObject(5) == null ? null : rs.getInt(5), rs.getString(6), rs.getString(7), rs.getLong(8)))
                .findOne();
    }

    static void renew(Handle h, long accountId, String key, String owner, long leaseUntil) {
        h.createUpdate("update idempotency_keys set lease_until = :until where account_id = :a and key = :k and "
                        + "owner = :owner and state = 'running'")
                .bind("until", leaseUntil).bind("a", accountId).bind("k", key).bind("owner", owner).execute();
    }

    static void complete(Handle h, long accountId, String key, String owner, int status, String contentType,
                         String body) {
        h.createUpdate("update idempotency_keys set state = 'done', status = :status, content_type = :ct, body = :body "
                        + "where account_id = :a and key = :k and owner = :owner and state = 'running'")
                .bind("status", status).bind("ct", contentType).bind("body", body).bind("a", accountId)
                .bind("k", key).bind("owner", owner).execute();
    }

    static void abandon(Handle h, long accountId, String key, String owner) {
        h.createUpdate("delete from idempotency_keys where account_id = :a and key = :k and owner = :owner and "
                        + "state = 'running'")
                .bind("a", accountId).bind("k", key).bind("owner", owner).execute();
    }

    static int expire(Handle h, long expiredBefore) {
        return h.createUpdate("delete from idempotency_keys where created_at < :expired")
                .bind("expired", expiredBefore).execute();
    }
}
