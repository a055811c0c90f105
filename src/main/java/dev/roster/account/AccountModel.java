package dev.roster.account;

import java.util.List;

/** The records of the account feature, as commands and as answers (snake_case on the wire). */
public final class AccountModel {
    private AccountModel() {
    }

    /** @param login the user the token acts for; null for the calling user */
    public record NewToken(String name, List<String> permissions, List<Long> dbIds, String login) {
    }

    public record CreatedToken(long id, String token) {
    }

    public record TokenInfo(long id, String name, String user, List<String> permissions, Object dbIds,
                            String createdAt, String lastUsedAt, String revokedAt) {
    }

    public record NewUser(String login, String password, boolean master) {
    }

    public record CreatedUser(long id, String login, String password) {
    }

    public record UserInfo(long id, String login, boolean master, String createdAt) {
    }

    /** What the first start of an empty store created, printed once. */
    public record Bootstrap(String login, String password, String token) {
    }

    public record IdOnly(long id) {
    }
}
