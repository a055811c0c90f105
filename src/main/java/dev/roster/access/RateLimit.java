package dev.roster.access;

/**
 * A token's own request rate: {@code perSecond} requests per second on average, up to {@code burst} at once.
 * Tokens without one get the server's default.
 */
public record RateLimit(int perSecond, int burst) {
    public RateLimit {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("a rate limit and its burst are at least 1");
        }
    }
}
