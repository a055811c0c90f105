package dev.roster.http;

import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per API request on the logger {@code roster.access}: method, path, error code, HTTP status, duration and
 * token name (the request id comes from the log context). Never the token itself, a password, the query string or
 * the body: those carry secrets and personal data.
 */
final class AccessLog {
    static final String TOKEN = "roster.token";
    static final String ERROR = "roster.error";
    static final String START = "roster.start";
    private static final Logger log = LoggerFactory.getLogger("roster.access");

    private AccessLog() {
    }

    static void start(Context ctx) {
        ctx.attribute(START, System.nanoTime());
    }

    static void write(Context ctx) {
        if (!ctx.path().startsWith("/api/") || !log.isInfoEnabled()) {
            return;
        }
        Long start = ctx.attribute(START);
        long micros = start == null ? 0 : (System.nanoTime() - start) / 1000;
        Integer error = ctx.attribute(ERROR);
        String token = ctx.attribute(TOKEN);
        int status = ctx.statusCode();
        String method = ctx.method().name();
        String path = ctx.path();
        log.atInfo()
                .addKeyValue("method", method)
                .addKeyValue("path", path)
                .addKeyValue("error", error == null ? status : error)
                .addKeyValue("status", status)
                .addKeyValue("duration_ms", micros / 1000.0)
                .addKeyValue("token_name", token == null ? "-" : token)
                .log("{} {} error={} status={} {} ms token={}", method, path, error == null ? status : error, status,
                        String.format(java.util.Locale.ROOT, "%.1f", micros / 1000.0),
                        token == null ? "-" : '"' + token.replace("\"", "'") + '"');
    }
}
