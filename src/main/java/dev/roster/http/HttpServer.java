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
        this(settings, registry, authenticator, metrics, ready, java.util.List.of());
    }

    /** With other routes on the same port (the console), served before the envelope for unknown paths. */
    public HttpServer(HttpSettings settings, ApiRegistry registry, Authenticator authenticator,
                      PrometheusMeterRegistry metrics, BooleanSupplier ready, java.util.List<WebRoutes> web) {
        ApiHandler api = new ApiHandler(registry, authenticator, settings, metrics);
        Envelope envelope = new Envelope(settings.alwaysHttp200());
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
                ctx.header(RequestIds.HEADER, requestId);
                SECURITY_HEADERS.forEach(ctx::header);
            });
            routes.after(ctx -> MDC.remove(RequestIds.MDC_KEY));
            routes.post("/api/v1.1/{group}/{method}", ctx -> inFlight.run(() -> api.handle(ctx)));
            routes.post("/api/integrations/any/profile_import", ctx -> inFlight.run(() -> api.handleQuickImport(ctx)));
            routes.get("/api/integrations/any/profile_import", ctx -> inFlight.run(() -> api.handleQuickImport(ctx)));
            routes.get("/api/download/data/{task}/{file}", ctx -> inFlight.run(() -> api.handleDownload(ctx)));
            routes.post("/api/v1.0/lists/{id}/{action}", ctx -> inFlight.run(() -> api.handleV10(ctx)));
            routes.get("/health", ctx -> envelope.success(ctx, dev.roster.json.Json.object().put("status", "alive"), false));
            routes.get("/ready", ctx -> {
                if (draining) {
                    ctx.header("Retry-After", "5");
                    envelope.failure(ctx, 503, "not ready: the server is shutting down", false);
                } else if (ready.getAsBoolean()) {
                    envelope.success(ctx, dev.roster.json.Json.object().put("status", "ready"), false);
                } else {
                    ctx.header("Retry-After", "5");
                    envelope.failure(ctx, 503, "not ready: the store does not answer", false);
                }
            });
            routes.get("/metrics", ctx -> {
                ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
                ctx.result(metrics.scrape());
            });

            web.forEach(w -> w.register(routes));

            // Everything else: an envelope, never Jetty's HTML page.
            io.javalin.http.Handler unknown = ctx -> notFound(envelope, ctx);
            routes.get("/*", unknown);
            routes.post("/*", unknown);
            routes.put("/*", unknown);
            routes.patch("/*", unknown);
            routes.delete("/*", unknown);
            routes.error(404, "*", ctx -> {
                if (ctx.resultInputStream() == null) {
                    notFound(envelope, ctx);
                }
            });
            routes.error(405, "*", ctx -> {
                if (ctx.resultInputStream() == null) {
                    notFound(envelope, ctx);
                }
            });
            routes.exception(Exception.class, (e, ctx) -> api.fail(ctx, e, Envelope.wantsXml(ctx)));
        });
    }

    private static void notFound(Envelope envelope, Context ctx) {
        String path = ctx.path();
        String text = path.contains("/api/")
                ? "unknown method: " + ctx.method() + " " + path + " (API methods are POST /api/v1.1/<group>/<method>)"
                : "not found: " + ctx.method() + " " + path;
        envelope.failure(ctx, 404, text, Envelope.wantsXml(ctx));
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
