package dev.roster.access;

import dev.roster.error.RosterException;
import java.util.Set;

/**
 * Who is calling: the account, the user and the token of an authenticated request. Services take it to scope every
 * query to the account and to check the token's database access.
 *
 * @param dbIds     the databases the token reaches, or null for all of the account's
 * @param rateLimit the token's own rate limit, or null for the server's default
 */
public record Caller(long accountId, long userId, boolean master, long tokenId, String tokenName,
                     Set<Permission> permissions, Set<Long> dbIds, RateLimit rateLimit) {

    /** A caller under the server's default rate limit. */
    public Caller(long accountId, long userId, boolean master, long tokenId, String tokenName,
                  Set<Permission> permissions, Set<Long> dbIds) {
        this(accountId, userId, master, tokenId, tokenName, permissions, dbIds, null);
    }

    public boolean can(Permission permission) {
        return permissions.contains(permission);
    }

    public void require(Permission permission) {
        if (!can(permission)) {
            throw RosterException.forbidden("the token lacks the permission '" + permission.wireName() + "'");
        }
    }

    /** Master users only: tokens and users are theirs to manage. */
    public void requireMaster() {
        if (!master) {
            throw RosterException.forbidden("only a master user's token can manage tokens and users");
        }
    }

    public boolean reaches(long dbId) {
        return dbIds == null || dbIds.contains(dbId);
    }

    /** Database {@code dbId} of the caller's account exists; refuse it when outside the token's access. */
    public void requireReach(long dbId) {
        if (!reaches(dbId)) {
            throw RosterException.forbidden("the token has no access to database " + dbId);
        }
    }
}
