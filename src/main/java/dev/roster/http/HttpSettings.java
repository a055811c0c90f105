package dev.roster.http;

/**
 * Transport settings.
 *
 * @param maxBodyBytes   largest request body accepted (413 above)
 * @param maxDepth       deepest nesting of a JSON or XML body (400 above)
 * @param maxStringChars longest string (value or key) anywhere in a request body (400 above)
 * @param maxArrayItems  most items in any one array of a request body, tags and batches included (413 above)
 * @param rateLimit      requests per second per token by default; 0 means unlimited
 * @param rateBurst      requests a token may send at once before the rate applies (0: the rate, at least 1)
 * @param drainSeconds   how long a stopping server lets in-flight requests finish
 * @param alwaysHttp200  answer every request with HTTP 200, the error only in the envelope (even 413, 429, 500, 503)
 * @param httpErrorStatus mirror every error code of the envelope as the HTTP status (by default only 413, 429, 500
 *                        and 503 are; every other answer is HTTP 200 with the outcome in the envelope)
 */
public record HttpSettings(String bind, int port, long maxBodyBytes, int maxDepth, int maxStringChars,
                           int maxArrayItems, int rateLimit, int rateBurst, int drainSeconds, boolean alwaysHttp200,
                           boolean httpErrorStatus) {
    public static final long DEFAULT_MAX_BODY = 10L * 1024 * 1024;
    public static final int DEFAULT_MAX_STRING = 65_536;
    public static final int DEFAULT_MAX_ARRAY = 10_000;
    public static final int DEFAULT_DRAIN_SECONDS = 10;

    public HttpSettings {
        if (maxStringChars < 1 || maxArrayItems < 1 || maxDepth < 1 || maxBodyBytes < 1) {
            throw new IllegalArgumentException("body limits must be positive");
        }
        if (rateLimit < 0 || rateBurst < 0 || drainSeconds < 0) {
            throw new IllegalArgumentException("rate limit, burst and drain time cannot be negative");
        }
    }

    public HttpSettings(String bind, int port, long maxBodyBytes, int maxDepth, int maxStringChars, int maxArrayItems,
                        int rateLimit, int rateBurst, int drainSeconds, boolean alwaysHttp200) {
        this(bind, port, maxBodyBytes, maxDepth, maxStringChars, maxArrayItems, rateLimit, rateBurst, drainSeconds,
                alwaysHttp200, false);
    }

    /** The transport settings of the foundation; the newer limits take their defaults. */
    public HttpSettings(String bind, int port, long maxBodyBytes, int maxDepth, boolean alwaysHttp200) {
        this(bind, port, maxBodyBytes, maxDepth, DEFAULT_MAX_STRING, DEFAULT_MAX_ARRAY, 0, 0, DEFAULT_DRAIN_SECONDS,
                alwaysHttp200);
    }

    public static HttpSettings defaults(int port) {
        return new HttpSettings("127.0.0.1", port, DEFAULT_MAX_BODY, dev.roster.json.Json.DEFAULT_MAX_DEPTH, false);
    }

    public HttpSettings withBodyLimits(int maxStringChars, int maxArrayItems) {
        return new HttpSettings(bind, port, maxBodyBytes, maxDepth, maxStringChars, maxArrayItems, rateLimit, rateBurst,
                drainSeconds, alwaysHttp200, httpErrorStatus);
    }

    public HttpSettings withRate(int rateLimit, int rateBurst) {
        return new HttpSettings(bind, port, maxBodyBytes, maxDepth, maxStringChars, maxArrayItems, rateLimit, rateBurst,
                drainSeconds, alwaysHttp200, httpErrorStatus);
    }

    public HttpSettings withDrainSeconds(int drainSeconds) {
        return new HttpSettings(bind, port, maxBodyBytes, maxDepth, maxStringChars, maxArrayItems, rateLimit, rateBurst,
                drainSeconds, alwaysHttp200, httpErrorStatus);
    }

    public HttpSettings withHttpErrorStatus(boolean httpErrorStatus) {
        return new HttpSettings(bind, port, maxBodyBytes, maxDepth, maxStringChars, maxArrayItems, rateLimit, rateBurst,
                drainSeconds, alwaysHttp200, httpErrorStatus);
    }
}
