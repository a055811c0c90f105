package dev.roster.idempotency;

import dev.roster.error.RosterException;
import dev.roster.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Idempotency keys (docs/API.md, "Idempotency keys"): the first request with a key claims it in the store and its
 * answer is kept 24 hours; a repeat with the same request gets that answer; the same key with another request is a
 * 409; a repeat while the first runs waits for it. The claim is a row taken with INSERT ... ON CONFLICT, so it holds
 * across nodes and restarts. A running claim is renewed by its node; one that stops being renewed (its node died, and
 * with it the request's uncommitted work) is taken over by the next repeat.
 */
public final class IdempotencyService implements AutoCloseable {
    public static final int MAX_KEY_LENGTH = 255;
    private static final Duration KEEP = Duration.ofHours(24);
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration MAX_WAIT = Duration.ofMinutes(5);

    private final Store store;
    private final String owner = UUID.randomUUID().toString();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "roster-idempotency");
        t.setDaemon(true);
        return t;
    });

    public IdempotencyService(Store store) {
        this.store = store;
        timers.scheduleWithFixedDelay(this::expire, 1, 10, TimeUnit.MINUTES);
    }

    /** A kept answer: what the first request got. */
    public record Answer(int status, String contentType, String body) {
    }

    /** What to do with a keyed request: run it under {@code claim}, or answer {@code replay}. */
    public record Outcome(Claim claim, Answer replay) {
    }

    /** The right to run the request of a key; {@link #complete} or {@link #abandon} it. */
    public final class Claim {
        private final long accountId;
        private final String key;
        private final ScheduledFuture<?> renewal;

        private Claim(long accountId, String key) {
            this.accountId = accountId;
            this.key = key;
            long every = LEASE.toMillis() / 3;
            this.renewal = timers.scheduleWithFixedDelay(() -> renew(accountId, key), every, every, TimeUnit.MILLISECONDS);
        }

        /** Keeps the answer for the repeats. */
        public void complete(Answer answer) {
            renewal.cancel(false);
            store.write(h -> {
                IdempotencySql.complete(h, accountId, key, owner, answer.status(), answer.contentType(), answer.body());
                return null;
            });
        }

        /** The request did not run to an answer worth keeping (storage unavailable, internal error): a repeat runs. */
        public void abandon() {
            renewal.cancel(false);
            store.write(h -> {
                IdempotencySql.abandon(h, accountId, key, owner);
                return null;
            });
        }
    }

    /** The key, checked: 1 to 255 printable ASCII characters; a 400 naming where it came from otherwise. */
    public static String checkKey(String key, String source) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw RosterException.invalid(source, "1 to " + MAX_KEY_LENGTH + " printable characters", key.length()
                    + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw RosterException.badRequest(source + ": expected 1 to " + MAX_KEY_LENGTH
                        + " printable ASCII characters, got a character " + String.format("U+%04X", (int) c)
                        + " at position " + (i + 1));
            }
        }
        return key;
    }

    /** The fingerprint of a request: the method and the exact body. */
    public static String requestHash(String method, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(method.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(body);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claims the key, or waits for the running first request and answers what it answered. */
    public Outcome begin(long accountId, String key, String hash) {
        long deadline = System.currentTimeMillis() + MAX_WAIT.toMillis();
        long pause = 10;
        while (true) {
            long now = System.currentTimeMillis();
            boolean claimed = store.write(h -> IdempotencySql.claim(h, accountId, key, hash, owner, now,
                    now + LEASE.toMillis(), now - KEEP.toMillis()));
            if (claimed) {
                return new Outcome(new Claim(accountId, key), null);
            }
            // someone holds it: wait (reading only) until it has an answer, disappears or its node stopped renewing
            while (true) {
                IdempotencySql.Row row = store.read(h -> IdempotencySql.find(h, accountId, key)).orElse(null);
                long t = System.currentTimeMillis();
                if (row == null || row.createdAt() < t - KEEP.toMillis()) {
                    break;
                }
                if (!row.requestHash().equals(hash)) {
                    throw RosterException.conflict("the idempotency key '" + key + "' was already used with another "
                            + "request (another method or body) within the last 24 hours; send a new key for a new "
                            + "request");
                }
                if (row.state().equals("done")) {
                    return new Outcome(null, new Answer(row.status(), row.contentType(), row.body()));
                }
                if (row.leaseUntil() < t) {
                    break;
                }
                if (t > deadline) {
                    throw RosterException.conflict("the first request with the idempotency key '" + key
                            + "' is still running after " + MAX_WAIT.toMinutes() + " minutes; retry later");
                }
                sleep(pause);
                pause = Math.min(250, pause * 2);
            }
        }
    }

    private void renew(long accountId, String key) {
        try {
            store.write(h -> {
                IdempotencySql.renew(h, accountId, key, owner, System.currentTimeMillis() + LEASE.toMillis());
                return null;
            });
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(IdempotencyService.class).warn("idempotency lease: {}", e.toString());
        }
    }

    private void expire() {
        try {
            store.write(h -> IdempotencySql.expire(h, System.currentTimeMillis() - KEEP.toMillis()));
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(IdempotencyService.class).warn("idempotency expiry: {}", e.toString());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the first request of an idempotency key");
        }
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
