package dev.roster.http;

import io.javalin.config.RoutesConfig;

/**
 * Routes beyond the API that a feature serves on the same server (the console). They are added before the catch-all
 * that answers unknown paths with an envelope; their before-handlers run after the server's own.
 */
public interface WebRoutes {
    void register(RoutesConfig routes);
}
