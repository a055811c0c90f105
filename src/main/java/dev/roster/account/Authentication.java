package dev.roster.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.roster.access.Caller;
import dev.roster.access.Permission;
import dev.roster.error.RosterException;
import dev.roster.store.Store;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;

/**
 * Who a request acts as: an API token looked up (and cached for a few seconds), the command line's user, or the
 * import queue's caller of an account. Administration of accounts, users and tokens is {@link AccountService}'s.
 */
public final class Authentication {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Authentication.class);
    /** How long a token lookup is cached; revocation on this node invalidates at once, on another node within this. */
    private static final Duration TOKEN_CACHE = Duration.ofSeconds(5);
    /** last_used_at is written at most this often per token, so reads stay reads. */
    private static final long TOUCH_EVERY_MILLIS = 60_000;
    /** The token name queue writes act under. */
    public static final String QUEUE_TOKEN_NAME = "queue";

    private final Store store;
    private final Cache<String, Optional<AccountSql.TokenRow>> tokens = Caffeine.newBuilder()
            .expireAfterWrite(TOKEN_CACHE).maximumSize(10_000).build();
    private final Cache<Long, Caller> queueCallers = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(1)).maximumSize(10_000).build();
    private final Counter failedAuthentications;
    /** Tokens whose last use is being written now. */
    private final java.util.Set<Long> touching = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public Authentication(Store store, MeterRegistry metrics) {
        this.store = store;
        this.failedAuthentications = Counter.builder("roster.auth.failures")
                .description("requests refused with 401").register(metrics);
    }

    /**
     * The command line acting for a user of an account, with every permission but {@code profiles.delete}: the person
     * at the console already holds the store itself.
     */
    public Caller localCaller(String accountName, String login) {
        return store.read(h -> {
            long accountId = AccountSql.accountId(h, accountName)
                    .orElseThrow(() -> RosterException.notFound("account '" + accountName + "' does not exist"));
            AccountSql.UserRow user = AccountSql.user(h, accountId, login)
                    .orElseThrow(() -> RosterException.notFound("user '" + login + "' does not exist"));
            return new Caller(accountId, user.id(), user.master(), 0, "command line", Permission.defaults(), null);
        });
    }

    /**
     * Who a message of the import queue acts as: it names an account and carries no token (see docs/API.md), so it acts
     * for the account's first master user, under the token name {@code queue} (what audit lines and history show),
     * with the permission to write profiles, in every database of the account. Looked up once a minute per account.
     */
    public Caller queueCaller(long accountId) {
        Caller cached = queueCallers.getIfPresent(accountId);
        if (cached != null) {
            return cached;
        }
        // an unknown account is not cached: it may be created a moment later
        Caller caller = store.read(h -> AccountSql.users(h, accountId)).stream()
                .filter(AccountSql.UserRow::master).findFirst()
                .map(u -> new Caller(accountId, u.id(), true, 0, QUEUE_TOKEN_NAME,
                        EnumSet.of(Permission.PROFILES_WRITE, Permission.SUBSCRIPTIONS_WRITE), null))
                .orElseThrow(() -> RosterException.notFound("account " + accountId + " not found"));
        queueCallers.put(accountId, caller);
        return caller;
    }

    public Caller authenticate(String token) {
        if (token == null || token.isBlank()) {
            failedAuthentications.increment();
            throw RosterException.unauthorized("API token required: send 'Authorization: Bearer <token>' or a 'token' parameter");
        }
        if (!Secrets.looksLikeToken(token)) {
            failedAuthentications.increment();
            throw RosterException.unauthorized("unknown API token (a token is 32 lowercase hex characters)");
        }
        String hash = Secrets.tokenHash(token);
        Optional<AccountSql.TokenRow> row = tokens.get(hash, k -> store.read(h -> AccountSql.tokenByHash(h, k)));
        if (row.isEmpty()) {
            failedAuthentications.increment();
            throw RosterException.unauthorized("unknown API token");
        }
        AccountSql.TokenRow t = row.get();
        if (t.revokedAt() != null) {
            failedAuthentications.increment();
            throw RosterException.unauthorized("API token revoked at " + Instant.ofEpochMilli(t.revokedAt()));
        }
        touchIfStale(hash, t);
        return new Caller(t.accountId(), t.userId(), t.master(), t.id(), t.name(),
                Permission.decode(t.permissions()), AccountService.decodeDbIds(t.dbIds()), AccountService.rateLimit(t.rateLimit(), t.rateBurst()));
    }

    /**
     * Records the token's use when the stored last use is older than {@link #TOUCH_EVERY_MILLIS}: once, however many
     * requests arrive together, and beside the request rather than in it. The write waits for the token's row (or, on
     * SQLite, for the store's one writer), and a read must not wait with it.
     */
    private void touchIfStale(String hash, AccountSql.TokenRow t) {
        long now = System.currentTimeMillis();
        if (t.lastUsedAt() != null && now - t.lastUsedAt() <= TOUCH_EVERY_MILLIS) {
            return;
        }
        tokens.put(hash, Optional.of(t.touched(now)));
        if (!touching.add(t.id())) {
            return;
        }
        Thread.ofVirtual().name("roster-token-touch-" + t.id()).start(() -> {
            try {
                store.write(h -> {
                    AccountSql.touch(h, t.id(), now);
                    return null;
                });
            } catch (RuntimeException e) {
                log.warn("could not record the last use of token {}: {}", t.id(), e.toString());
            } finally {
                touching.remove(t.id());
            }
        });
    }

    /** Drops the cached lookup of a token (by its hash), after a revocation on this node. */
    void forget(String tokenHash) {
        tokens.invalidate(tokenHash);
    }
}
