package dev.roster.account;

import java.util.List;
import java.util.Optional;
import dev.roster.store.Rows;
import org.jdbi.v3.core.Handle;

/** The SQL of accounts, users and tokens; every statement is scoped to an account. */
final class AccountSql {
    private AccountSql() {
    }

    /** A token found by its hash, joined with its user. */
    record TokenRow(long id, long accountId, long userId, boolean master, String name, String permissions,
                    String dbIds, Long lastUsedAt, Long revokedAt, Integer rateLimit, Integer rateBurst) {

        TokenRow touched(long now) {
            return new TokenRow(id, accountId, userId, master, name, permissions, dbIds, now, revokedAt, rateLimit,
                    rateBurst);
        }
    }

    record TokenListRow(long id, String name, String login, String permissions, String dbIds, long createdAt,
                        Long lastUsedAt, Long revokedAt, Integer rateLimit, Integer rateBurst) {
    }

    record UserRow(long id, String login, boolean master, long createdAt) {
    }

    record AccountRow(long id, String name, long createdAt, int users, int tokens) {
    }

    static List<AccountRow> accounts(Handle h) {
        return h.createQuery("select a.id, a.name, a.created_at, "
                        + "(select count(*) from users u where u.account_id = a.id), "
                        + "(select count(*) from tokens t where t.account_id = a.id and t.revoked_at is null) "
                        + "from accounts a order by a.id")
                .map((rs, ctx) -> new AccountRow(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4),
                        rs.getInt(5)))
                .list();
    }

    static void setPassword(Handle h, long userId, String passwordHash) {
        h.createUpdate("update users set password_hash = :hash where id = :id")
                .bind("hash", passwordHash).bind("id", userId).execute();
    }

    /** Inserts the account unless it exists; returns its id only when this call created it. */
    static Optional<Long> createAccountIfAbsent(Handle h, String name, long now) {
        return h.createQuery("insert into accounts (name, created_at) values (:name, :now) "
                        + "on conflict (name) do nothing returning id")
                .bind("name", name).bind("now", now)
                .mapTo(Long.class).findOne();
    }

    static Optional<Long> accountId(Handle h, String name) {
        return h.createQuery("select id from accounts where name = :name").bind("name", name)
                .mapTo(Long.class).findOne();
    }

    static long insertUser(Handle h, long accountId, String login, String passwordHash, boolean master, long now) {
        return h.createQuery("insert into users (account_id, login, password_hash, is_master, created_at) "
                        + "values (:account, :login, :hash, :master, :now) returning id")
                .bind("account", accountId).bind("login", login).bind("hash", passwordHash)
                .bind("master", master).bind("now", now)
                .mapTo(Long.class).one();
    }

    static Optional<UserRow> user(Handle h, long accountId, String login) {
        return h.createQuery("select id, login, is_master, created_at from users where account_id = :account and login = :login")
                .bind("account", accountId).bind("login", login)
                .map((rs, ctx) -> new UserRow(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getLong(4)))
                .findOne();
    }

    static List<UserRow> users(Handle h, long accountId) {
        return h.createQuery("select id, login, is_master, created_at from users where account_id = :account order by id")
                .bind("account", accountId)
                .map((rs, ctx) -> new UserRow(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getLong(4)))
                .list();
    }

    static long insertToken(Handle h, long accountId, long userId, String name, String hash, String permissions,
                            String dbIds, long now) {
        return insertToken(h, accountId, userId, name, hash, permissions, dbIds, null, null, now);
    }

    static long insertToken(Handle h, long accountId, long userId, String name, String hash, String permissions,
                            String dbIds, Integer rateLimit, Integer rateBurst, long now) {
        return h.createQuery("insert into tokens (account_id, user_id, name, token_hash, permissions, db_ids, "
                        + "rate_limit, rate_burst, created_at) "
                        + "values (:account, :user, :name, :hash, :permissions, :dbIds, :rate, :burst, :now) returning id")
                .bind("account", accountId).bind("user", userId).bind("name", name).bind("hash", hash)
                .bind("permissions", permissions).bind("dbIds", dbIds)
                .bindByType("rate", rateLimit, Integer.class).bindByType("burst", rateBurst, Integer.class)
                .bind("now", now)
                .mapTo(Long.class).one();
    }

    static Optional<TokenRow> tokenByHash(Handle h, String hash) {
        return h.createQuery("select t.id, t.account_id, t.user_id, u.is_master, t.name, t.permissions, t.db_ids, "
                        + "t.last_used_at, t.revoked_at, t.rate_limit, t.rate_burst "
                        + "from tokens t join users u on u.id = t.user_id where t.token_hash = :hash")
                .bind("hash", hash)
                .map((rs, ctx) -> new TokenRow(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getBoolean(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), Rows.nullableLong(rs, 8),
                        Rows.nullableLong(rs, 9), nullableInt(rs, 10), nullableInt(rs, 11)))
                .findOne();
    }

    static List<TokenListRow> tokens(Handle h, long accountId) {
        return h.createQuery("select t.id, t.name, u.login, t.permissions, t.db_ids, t.created_at, t.last_used_at, "
                        + "t.revoked_at, t.rate_limit, t.rate_burst from tokens t join users u on u.id = t.user_id "
                        + "where t.account_id = :account order by t.id")
                .bind("account", accountId)
                .map((rs, ctx) -> new TokenListRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getLong(6), Rows.nullableLong(rs, 7), Rows.nullableLong(rs, 8),
                        nullableInt(rs, 9), nullableInt(rs, 10)))
                .list();
    }

    /** Revokes the token of the account; returns false when no such token exists there. */
    static boolean revoke(Handle h, long accountId, long tokenId, long now) {
        return h.createUpdate("update tokens set revoked_at = coalesce(revoked_at, :now) "
                        + "where account_id = :account and id = :id")
                .bind("account", accountId).bind("id", tokenId).bind("now", now).execute() > 0;
    }

    static Optional<String> tokenHash(Handle h, long tokenId) {
        return h.createQuery("select token_hash from tokens where id = :id").bind("id", tokenId)
                .mapTo(String.class).findOne();
    }

    static void touch(Handle h, long tokenId, long now) {
        h.createUpdate("update tokens set last_used_at = :now where id = :id").bind("id", tokenId).bind("now", now).execute();
    }

    static Optional<UserRow> userById(Handle h, long accountId, long userId) {
        return h.createQuery("select id, login, is_master, created_at from users where account_id = :account and id = :id")
                .bind("account", accountId).bind("id", userId)
                .map((rs, ctx) -> new UserRow(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getLong(4)))
                .findOne();
    }

    static Optional<String> passwordHash(Handle h, long userId) {
        return h.createQuery("select password_hash from users where id = :id").bind("id", userId)
                .mapTo(String.class).findOne();
    }

    static void setPasswordHash(Handle h, long userId, String hash) {
        h.createUpdate("update users set password_hash = :hash where id = :id").bind("id", userId).bind("hash", hash)
                .execute();
    }

    /** The accounts in which a user has this login, by id. */
    static List<Long> accountsWithLogin(Handle h, String login) {
        return h.createQuery("select account_id from users where login = :login order by account_id")
                .bind("login", login).mapTo(Long.class).list();
    }

    static Optional<String> accountName(Handle h, long accountId) {
        return h.createQuery("select name from accounts where id = :id").bind("id", accountId)
                .mapTo(String.class).findOne();
    }

    static long accountCount(Handle h) {
        return h.createQuery("select count(*) from accounts").mapTo(Long.class).one();
    }

    static Optional<Long> firstAccountId(Handle h) {
        return h.createQuery("select min(id) from accounts").mapTo(Long.class).findOne();
    }

    /** The times of the login's latest failed sign-ins, newest first. */
    static List<Long> recentFailures(Handle h, long accountId, String login, long since, int limit) {
        return h.createQuery("select at from sign_in_failures where account_id = :account and login = :login "
                        + "and at >= :since order by at desc limit :limit")
                .bind("account", accountId).bind("login", login).bind("since", since).bind("limit", limit)
                .mapTo(Long.class).list();
    }

    static void addFailure(Handle h, long accountId, String login, long now, long forgetBefore) {
        h.createUpdate("delete from sign_in_failures where at < :before").bind("before", forgetBefore).execute();
        h.createUpdate("insert into sign_in_failures (account_id, login, at) values (:account, :login, :now)")
                .bind("account", accountId).bind("login", login).bind("now", now).execute();
    }

    static void clearFailures(Handle h, long accountId, String login) {
        h.createUpdate("delete from sign_in_failures where account_id = :account and login = :login")
                .bind("account", accountId).bind("login", login).execute();
    }

    record AuditRow(long id, long at, String by, String action, String object) {
    }

    /** The account's audit lines with ids below {@code beforeId}, newest first. */
    static List<AuditRow> audit(Handle h, long accountId, long beforeId, int limit) {
        return h.createQuery("select id, at, token_name, action, object from audit_log "
                        + "where account_id = :account and id < :before order by id desc limit :limit")
                .bind("account", accountId).bind("before", beforeId).bind("limit", limit)
                .map((rs, ctx) -> new AuditRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)))
                .list();
    }

    private static Integer nullableInt(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
