package dev.roster.console;

import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The SQL of console sessions (migration V40). */
final class SessionSql {
    private SessionSql() {
    }

    record Row(String idHash, long accountId, long userId, String csrf, long createdAt, long seenAt) {
    }

    static void insert(Handle h, Row row) {
        h.createUpdate("insert into console_sessions (id_hash, account_id, user_id, csrf, created_at, seen_at) "
                        + "values (:id, :account, :user, :csrf, :created, :seen)")
                .bind("id", row.idHash()).bind("account", row.accountId()).bind("user", row.userId())
                .bind("csrf", row.csrf()).bind("created", row.createdAt()).bind("seen", row.seenAt()).execute();
    }

    static Optional<Row> find(Handle h, String idHash) {
        return h.createQuery("select id_hash, account_id, user_id, csrf, created_at, seen_at from console_sessions "
                        + "where id_hash = :id")
                .bind("id", idHash)
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                        rs.getLong(5), rs.getLong(6)))
                .findOne();
    }

    static void touch(Handle h, String idHash, long now) {
        h.createUpdate("update console_sessions set seen_at = :now where id_hash = :id")
                .bind("id", idHash).bind("now", now).execute();
    }

    static void delete(Handle h, String idHash) {
        h.createUpdate("delete from console_sessions where id_hash = :id").bind("id", idHash).execute();
    }

    static void deleteOfUser(Handle h, long userId, String keepIdHash) {
        h.createUpdate("delete from console_sessions where user_id = :user and id_hash <> :keep")
                .bind("user", userId).bind("keep", keepIdHash).execute();
    }

    static void deleteExpired(Handle h, long idleBefore, long createdBefore) {
        h.createUpdate("delete from console_sessions where seen_at < :idle or created_at < :created")
                .bind("idle", idleBefore).bind("created", createdBefore).execute();
    }
}
