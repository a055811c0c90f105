package dev.roster.http;

import dev.roster.request.Params;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Caller;
import dev.roster.error.ErrorCode;
import dev.roster.error.ErrorMapping;
import dev.roster.error.RosterException;
import dev.roster.idempotency.IdempotencyService;
import dev.roster.store.DuplicateKeyException;
import dev.roster.store.StoreUnavailableException;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;

/** {@code POST /api/v1.1/<group>/<method>}: body, token, permission, method, envelope, metrics. */
final class ApiHandler {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ApiHandler.class);

    private final ApiRegistry registry;
    private final Authenticator authenticator;
    private final RequestBody body;
    private final Envelope envelope;
    private final Envelope byStatus;
    private final MeterRegistry metrics;
    private final java.util.concurrent.ConcurrentHashMap<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();
    private final RateLimiter rateLimiter;
    private static final java.time.Duration[] LATENCY_BUCKETS = java.util.stream.LongStream
            .of(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10000)
            .mapToObj(java.time.Duration::ofMillis).toArray(java.time.Duration[]::new);

    ApiHandler(ApiRegistry registry, Authenticator authenticator, HttpSettings settings, MeterRegistry metrics) {
        this.registry = registry;
        this.authenticator = authenticator;
        this.body = new RequestBody(settings);
        this.envelope = new Envelope(Envelope.Status.of(settings));
        this.byStatus = new Envelope(Envelope.Status.MIRROR);
        this.metrics = metrics;
        this.rateLimiter = new RateLimiter(settings.rateLimit(), settings.rateBurst(), System::nanoTime);
    }

    void handle(Context ctx) {
        dispatch(ctx, ctx.pathParam("group") + "/" + ctx.pathParam("method"), Mode.V11);
    }

    /**
     * {@code /api/integrations/any/profile_import} (docs/API.md, Quick import): parameters from the query or the body
     * (JSON, XML
     * or a form), the Referer as {@code _regurl}, and answers by HTTP status whatever the always-200 flag says; an
     * unusable token is a 403 there.
     */
    void handleQuickImport(Context ctx) {
        dispatch(ctx, ApiRegistry.QUICK_IMPORT, Mode.QUICK);
    }

    /**
     * The deprecated {@code POST /api/v1.0/lists/{id}/<action>} calls (docs/API.md, Subscriptions): the id arrives as
     * {@code list_id}, and success answers the method's fields alone, without {@code error} and {@code error_text}.
     */
    void handleV10(Context ctx) {
        dispatch(ctx, "v1.0/" + ctx.pathParam("action"), Mode.V10);
    }

    private enum Mode {
        V11,
        QUICK,
        V10
    }

    private void dispatch(Context ctx, String name, Mode mode) {
        long start = System.nanoTime();
        boolean quick = mode == Mode.QUICK;
        ApiMethod<?> method = mode == Mode.V11 ? registry.find(name) : registry.findIntegration(name);
        boolean xml = Envelope.wantsXml(ctx);
        int code = 0;
        IdempotencyService.Claim claim = null;
        try {
            if (method == null) {
                throw RosterException.notFound("unknown method '" + name + "'");
            }
            byte[] bytes = body.read(ctx.req().getInputStream(), ctx.req().getContentLengthLong());
            // the raw header: the servlet's getContentType() throws on a charset the JVM does not know
            String contentType = ctx.header("Content-Type");
            boolean form = quick && RequestBody.isForm(contentType);
            boolean textScalars = form || RequestBody.isXml(contentType, bytes);
            ObjectNode params = form ? body.decodeForm(bytes) : body.decode(bytes, textScalars);
            if (quick) {
                mergeQuery(ctx, params);
            }
            if (mode == Mode.V10) {
                params.put("list_id", ctx.pathParam("id"));
            }
            xml = respondInXml(ctx, params, xml);
            Caller caller;
            try {
                caller = authenticator.authenticate(findToken(ctx, params));
            } catch (RosterException e) {
                if (quick && e.code() == ErrorCode.UNAUTHORIZED) {
                    throw RosterException.forbidden("invalid API key: " + e.getMessage());
                }
                throw e;
            }
            ctx.attribute(AccessLog.TOKEN, caller.tokenName());
            refuseOverRate(ctx, caller);
            caller.require(method.permission());
            String key = idempotencyKey(ctx, params);
            if (key != null && mode == Mode.V11 && registry.idempotency() != null && ApiRegistry.isWrite(name)) {
                IdempotencyService.Outcome outcome = registry.idempotency().begin(caller.accountId(), key,
                        IdempotencyService.requestHash(name, bytes));
                if (outcome.replay() != null) {
                    replay(ctx, outcome.replay());
                    code = replayedCode(outcome.replay());
                    return;
                }
                claim = outcome.claim();
                IdempotencyService.Claim held = claim;
                ctx.attribute(Envelope.KEEP_ANSWER, (java.util.function.ObjIntConsumer<IdempotencyService.Answer>)
                        (answer, error) -> settle(held, answer, error));
            }
            Reply reply = method.call(caller, new Params(params, textScalars || mode != Mode.V11));
            if (mode == Mode.V10) {
                envelope.bare(ctx, reply.fields());
            } else {
                envelope.success(ctx, reply.fields(), xml);
            }
        } catch (RuntimeException | IOException e) {
            code = fail(ctx, e, xml, quick ? byStatus : envelope);
        } finally {
            if (claim != null && ctx.attribute(Envelope.KEEP_ANSWER) != null) {
                // no answer was written: the key is free again
                settle(claim, null, ErrorCode.INTERNAL.code());
            }
            ctx.attribute(AccessLog.ERROR, code);
            timer(method == null ? "unknown" : name, code)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /**
     * {@code GET /api/download/data/<task>/<file>}: the token (Bearer header or query) must reach the task's account
     * and read profiles; the file streams as it is on disk, so memory stays flat whatever its size.
     */
    void handleDownload(Context ctx) {
        try {
            FileSource source = registry.downloads();
            if (source == null) {
                throw RosterException.notFound("no downloads on this server");
            }
            Caller caller = authenticator.authenticate(findToken(ctx, dev.roster.json.Json.object()));
            ctx.attribute(AccessLog.TOKEN, caller.tokenName());
            refuseOverRate(ctx, caller);
            caller.require(dev.roster.access.Permission.PROFILES_READ);
            FileSource.Download file = source.find(caller, ctx.pathParam("task"), ctx.pathParam("file"))
                    .orElseThrow(() -> RosterException.notFound("no such download: " + ctx.pathParam("task") + "/"
                            + ctx.pathParam("file")));
            String name = file.name();
            ctx.contentType(name.endsWith(".csv") ? "text/csv; charset=utf-8"
                    : name.endsWith(".jsonl") ? "application/jsonl; charset=utf-8" : "application/json; charset=utf-8");
            ctx.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
            ctx.header("Content-Length", Long.toString(file.size()));
            try (var in = file.open().open(); var out = ctx.res().getOutputStream()) {
                in.transferTo(out);
            }
        } catch (RuntimeException | IOException e) {
            // curl -f and browsers read the status of a download
            ctx.attribute(AccessLog.ERROR, fail(ctx, e, false, byStatus));
        }
    }

    /**
     * The {@code Idempotency-Key} header or the body's {@code idempotency_key} (taken out of the parameters, which
     * the method would refuse as unknown); both must agree when both are sent. Null when neither is.
     */
    private static String idempotencyKey(Context ctx, ObjectNode params) {
        String header = ctx.header("Idempotency-Key");
        JsonNode body = params.remove("idempotency_key");
        String fromBody = null;
        if (body != null && !body.isNull()) {
            if (!body.isTextual()) {
                throw RosterException.invalid("idempotency_key", "a string", body);
            }
            fromBody = IdempotencyService.checkKey(body.textValue(), "idempotency_key");
        }
        if (header != null) {
            IdempotencyService.checkKey(header, "Idempotency-Key header");
            if (fromBody != null && !fromBody.equals(header)) {
                throw RosterException.badRequest("the Idempotency-Key header and the body's idempotency_key differ");
            }
            return header;
        }
        return fromBody;
    }

    /** The kept answer of the first request, marked as a replay. */
    private static void replay(Context ctx, IdempotencyService.Answer answer) throws IOException {
        ctx.status(answer.status());
        if (answer.contentType() != null) {
            ctx.contentType(answer.contentType());
        }
        ctx.header("Idempotent-Replayed", "true");
        byte[] body = answer.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ctx.res().setContentLength(body.length);
        ctx.res().getOutputStream().write(body);
        ctx.res().flushBuffer();
    }

    private static int replayedCode(IdempotencyService.Answer answer) {
        try {
            return dev.roster.json.Json.MAPPER.readTree(answer.body()).path("error").asInt(0);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * Keeps the answer for repeats, unless the request did not run to a real answer (storage unavailable, internal
     * error, rate limit): then the key is free again, and a repeat runs.
     */
    private static void settle(IdempotencyService.Claim claim, IdempotencyService.Answer answer, int code) {
        try {
            if (answer == null || code == ErrorCode.INTERNAL.code() || code == ErrorCode.UNAVAILABLE.code()
                    || code == ErrorCode.RATE_LIMITED.code()) {
                claim.abandon();
            } else {
                claim.complete(answer);
            }
        } catch (RuntimeException e) {
            log.warn("idempotency key not settled: {}", e.toString());
        }
    }

    /** Query parameters fill what the body did not send; the Referer header stands for a missing {@code _regurl}. */
    private static void mergeQuery(Context ctx, ObjectNode params) {
        ctx.queryParamMap().forEach((key, values) -> {
            if (!key.equals("token") && !params.has(key) && !values.isEmpty()) {
                params.put(key, values.get(0));
            }
        });
        String referer = ctx.header("Referer");
        if (referer != null && !params.has("_regurl")) {
            params.put("_regurl", referer);
        }
    }

    private Timer timer(String method, int code) {
        return timers.computeIfAbsent(method + ' ' + code, k -> Timer.builder("roster.requests")
                .description("API requests by method and error code")
                .tag("method", method)
                .tag("error", Integer.toString(code))
                // a few buckets, enough for latency objectives; a percentile histogram is 69 per method and code
                .serviceLevelObjectives(LATENCY_BUCKETS)
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

    /**
     * Body {@code format} wins over the query and the Accept header; a value other than {@code json} or {@code xml}
     * (either place) is a 400, answered in JSON unless the other place asked for XML.
     */
    private static boolean respondInXml(Context ctx, ObjectNode params, boolean fromRequest) {
        String query = ctx.queryParam("format");
        JsonNode format = params.get("format");
        if (format != null && !format.isNull()) {
            if (!format.isTextual() || !Envelope.isFormat(format.textValue())) {
                throw RosterException.invalid("format", "\"json\" or \"xml\"", format);
            }
            if (query != null && !Envelope.isFormat(query)) {
                throw RosterException.invalid("format", "\"json\" or \"xml\"", query);
            }
            return format.textValue().equalsIgnoreCase("xml");
        }
        if (query != null && !Envelope.isFormat(query)) {
            throw RosterException.invalid("format", "\"json\" or \"xml\"", query);
        }
        return fromRequest;
    }

    /**
     * {@code Authorization: Bearer}, then body {@code token}, then query {@code token} (docs/API.md). Another scheme
     * (Basic from a proxy in front of the server) is not ours to read: the lookup goes on to the body and the query.
     */
    static String findToken(Context ctx, ObjectNode params) {
        String header = ctx.header("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = header.substring(7).strip();
            if (!token.isEmpty()) {
                return token;
            }
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
        return fail(ctx, e, xml, envelope);
    }

    private int fail(Context ctx, Exception e, boolean xml, Envelope envelope) {
        ErrorMapping.Failure failure = ErrorMapping.of(e);
        if (failure.retry()) {
            ctx.header("Retry-After", "5");
        }
        int code = failure.code().code();
        String text = failure.text();
        envelope.failure(ctx, code, text, xml);
        return code;
    }
}
