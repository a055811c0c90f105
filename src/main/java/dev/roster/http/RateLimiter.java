package dev.roster.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.roster.access.Caller;
import dev.roster.access.RateLimit;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket per token, in memory on this server: each token may send {@code burst} requests at once, then
 * {@code perSecond} a second. A token's own limit wins over the server's default; the default 0 means unlimited.
 */
final class RateLimiter {
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final RateLimit serverDefault;
    private final LongSupplier clock;
    // a bucket idle this long is full again anyway, so forgetting it changes nothing
    private final Cache<Long, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000).build();

    RateLimiter(int perSecond, int burst, LongSupplier clock) {
        this.serverDefault = perSecond == 0 ? null : new RateLimit(perSecond, burst == 0 ? perSecond : burst);
        this.clock = clock;
    }

    /** Takes one request from the caller's bucket: 0 when allowed, else the whole seconds to wait (at least 1). */
    long secondsToWait(Caller caller) {
        RateLimit limit = caller.rateLimit() != null ? caller.rateLimit() : serverDefault;
        if (limit == null) {
            return 0;
        }
        Bucket bucket = buckets.get(caller.tokenId(), id -> new Bucket(limit, clock.getAsLong()));
        long waitNanos = bucket.take(limit, clock.getAsLong());
        if (waitNanos == 0) {
            return 0;
        }
        return Math.max(1, (waitNanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
    }

    /** Tokens are counted in nanos of refill time, so the arithmetic stays in longs. */
    private static final class Bucket {
        private long level;
        private long updatedAt;

        Bucket(RateLimit limit, long now) {
            this.level = capacity(limit);
            this.updatedAt = now;
        }

        private static long capacity(RateLimit limit) {
            return (long) limit.burst() * NANOS_PER_SECOND;
        }

        synchronized long take(RateLimit limit, long now) {
            long elapsed = Math.max(0, now - updatedAt);
            updatedAt = now;
            long refill = elapsed > Long.MAX_VALUE / limit.perSecond() ? Long.MAX_VALUE : elapsed * limit.perSecond();
            level = Math.min(capacity(limit), level > Long.MAX_VALUE - refill ? Long.MAX_VALUE : level + refill);
            if (level >= NANOS_PER_SECOND) {
                level -= NANOS_PER_SECOND;
                return 0;
            }
            return (NANOS_PER_SECOND - level + limit.perSecond() - 1) / limit.perSecond();
        }
    }
}
