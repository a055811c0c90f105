package dev.roster.account;

import java.util.List;

/** The records of the account feature, as commands and as answers (snake_case on the wire). */
public final class AccountModel {
    private AccountModel() {
    }

    /**
     * @param login     the user the token acts for; null for the calling user
     * @param rateLimit the token's own requests per second; null for the server's default
     * @param rateBurst the token's own burst; null for its rate limit
     */
    public record NewToken(String name, List<String> permissions, List<Long> dbIds, String login, Long rateLimit,
                           Long rateBurst) {
        public NewToken(String name, List<String> permissions, List<Long> dbIds, String login) {
            this(name, permissions, dbIds, login, null, null);
        }
    }

    public record CreatedToken(long id, String token) {
    }

    /** @param rateLimit the token's own rate limit and burst; null when the server's default applies */
    public record TokenInfo(long id, String name, String user, List<String> permissions, Object dbIds,
                            String createdAt, String lastUsedAt, String revokedAt, Integer rateLimit,
                            Integer rateBurst) {
    }

    public record NewUser(String login, String password, boolean master) {
    }

    public record CreatedUser(long id, String login, String password) {
    }

    public record UserInfo(long id, String login, boolean master, String createdAt) {
    }

    /** A person signed in with login and password (the console). */
    public record SignedIn(long accountId, String accountName, long userId, String login, boolean master) {
    }

    /** One line of the account's audit log: who (token name or user login) did what to which object, when. */
    public record AuditLine(long id, String at, String by, String action, String object) {
    }

    /** What the first start of an empty store created, printed once. */
    public record Bootstrap(String login, String password, String token) {
    }

    /** A new account made from the command line: its master user's password and a master token. */
    public record NewAccount(String name, String login, String password, String token) {
    }

    /** An account as {@code roster account list} shows it; {@code tokens} counts the tokens not revoked. */
    public record AccountInfo(long id, String name, String createdAt, int users, int tokens) {
    }

    public record IdOnly(long id) {
    }
}
