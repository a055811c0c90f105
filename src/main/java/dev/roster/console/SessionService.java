package dev.roster.console;

import dev.roster.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Server-side console sessions kept in the store, so they survive a restart and hold across nodes. The cookie carries
 * a random id of 256 bits; the store keeps only its SHA-256, so a copy of the store opens no session. A session ends
 * after 30 minutes without a request, after 12 hours in any case, and at sign-out.
 */
public final class SessionService {
    public static final Duration IDLE = Duration.ofMinutes(30);
    public static final Duration MAX_AGE = Duration.ofHours(12);
    /** seen_at is written at most this often per session, so page views stay reads. */
    private static final long TOUCH_EVERY_MILLIS = 60_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A live session: {@code id} is the cookie's value; {@code csrf} must come with every state-changing form. */
    public record Session(String id, long accountId, long userId, String csrf) {
    }

    private final Store store;

    public SessionService(Store store) {
        this.store = store;
    }

    public Session create(long accountId, long userId) {
        String id = random();
        String csrf = random();
        long now = System.currentTimeMillis();
        store.write(h -> {
            SessionSql.deleteExpired(h, now - IDLE.toMillis(), now - MAX_AGE.toMillis());
            SessionSql.insert(h, new SessionSql.Row(hash(id), accountId, userId, csrf, now, now));
            return null;
        });
        return new Session(id, accountId, userId, csrf);
    }

    /** The live session of that id; an idle or too old one is ended and not found. */
    public Optional<Session> find(String id) {
        if (id == null || id.length() < 20 || id.length() > 100) {
            return Optional.empty();
        }
        String idHash = hash(id);
        Optional<SessionSql.Row> row = store.read(h -> SessionSql.find(h, idHash));
        if (row.isEmpty()) {
            return Optional.empty();
        }
        SessionSql.Row r = row.get();
        long now = System.currentTimeMillis();
        if (now - r.seenAt() > IDLE.toMillis() || now - r.createdAt() > MAX_AGE.toMillis()) {
            end(id);
            return Optional.empty();
        }
        if (now - r.seenAt() > TOUCH_EVERY_MILLIS) {
            store.write(h -> {
                SessionSql.touch(h, idHash, now);
                return null;
            });
        }
        return Optional.of(new Session(id, r.accountId(), r.userId(), r.csrf()));
    }

    public void end(String id) {
        if (id == null) {
            return;
        }
        store.write(h -> {
            SessionSql.delete(h, hash(id));
            return null;
        });
    }

    /** Ends the user's other sessions (after a password change), or all of them when {@code keepId} is null. */
    public void endOthers(long userId, String keepId) {
        String keep = keepId == null ? "" : hash(keepId);
        store.write(h -> {
            SessionSql.deleteOfUser(h, userId, keep);
            return null;
        });
    }

    /** 256 random bits, URL-safe. */
    public static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Compares two secrets in constant time; false when either is missing. */
    public static boolean same(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8),
                b.getBytes(StandardCharsets.UTF_8));
    }

    private static String hash(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(id.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
