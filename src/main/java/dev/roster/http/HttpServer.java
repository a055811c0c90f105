package dev.roster.http;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.MDC;

/** The Javalin server: the API route, operations endpoints, and an envelope for every path that matches nothing. */
public final class HttpServer {
    private final Javalin app;

    /**
     * @param ready       whether the store answers, for {@code GET /ready}
     * @param extraRoutes routes outside {@code /api/v1.1} that features add (quick import, v1.0 calls, downloads)
     */
    public HttpServer(HttpSettings settings, ApiRegistry registry, Authenticator authenticator,
                      PrometheusMeterRegistry metrics, BooleanSupplier ready, List<Consumer<RoutesConfig>> extraRoutes) {
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
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("Cache-Control", "no-store");
            });
            routes.after(ctx -> MDC.remove(RequestIds.MDC_KEY));
            routes.post("/api/v1.1/{group}/{method}", api::handle);
            routes.get("/health", ctx -> envelope.success(ctx, dev.roster.json.Json.object().put("status", "alive"), false));
            routes.get("/ready", ctx -> {
                if (ready.getAsBoolean()) {
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
            extraRoutes.forEach(extra -> extra.accept(routes));

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

    public void stop() {
        app.stop();
    }
}
