package dev.roster.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Caller;
import dev.roster.error.ErrorCode;
import dev.roster.error.RosterException;
import dev.roster.store.DuplicateKeyException;
import dev.roster.store.StoreUnavailableException;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** {@code POST /api/v1.1/<group>/<method>}: body, token, permission, method, envelope, metrics. */
final class ApiHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

    private final ApiRegistry registry;
    private final Authenticator authenticator;
    private final RequestBody body;
    private final Envelope envelope;
    private final MeterRegistry metrics;
    private final java.util.concurrent.ConcurrentHashMap<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();
    private final RateLimiter rateLimiter;

    ApiHandler(ApiRegistry registry, Authenticator authenticator, HttpSettings settings, MeterRegistry metrics) {
        this.registry = registry;
        this.authenticator = authenticator;
        this.body = new RequestBody(settings);
        this.envelope = new Envelope(settings.alwaysHttp200());
        this.metrics = metrics;
        this.rateLimiter = new RateLimiter(settings.rateLimit(), settings.rateBurst(), System::nanoTime);
    }

    void handle(Context ctx) {
        long start = System.nanoTime();
        String name = ctx.pathParam("group") + "/" + ctx.pathParam("method");
        ApiMethod<?> method = registry.find(name);
        boolean xml = Envelope.wantsXml(ctx);
        int code = 0;
        try {
            if (method == null) {
                throw RosterException.notFound("unknown method '" + name + "'");
            }
            byte[] bytes = body.read(ctx.req().getInputStream(), ctx.req().getContentLengthLong());
            // the raw header: the servlet's getContentType() throws on a charset the JVM does not know
            boolean xmlBody = RequestBody.isXml(ctx.header("Content-Type"), bytes);
            ObjectNode params = body.decode(bytes, xmlBody);
            xml = respondInXml(ctx, params, xml);
            Caller caller = authenticator.authenticate(findToken(ctx, params));
            refuseOverRate(ctx, caller);
            caller.require(method.permission());
            Reply reply = method.call(caller, new Params(params, xmlBody));
            envelope.success(ctx, reply.fields(), xml);
        } catch (RuntimeException | IOException e) {
            code = fail(ctx, e, xml);
        } finally {
            timer(method == null ? "unknown" : name, code)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private Timer timer(String method, int code) {
        return timers.computeIfAbsent(method + ' ' + code, k -> Timer.builder("roster.requests")
                .description("API requests by method and error code")
                .tag("method", method)
                .tag("error", Integer.toString(code))
                .publishPercentileHistogram()
                .register(metrics));
    }

    private void refuseOverRate(Context ctx, Caller caller) {
        long wait = rateLimiter.secondsToWait(caller);
        if (wait > 0) {
            ctx.header("Retry-After", Long.toString(wait));
            throw new RosterException(ErrorCode.RATE_LIMITED, "rate limit of the token exceeded: retry in "
                    + wait + (wait == 1 ? " second" : " seconds") + " (see the Retry-After header)");
        }
    }

    /** Body {@code format} wins over the query and the Accept header. */
    private static boolean respondInXml(Context ctx, ObjectNode params, boolean fromRequest) {
        JsonNode format = params.get("format");
        if (format != null && format.isTextual()) {
            return format.textValue().equalsIgnoreCase("xml");
        }
        return fromRequest;
    }

    /** {@code Authorization: Bearer}, then body {@code token}, then query {@code token} (decisions §1). */
    static String findToken(Context ctx, ObjectNode params) {
        String header = ctx.header("Authorization");
        if (header != null && !header.isBlank()) {
            if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return header.substring(7).strip();
            }
            throw RosterException.unauthorized("the Authorization header must be 'Bearer <token>'");
        }
        JsonNode token = params.get("token");
        if (token != null && !token.isNull()) {
            if (!token.isTextual()) {
                throw RosterException.invalid("token", "a string", token);
            }
            return token.textValue();
        }
        return ctx.queryParam("token");
    }

    /** Writes the error envelope and returns its code. */
    int fail(Context ctx, Exception e, boolean xml) {
        int code;
        String text;
        if (e instanceof RosterException r) {
            code = r.code().code();
            text = r.getMessage();
        } else if (e instanceof StoreUnavailableException) {
            code = ErrorCode.UNAVAILABLE.code();
            text = "storage unavailable, retry in a few seconds";
            log.warn("storage unavailable: {}", e.getMessage());
            ctx.header("Retry-After", "5");
        } else if (e instanceof DuplicateKeyException) {
            code = ErrorCode.CONFLICT.code();
            text = "conflict: the value is already taken by another object";
        } else if (e instanceof dev.roster.store.MissingReferenceException) {
            code = ErrorCode.NOT_FOUND.code();
            text = "a database, resource or profile the request refers to no longer exists";
        } else if (e instanceof IOException) {
            code = ErrorCode.BAD_REQUEST.code();
            text = "the request body could not be read: " + e.getMessage();
        } else {
            code = ErrorCode.INTERNAL.code();
            String requestId = MDC.get(RequestIds.MDC_KEY);
            text = "internal error, request id " + requestId;
            log.error("internal error", e);
        }
        envelope.failure(ctx, code, text, xml);
        return code;
    }
}
