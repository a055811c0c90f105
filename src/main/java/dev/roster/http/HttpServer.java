package dev.roster.http;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The Javalin server: the API route, operations endpoints, and an envelope for every path that matches nothing. */
public final class HttpServer {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    /** An API answer is data, never a page: nothing may be framed, run, loaded or cached from it. */
    private static final Map<String, String> SECURITY_HEADERS = Map.of(
            "X-Content-Type-Options", "nosniff",
            "Cache-Control", "no-store",
            "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
            "X-Frame-Options", "DENY");

    private final Javalin app;
    private final InFlight inFlight = new InFlight();
    private volatile boolean draining;

    /**
     * @param ready       whether the store answers, for {@code GET /ready}
     */
    public HttpServer(HttpSettings settings, ApiRegistry registry, Authenticator authenticator,
                      PrometheusMeterRegistry metrics, BooleanSupplier ready) {
        this(settings, registry, authenticator, metrics, Map.of("store", ready), java.util.List.of());
    }

    /**
     * @param dependencies each dependency's name ({@code store}, {@code queue}) and whether it answers now, for
     *                     {@code GET /ready}; every one must answer for the server to be ready
     */
    public HttpServer(HttpSettings settings, ApiRegistry registry, Authenticator authenticator,
                      PrometheusMeterRegistry metrics, Map<String, BooleanSupplier> dependencies) {
        this(settings, registry, authenticator, metrics, dependencies, java.util.List.of());
    }

