package dev.roster.account;

import dev.roster.access.Audit;
import dev.roster.access.Caller;
import dev.roster.access.Permission;
import dev.roster.access.RateLimit;
import dev.roster.account.AccountModel.Bootstrap;
import dev.roster.account.AccountModel.CreatedToken;
import dev.roster.account.AccountModel.CreatedUser;
import dev.roster.account.AccountModel.NewAccount;
import dev.roster.account.AccountModel.NewToken;
import dev.roster.account.AccountModel.NewUser;
import dev.roster.account.AccountModel.TokenInfo;
import dev.roster.account.AccountModel.UserInfo;
import dev.roster.error.RosterException;
import dev.roster.store.DuplicateKeyException;
import dev.roster.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * Accounts, users and tokens: the bootstrap of an empty store and the management methods. Who a request acts as is
 * {@link Authentication}'s.
 */
public final class AccountService {
    public static final String DEFAULT_ACCOUNT = "default";
    public static final String ADMIN_LOGIN = "admin";
    private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    /** The largest per-token rate limit or burst a token may be given. */
    public static final int MAX_RATE = 1_000_000;
    private static final Pattern ACCOUNT_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Store store;
    private final BiPredicate<Long, Long> databaseExists;
    private final Authentication authentication;

    /**
     * @param databaseExists (accountId, dbId) -> whether the account has that database, to check a token's db_ids
     * @param authentication whose cached lookup of a token this service's revocations invalidate
     */
    public AccountService(Store store, BiPredicate<Long, Long> databaseExists, Authentication authentication) {
        this.store = store;
        this.databaseExists = databaseExists;
        this.authentication = authentication;
    }

    /**
     * On an empty store: creates the account {@code default}, its master user {@code admin} and a first master token.
     * Returns them once; on any later start (or when another node did it first) returns empty.
     */
    public Optional<Bootstrap> bootstrapIfEmpty() {
        return store.write(h -> {
            long now = System.currentTimeMillis();
            Optional<Long> created = AccountSql.createAccountIfAbsent(h, DEFAULT_ACCOUNT, now);
            if (created.isEmpty()) {
                return Optional.empty();
            }
            String password = Secrets.newPassword();
            long userId = AccountSql.insertUser(h, created.get(), ADMIN_LOGIN, Secrets.passwordHash(password), true, now);
            String token = Secrets.newToken();
            AccountSql.insertToken(h, created.get(), userId, "bootstrap", Secrets.tokenHash(token),
                    Permission.encode(Permission.defaults()), null, now);
            Audit.record(h, created.get(), "bootstrap", "account.create", DEFAULT_ACCOUNT, now);
            return Optional.of(new Bootstrap(ADMIN_LOGIN, password, token));
        });
    }

    /**
     * For the command line: a second (third, ...) account with its master user {@code admin} and a master token.
     * A name already taken is a 409.
     */
    public NewAccount createAccount(String name) {
        if (name == null || !ACCOUNT_NAME.matcher(name).matches()) {
            throw RosterException.invalid("name", "1 to 64 letters, digits and . _ -", name);
        }
        String password = Secrets.newPassword();
        String passwordHash = Secrets.passwordHash(password);
        return store.write(h -> {
            long now = System.currentTimeMillis();
            long accountId = AccountSql.createAccountIfAbsent(h, name, now)
                    .orElseThrow(() -> RosterException.conflict("account '" + name + "' already exists"));
            long userId = AccountSql.insertUser(h, accountId, ADMIN_LOGIN, passwordHash, true, now);
            String token = Secrets.newToken();
            AccountSql.insertToken(h, accountId, userId, "command line", Secrets.tokenHash(token),
                    Permission.encode(Permission.defaults()), null, now);
            Audit.record(h, accountId, "command line", "account.create", name, now);
            return new NewAccount(name, ADMIN_LOGIN, password, token);
        });
    }

    /** For the command line: a new token for a user of the default account. */
    public String createTokenForLogin(String login, String name, List<String> permissions) {
        return createTokenForLogin(DEFAULT_ACCOUNT, login, name, permissions);
    }

