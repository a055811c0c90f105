package dev.roster.http;

/**
 * Transport settings.
 *
 * @param maxBodyBytes  largest request body accepted (413 above)
 * @param maxDepth      deepest nesting of a JSON or XML body (400 above)
 * @param alwaysHttp200 answer every request with HTTP 200, the error only in the envelope
 */
public record HttpSettings(String bind, int port, long maxBodyBytes, int maxDepth, boolean alwaysHttp200) {
    public static final long DEFAULT_MAX_BODY = 10L * 1024 * 1024;

    public static HttpSettings defaults(int port) {
        return new HttpSettings("127.0.0.1", port, DEFAULT_MAX_BODY, dev.roster.json.Json.DEFAULT_MAX_DEPTH, false);
    }
}