    /** With other routes on the same port (the console), served before the envelope for unknown paths. */
    public HttpServer(HttpSettings settings, ApiRegistry registry, Authenticator authenticator,
                      PrometheusMeterRegistry metrics, Map<String, BooleanSupplier> dependencies,
                      java.util.List<WebRoutes> web) {
        ApiHandler api = new ApiHandler(registry, authenticator, settings, metrics);
        io.micrometer.core.instrument.Gauge.builder("roster.requests.in_flight", inFlight, InFlight::count)
                .description("API requests being served (a stopping server waits for them)").register(metrics);
        Envelope envelope = new Envelope(Envelope.Status.of(settings));
        // paths outside the API are not Altcraft's: browsers and monitors read their HTTP status
        Envelope byStatus = new Envelope(Envelope.Status.MIRROR);
        ApiDocs docs = new ApiDocs();
        this.app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.router.ignoreTrailingSlashes = true;
            config.router.treatMultipleSlashesAsSingleSlash = true;
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.http.generateEtags = false;
            config.jetty.host = settings.bind();
            config.jetty.port = settings.port();
            config.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));

            RoutesConfig routes = config.routes;
            routes.before(ctx -> {
                String requestId = RequestIds.of(ctx.header(RequestIds.HEADER));
                MDC.put(RequestIds.MDC_KEY, requestId);
                AccessLog.start(ctx);
                ctx.header(RequestIds.HEADER, requestId);
                SECURITY_HEADERS.forEach(ctx::header);
            });
            routes.after(ctx -> {
                drainBody(ctx);
                AccessLog.write(ctx);
                MDC.remove(RequestIds.MDC_KEY);
            });
            routes.post("/api/v1.1/{group}/{method}", ctx -> inFlight.run(() -> api.handle(ctx)));
            routes.post("/api/integrations/any/profile_import", ctx -> inFlight.run(() -> api.handleQuickImport(ctx)));
            routes.get("/api/integrations/any/profile_import", ctx -> inFlight.run(() -> api.handleQuickImport(ctx)));
            routes.get("/api/download/data/{task}/{file}", ctx -> inFlight.run(() -> api.handleDownload(ctx)));
            routes.post("/api/v1.0/lists/{id}/{action}", ctx -> inFlight.run(() -> api.handleV10(ctx)));
            routes.get("/api/openapi.json", docs::openApi);
            routes.get("/api/docs", docs::page);
            routes.get("/api/docs/{file}", ctx -> {
                if (!docs.file(ctx, ctx.pathParam("file"))) {
                    notFound(envelope, byStatus, ctx);
                }
            });
            routes.get("/health", ctx -> envelope.success(ctx, dev.roster.json.Json.object()
                    .put("status", "alive").put("version", Version.current()), false));
            routes.get("/ready", ctx -> {
                com.fasterxml.jackson.databind.node.ObjectNode states = dev.roster.json.Json.object();
                boolean all = true;
                for (Map.Entry<String, BooleanSupplier> d : new java.util.TreeMap<>(dependencies).entrySet()) {
                    boolean up = d.getValue().getAsBoolean();
                    states.put(d.getKey(), up ? "up" : "down");
                    all &= up;
                }
                String status = draining ? "draining" : all ? "ready" : "not ready";
                com.fasterxml.jackson.databind.node.ObjectNode body = dev.roster.json.Json.object()
                        .put("status", status).put("version", Version.current());
                body.set("dependencies", states);
                if (!draining && all) {
                    envelope.success(ctx, body, false);
                    return;
                }
                ctx.header("Retry-After", "5");
                // the states go with the 503 too: an operator sees which dependency is down
                com.fasterxml.jackson.databind.node.ObjectNode answer = dev.roster.json.Json.object()
                        .put("error", 503).put("error_text", draining ? "not ready: the server is shutting down"
                                : "not ready: " + String.join(", ", down(states)) + " does not answer");
                answer.setAll(body);
                ctx.status(503).contentType("application/json").result(dev.roster.json.Json.write(answer));
            });
            routes.get("/metrics", ctx -> {
                ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
                ctx.result(metrics.scrape());
            });

            // Another verb on an API path: 405 in the envelope, with the verbs the path takes.
            io.javalin.http.Handler postOnly = ctx -> notAllowed(envelope, ctx, "POST");
            for (String path : new String[] {"/api/v1.1/{group}/{method}", "/api/v1.0/lists/{id}/{action}"}) {
                routes.get(path, postOnly);
                routes.put(path, postOnly);
                routes.patch(path, postOnly);
                routes.delete(path, postOnly);
                routes.options(path, postOnly);
            }
            io.javalin.http.Handler getOrPost = ctx -> notAllowed(byStatus, ctx, "GET, POST");
            routes.put("/api/integrations/any/profile_import", getOrPost);
            routes.patch("/api/integrations/any/profile_import", getOrPost);
            routes.delete("/api/integrations/any/profile_import", getOrPost);
            routes.options("/api/integrations/any/profile_import", getOrPost);
            io.javalin.http.Handler getOnly = ctx -> notAllowed(byStatus, ctx, "GET");
            routes.post("/api/download/data/{task}/{file}", getOnly);
            routes.put("/api/download/data/{task}/{file}", getOnly);
            routes.patch("/api/download/data/{task}/{file}", getOnly);
            routes.delete("/api/download/data/{task}/{file}", getOnly);
            routes.options("/api/download/data/{task}/{file}", getOnly);

            web.forEach(w -> w.register(routes));

            // Everything else: an envelope, never Jetty's HTML page or plain text.
            io.javalin.http.Handler unknown = ctx -> notFound(envelope, byStatus, ctx);
            routes.get("/*", unknown);
            routes.post("/*", unknown);
            routes.put("/*", unknown);
            routes.patch("/*", unknown);
            routes.delete("/*", unknown);
            routes.options("/*", unknown);
            routes.error(404, "*", ctx -> {
                if (ctx.resultInputStream() == null) {
                    notFound(envelope, byStatus, ctx);
                }
            });
            routes.error(405, "*", ctx -> {
                if (ctx.resultInputStream() == null) {
                    notFound(envelope, byStatus, ctx);
                }
            });
            routes.exception(Exception.class, (e, ctx) -> api.fail(ctx, e, Envelope.wantsXml(ctx)));
        });
    }

    private static java.util.List<String> down(com.fasterxml.jackson.databind.node.ObjectNode states) {
        java.util.List<String> names = new java.util.ArrayList<>();
        states.fields().forEachRemaining(e -> {
            if (e.getValue().asText().equals("down")) {
                names.add(e.getKey());
            }
        });
        return names;
    }

    /**
     * Reads what is left of the request's body before the answer goes (every request: a 404, a 405, a refused
     * charset or a failed request leave it unread). Left unread, Jetty may close the connection after answering when
     * the body had not arrived whole, and a client reusing its kept-alive connection then reads no answer at all
     * (HttpStatusApiTest and TransportApiTest failed so with the JDK's client on this machine).
     */
    private static void drainBody(Context ctx) {
        try (java.io.InputStream body = ctx.req().getInputStream()) {
            // a body larger than this is not read for an answer that ignores it: the connection ends instead
            if (body.skip(DRAINED_BODY_BYTES) == DRAINED_BODY_BYTES && body.read() >= 0) {
                ctx.header("Connection", "close");
            }
        } catch (java.io.IOException | IllegalStateException e) {
            // the client went away or sent a broken body, or the body was read as parts: the connection ends
            ctx.header("Connection", "close");
        }
    }

    private static final long DRAINED_BODY_BYTES = 1 << 20;

    private static void notFound(Envelope api, Envelope byStatus, Context ctx) {
        String path = ctx.path();
        if (path.contains("/api/")) {
            api.failure(ctx, 404, "unknown method: " + ctx.method() + " " + path
                    + " (API methods are POST /api/v1.1/<group>/<method>)", Envelope.wantsXml(ctx));
        } else {
            byStatus.failure(ctx, 404, "not found: " + ctx.method() + " " + path, Envelope.wantsXml(ctx));
        }
    }

    private static void notAllowed(Envelope envelope, Context ctx, String allow) {
        ctx.header("Allow", allow);
        envelope.failure(ctx, 405, "method not allowed: " + ctx.method() + " " + ctx.path() + " takes " + allow,
                Envelope.wantsXml(ctx));
    }

    public HttpServer start() {
        app.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    /**
     * Turns {@code /ready} to 503 so load balancers stop sending, then waits until the API requests in flight have
     * answered, at most {@code max}. The server keeps answering meanwhile: a request sent before the balancer
     * noticed is served, not dropped.
     */
    public void drain(Duration max) {
        draining = true;
        if (!inFlight.awaitIdle(max)) {
            log.warn("stopping with {} API requests still in flight after {} s", inFlight.count(), max.toSeconds());
        }
    }

    public void stop() {
        app.stop();
    }
}