    /** For the command line: a new token for a user of the named account. */
    public String createTokenForLogin(String accountName, String login, String name, List<String> permissions) {
        return store.write(h -> {
            long accountId = AccountSql.accountId(h, accountName)
                    .orElseThrow(() -> RosterException.notFound("account '" + accountName + "' does not exist"));
            AccountSql.UserRow user = AccountSql.user(h, accountId, login)
                    .orElseThrow(() -> RosterException.notFound("user '" + login + "' does not exist in account '"
                            + accountName + "'"));
            Set<Permission> granted = permissions == null || permissions.isEmpty()
                    ? Permission.defaults() : parsePermissions(permissions);
            String token = Secrets.newToken();
            long now = System.currentTimeMillis();
            long id = AccountSql.insertToken(h, accountId, user.id(), name, Secrets.tokenHash(token),
                    Permission.encode(granted), null, now);
            Audit.record(h, accountId, "command line", "token.create", "token " + id, now);
            return token;
        });
    }

    /** For the command line: every account with its id (queue messages name accounts by id), users and live tokens. */
    public List<AccountModel.AccountInfo> listAccounts() {
        return store.read(AccountSql::accounts).stream()
                .map(a -> new AccountModel.AccountInfo(a.id(), a.name(), time(a.createdAt()), a.users(), a.tokens()))
                .toList();
    }

    /**
     * The command line managing an account: it acts for the account's first master user, under the token name
     * {@code command line} (what audit lines show), with every permission: the person at the console holds the store.
     */
    public Caller accountCaller(String accountName) {
        return store.read(h -> {
            long accountId = AccountSql.accountId(h, accountName)
                    .orElseThrow(() -> RosterException.notFound("account '" + accountName + "' does not exist"));
            AccountSql.UserRow user = AccountSql.users(h, accountId).stream().filter(AccountSql.UserRow::master)
                    .findFirst()
                    .orElseThrow(() -> RosterException.notFound("account '" + accountName + "' has no master user"));
            return new Caller(accountId, user.id(), true, 0, "command line", EnumSet.allOf(Permission.class), null);
        });
    }

    /**
     * Sets a user's password (a new random one when {@code password} is null) and returns the new one when it was
     * generated, else null. Master only.
     */
    public String setPassword(Caller caller, String login, String password) {
        caller.requireMaster();
        String chosen = password == null ? Secrets.newPassword() : password;
        if (chosen.length() < 8) {
            throw RosterException.invalid("password", "at least 8 characters", chosen.length() + " characters");
        }
        String hash = Secrets.passwordHash(chosen);
        store.write(h -> {
            long now = System.currentTimeMillis();
            long userId = AccountSql.user(h, caller.accountId(), login)
                    .orElseThrow(() -> RosterException.notFound("user '" + login + "' does not exist")).id();
            AccountSql.setPassword(h, userId, hash);
            dev.roster.access.Audit.record(h, caller, "user.passwd", "user " + userId);
            return null;
        });
        return password == null ? chosen : null;
    }

    public CreatedToken createToken(Caller caller, NewToken command) {
        caller.requireMaster();
        Set<Permission> granted;
        if (command.permissions() == null) {
            granted = EnumSet.copyOf(caller.permissions());
            granted.remove(Permission.PROFILES_DELETE);
        } else {
            granted = parsePermissions(command.permissions());
            // a master user may grant profiles.delete explicitly; nothing else beyond what the creating token has
            for (Permission p : granted) {
                if (p != Permission.PROFILES_DELETE && !caller.can(p)) {
                    throw RosterException.forbidden("cannot grant '" + p.wireName() + "': the creating token lacks it");
                }
            }
        }
        Set<Long> dbIds = command.dbIds() == null ? null : new LinkedHashSet<>(command.dbIds());
        if (dbIds == null && caller.dbIds() != null) {
            dbIds = caller.dbIds();
        }
        if (dbIds != null) {
            for (long dbId : dbIds) {
                if (!databaseExists.test(caller.accountId(), dbId)) {
                    throw RosterException.notFound("database " + dbId + " not found");
                }
                caller.requireReach(dbId);
            }
        }
        Integer rate = rateParameter("rate_limit", command.rateLimit());
        Integer burst = rateParameter("rate_burst", command.rateBurst());
        if (burst != null && rate == null) {
            throw RosterException.badRequest("'rate_burst' needs 'rate_limit': send both, or neither for the server's default");
        }
        String token = Secrets.newToken();
        Set<Long> reach = dbIds;
        long id = store.write(h -> {
            long now = System.currentTimeMillis();
            long userId = caller.userId();
            if (command.login() != null) {
                userId = AccountSql.user(h, caller.accountId(), command.login())
                        .orElseThrow(() -> RosterException.notFound("user '" + command.login() + "' not found")).id();
            }
            long tokenId = AccountSql.insertToken(h, caller.accountId(), userId, command.name(),
                    Secrets.tokenHash(token), Permission.encode(granted), encodeDbIds(reach), rate, burst, now);
            Audit.record(h, caller.accountId(), caller.tokenName(), "token.create", "token " + tokenId, now);
            return tokenId;
        });
        return new CreatedToken(id, token);
    }

    public List<TokenInfo> listTokens(Caller caller) {
        caller.requireMaster();
        return store.read(h -> AccountSql.tokens(h, caller.accountId())).stream()
                .map(t -> new TokenInfo(t.id(), t.name(), t.login(),
                        Permission.decode(t.permissions()).stream().map(Permission::wireName).toList(),
                        t.dbIds() == null ? "all" : decodeDbIds(t.dbIds()),
                        time(t.createdAt()), time(t.lastUsedAt()), time(t.revokedAt()), t.rateLimit(),
                        t.rateLimit() == null ? null : rateLimit(t.rateLimit(), t.rateBurst()).burst()))
                .toList();
    }

    public void revokeToken(Caller caller, long tokenId) {
        caller.requireMaster();
        String hash = store.write(h -> {
            long now = System.currentTimeMillis();
            if (!AccountSql.revoke(h, caller.accountId(), tokenId, now)) {
                throw RosterException.notFound("token " + tokenId + " not found");
            }
            Audit.record(h, caller.accountId(), caller.tokenName(), "token.revoke", "token " + tokenId, now);
            return AccountSql.tokenHash(h, tokenId).orElseThrow();
        });
        authentication.forget(hash);
    }

    public CreatedUser createUser(Caller caller, NewUser command) {
        caller.requireMaster();
        if (!LOGIN.matcher(command.login()).matches()) {
            throw RosterException.invalid("login", "1 to 64 characters of letters, digits and . _ @ -", command.login());
        }
        String password = command.password() == null ? Secrets.newPassword() : command.password();
        if (password.length() < 8) {
            throw RosterException.invalid("password", "at least 8 characters", password.length() + " characters");
        }
        String hash = Secrets.passwordHash(password);
        try {
            long id = store.write(h -> {
                long now = System.currentTimeMillis();
                long userId = AccountSql.insertUser(h, caller.accountId(), command.login(), hash, command.master(), now);
                Audit.record(h, caller.accountId(), caller.tokenName(), "user.create", "user " + userId, now);
                return userId;
            });
            return new CreatedUser(id, command.login(), command.password() == null ? password : null);
        } catch (DuplicateKeyException e) {
            throw RosterException.conflict("login '" + command.login() + "' is already taken");
        }
    }

    public List<UserInfo> listUsers(Caller caller) {
        caller.requireMaster();
        return store.read(h -> AccountSql.users(h, caller.accountId())).stream()
                .map(u -> new UserInfo(u.id(), u.login(), u.master(), time(u.createdAt())))
                .toList();
    }

    /** Failed sign-ins of one login within {@link #LOCK_WINDOW} that lock it for {@link #LOCK_TIME}. */
    public static final int LOCK_AFTER = 5;
    public static final Duration LOCK_WINDOW = Duration.ofMinutes(15);
    public static final Duration LOCK_TIME = Duration.ofMinutes(15);
    /** Compared against when the login is unknown, so a wrong login takes as long as a wrong password. */
    private static final String DUMMY_HASH = Secrets.passwordHash(Secrets.newPassword());

    /** Whether the instance holds more than one account: then a sign-in names its account. */
    public boolean severalAccounts() {
        return store.read(AccountSql::accountCount) > 1;
    }

    /**
     * A person's sign-in with login and password. The account may be left blank while the login exists in only one
     * account. Five failures of one login within 15 minutes lock it for 15 minutes: while locked, even the right
     * password is refused (429), and the answer says until when.
     */
    public AccountModel.SignedIn signIn(String accountName, String login, String password) {
        String who = login == null ? "" : login.strip();
        if (who.isEmpty() || password == null || password.isEmpty()) {
            throw RosterException.badRequest("enter your login and your password");
        }
        long now = System.currentTimeMillis();
        long accountId = store.read(h -> {
            if (accountName != null && !accountName.isBlank()) {
                return AccountSql.accountId(h, accountName.strip()).orElse(-1L);
            }
            List<Long> accounts = AccountSql.accountsWithLogin(h, who);
            if (accounts.size() > 1) {
                throw RosterException.badRequest("the login '" + who + "' exists in several accounts: enter the account too");
            }
            return accounts.isEmpty() ? AccountSql.firstAccountId(h).orElse(-1L) : accounts.get(0);
        });
        if (accountId < 0) {
            Secrets.passwordMatches(password, DUMMY_HASH);
            throw RosterException.unauthorized("wrong account, login or password");
        }
        Long lockedUntil = lockedUntil(accountId, who, now);
        if (lockedUntil != null) {
            throw new RosterException(dev.roster.error.ErrorCode.RATE_LIMITED, "the login '" + who + "' is locked after "
                    + LOCK_AFTER + " failed sign-ins; try again after " + Instant.ofEpochMilli(lockedUntil)
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " (UTC)");
        }
        Optional<AccountSql.UserRow> user = store.read(h -> AccountSql.user(h, accountId, who));
        String hash = user.flatMap(u -> store.read(h -> AccountSql.passwordHash(h, u.id()))).orElse(DUMMY_HASH);
        boolean matches = Secrets.passwordMatches(password, hash);
        if (user.isEmpty() || !matches) {
            int failures = store.write(h -> {
                AccountSql.addFailure(h, accountId, who, now, now - Duration.ofDays(1).toMillis());
                return AccountSql.recentFailures(h, accountId, who, now - LOCK_WINDOW.toMillis(), LOCK_AFTER).size();
            });
            if (failures >= LOCK_AFTER) {
                throw new RosterException(dev.roster.error.ErrorCode.RATE_LIMITED, "wrong login or password; after "
                        + LOCK_AFTER + " failed sign-ins the login '" + who + "' is locked for "
                        + LOCK_TIME.toMinutes() + " minutes");
            }
            throw RosterException.unauthorized("wrong login or password (" + (LOCK_AFTER - failures)
                    + " more failed attempts lock the login for " + LOCK_TIME.toMinutes() + " minutes)");
        }
        AccountSql.UserRow u = user.get();
        return store.write(h -> {
            AccountSql.clearFailures(h, accountId, who);
            Audit.record(h, accountId, u.login(), "user.sign_in", "user " + u.id(), now);
            return new AccountModel.SignedIn(accountId, AccountSql.accountName(h, accountId).orElseThrow(), u.id(),
                    u.login(), u.master());
        });
    }

    /** When the login's lock ends, or null when it is not locked: the last five failures within the window lock it. */
    private Long lockedUntil(long accountId, String login, long now) {
        List<Long> recent = store.read(h -> AccountSql.recentFailures(h, accountId, login,
                now - LOCK_WINDOW.toMillis() - LOCK_TIME.toMillis(), LOCK_AFTER));
        if (recent.size() < LOCK_AFTER) {
            return null;
        }
        long newest = recent.get(0);
        long oldest = recent.get(recent.size() - 1);
        long until = newest + LOCK_TIME.toMillis();
        return newest - oldest <= LOCK_WINDOW.toMillis() && now < until ? until : null;
    }

    /**
     * The person behind a console session, as a caller: their login is the name history and audit lines show. Master
     * users may do everything; other users read and edit profiles and subscriptions but manage no catalog, tokens or
     * users. A user that no longer exists is a 401.
     */
    public Caller userCaller(long accountId, long userId) {
        AccountSql.UserRow user = store.read(h -> AccountSql.userById(h, accountId, userId))
                .orElseThrow(() -> RosterException.unauthorized("the user of this session no longer exists"));
        Set<Permission> permissions = user.master() ? EnumSet.allOf(Permission.class)
                : EnumSet.of(Permission.PROFILES_READ, Permission.PROFILES_WRITE, Permission.PROFILES_DELETE,
                        Permission.SUBSCRIPTIONS_WRITE, Permission.CATALOG_READ, Permission.HISTORY_READ);
        return new Caller(accountId, user.id(), user.master(), 0, user.login(), permissions, null);
    }

    /** A user changes their own password: the current one must be right; the new one has at least 8 characters. */
    public void changePassword(Caller caller, String current, String next) {
        String stored = store.read(h -> AccountSql.passwordHash(h, caller.userId()))
                .orElseThrow(() -> RosterException.notFound("user " + caller.userId() + " not found"));
        if (current == null || !Secrets.passwordMatches(current, stored)) {
            throw RosterException.invalid("current_password", "your current password", "a wrong password");
        }
        checkNewPassword(next);
        String hash = Secrets.passwordHash(next);
        store.write(h -> {
            AccountSql.setPasswordHash(h, caller.userId(), hash);
            Audit.record(h, caller.accountId(), caller.tokenName(), "user.password", "user " + caller.userId(),
                    System.currentTimeMillis());
            return null;
        });
    }

    /** A master user gives another user of the account a new random password, returned once. */
    public String resetPassword(Caller caller, long userId) {
        caller.requireMaster();
        String password = Secrets.newPassword();
        String hash = Secrets.passwordHash(password);
        store.write(h -> {
            AccountSql.userById(h, caller.accountId(), userId)
                    .orElseThrow(() -> RosterException.notFound("user " + userId + " not found"));
            AccountSql.setPasswordHash(h, userId, hash);
            Audit.record(h, caller.accountId(), caller.tokenName(), "user.password_reset", "user " + userId,
                    System.currentTimeMillis());
            return null;
        });
        return password;
    }

    private static void checkNewPassword(String password) {
        if (password == null || password.length() < 8) {
            throw RosterException.invalid("new_password", "at least 8 characters",
                    (password == null ? 0 : password.length()) + " characters");
        }
        if (password.length() > 200) {
            throw RosterException.invalid("new_password", "at most 200 characters", password.length() + " characters");
        }
    }

    /** The account's audit lines with ids below {@code beforeId} (0: from the newest), newest first. */
    public List<AccountModel.AuditLine> auditLog(Caller caller, long beforeId, int limit) {
        long before = beforeId <= 0 ? Long.MAX_VALUE : beforeId;
        return store.read(h -> AccountSql.audit(h, caller.accountId(), before, limit)).stream()
                .map(r -> new AccountModel.AuditLine(r.id(), time(r.at()), r.by(), r.action(), r.object()))
                .toList();
    }

    private static Integer rateParameter(String name, Long value) {
        if (value == null) {
            return null;
        }
        if (value < 1 || value > MAX_RATE) {
            throw RosterException.invalid(name, "an integer from 1 to " + MAX_RATE + " (requests per second)", value);
        }
        return value.intValue();
    }

    /** A stored rate limit; without its own burst a token may send one second's worth at once. */
    static RateLimit rateLimit(Integer rate, Integer burst) {
        return rate == null ? null : new RateLimit(rate, burst == null ? rate : burst);
    }

    private static Set<Permission> parsePermissions(List<String> names) {
        Set<Permission> set = EnumSet.noneOf(Permission.class);
        for (String name : names) {
            set.add(Permission.parse(name, "permissions"));
        }
        return set;
    }

    private static String encodeDbIds(Set<Long> dbIds) {
        return dbIds == null ? null : dbIds.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    static Set<Long> decodeDbIds(String stored) {
        if (stored == null) {
            return null;
        }
        Set<Long> ids = new LinkedHashSet<>();
        for (String part : stored.split(",")) {
            if (!part.isBlank()) {
                ids.add(Long.parseLong(part));
            }
        }
        return ids;
    }

    private static String time(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis).toString();
    }

}
