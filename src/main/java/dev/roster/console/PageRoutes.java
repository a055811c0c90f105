package dev.roster.console;

import dev.roster.access.Caller;
import dev.roster.account.AccountService;
import dev.roster.error.ErrorCode;
import dev.roster.error.RosterException;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every console page shares: the session from its cookie, the CSRF check of state-changing forms, rendering,
 * and turning a refusal of a service into a page that says what was wrong.
 */
final class PageRoutes {
    private static final Logger log = LoggerFactory.getLogger(PageRoutes.class);
    static final String SESSION_COOKIE = "roster_session";
    static final String SIGN_IN_COOKIE = "roster_sign_in";
    static final String CSRF_FIELD = "_csrf";
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /** A page for a signed-in person (named so the layering rule lets it take a Javalin context). */
    @FunctionalInterface
    interface Routes {
        void handle(Context ctx, Caller caller, Views.Chrome chrome) throws Exception;
    }

    private final AccountService accounts;
    private final SessionService sessions;
    private final TemplateEngine templates;
    private final Assets assets;

    PageRoutes(AccountService accounts, SessionService sessions, TemplateEngine templates, Assets assets) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.templates = templates;
        this.assets = assets;
    }

    Assets assets() {
        return assets;
    }

    /**
     * Runs the page for the session's person: without a live session, to the sign-in page; a state-changing request
     * without the session's CSRF token is refused (403) and changes nothing. The session is read from its cookie
     * only: an API token opens nothing here.
     */
    io.javalin.http.Handler signedIn(String nav, Routes page) {
        return ctx -> {
            Optional<SessionService.Session> session = sessions.find(ctx.cookie(SESSION_COOKIE));
            if (session.isEmpty()) {
                if (!ctx.method().name().equals("GET")) {
                    message(ctx, 401, "Signed out", "Your session has ended. Sign in again.", "/console/sign-in", "Sign in");
                    return;
                }
                redirect(ctx, "/console/sign-in");
                return;
            }
            SessionService.Session s = session.get();
            if (!ctx.method().name().equals("GET") && !SessionService.same(s.csrf(), ctx.formParam(CSRF_FIELD))) {
                message(ctx, 403, "Refused", "The form came without its security token (CSRF), so nothing was changed. "
                        + "Reload the page and try again.", "/console/", "Overview");
                return;
            }
            Caller caller;
            try {
                caller = accounts.userCaller(s.accountId(), s.userId());
            } catch (RosterException e) {
                sessions.end(s.id());
                redirect(ctx, "/console/sign-in");
                return;
            }
            Views.Chrome chrome = new Views.Chrome("Roster", caller.tokenName(), null, caller.master(), s.csrf(), nav,
                    notice(ctx.queryParam("ok")), assets.version());
            try {
                page.handle(ctx, caller, chrome);
            } catch (RosterException e) {
                int status = e.code() == ErrorCode.BAD_REQUEST || e.code() == ErrorCode.CONFLICT ? 400
                        : e.code().code() >= 500 ? 503 : e.code().code();
                render(ctx, status, "message.jte", chrome.withTitle("Not done", nav), new Views.Message(
                        e.code() == ErrorCode.NOT_FOUND ? "Not found" : e.code() == ErrorCode.FORBIDDEN ? "Not allowed"
                                : "Not done", Views.sentence(forPerson(e.getMessage())), "/console/", "Overview"));
            } catch (Exception e) {
                logFailure(ctx, e);
                String requestId = ctx.res().getHeader("X-Request-Id");
                render(ctx, 500, "message.jte", chrome.withTitle("Error", nav), new Views.Message("Something went wrong",
                        "The server could not do this (request id " + requestId + ", in its log).", "/console/",
                        "Overview"));
            }
        };
    }

    /** A service's refusal as a signed-in person reads it: a console session is a user, not a token. */
    static String forPerson(String message) {
        return message == null ? null : message.replace("the token lacks the permission", "your user lacks the permission");
    }

    /** Confirmations after a redirect, by a short code so no text of the URL is ever shown. */
    private static String notice(String code) {
        if (code == null) {
            return null;
        }
        return switch (code) {
            case "deleted" -> "The profile was deleted.";
            case "saved" -> "Saved.";
            case "status" -> "The subscription's status was changed.";
            case "field" -> "The field was added.";
            case "database" -> "The database was created.";
            case "resource" -> "The resource was created.";
            case "resource-saved" -> "The resource was saved.";
            case "resource-deleted" -> "The resource was deleted.";
            case "segment" -> "The segment was created.";
            case "segment-deleted" -> "The segment was deleted; its profiles stay.";
            case "members" -> "The segment's members were changed.";
            case "revoked" -> "The token was revoked: the API refuses it from now on.";
            case "password" -> "Your password was changed; your other sessions were ended.";
            case "unchanged" -> "Nothing was changed.";
            default -> null;
        };
    }

    void render(Context ctx, int status, String template, Views.Chrome chrome, Object page) {
        Map<String, Object> params = new HashMap<>();
        params.put("chrome", chrome);
        params.put("page", page);
        StringOutput out = new StringOutput();
        templates.render(template, params, out);
        ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
    }

    /** A fragment (htmx swaps it in): one parameter, no frame. */
    void fragment(Context ctx, String template, Object page) {
        StringOutput out = new StringOutput();
        templates.render(template, Map.of("page", page), out);
        ctx.contentType("text/html; charset=utf-8").result(out.toString());
    }

    void message(Context ctx, int status, String heading, String text, String back, String backLabel) {
        Views.Chrome chrome = new Views.Chrome(heading, null, null, false, null, "", null, assets.version());
        render(ctx, status, "message.jte", chrome, new Views.Message(heading, text, back, backLabel));
    }

    /** A redirect after a form (303), or for an htmx request the header that makes htmx navigate. */
    static void redirect(Context ctx, String location) {
        if (ctx.header("HX-Request") != null) {
            ctx.header("HX-Redirect", location).status(204);
        } else {
            ctx.redirect(location, io.javalin.http.HttpStatus.SEE_OTHER);
        }
    }

    static void setCookie(Context ctx, String name, String value, int maxAgeSeconds) {
        Cookie cookie = new Cookie(name, value, "/console", maxAgeSeconds, secure(ctx), true, null, SameSite.STRICT);
        ctx.cookie(cookie);
    }

    /** Behind TLS, or a proxy that says the browser used https: the cookie is only ever sent over TLS. */
    static boolean secure(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    static long pathId(Context ctx, String name) {
        try {
            long id = Long.parseLong(ctx.pathParam(name));
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw RosterException.notFound("no such " + name + ": '" + RosterException.describe(ctx.pathParam(name)) + "'");
    }

    static void logFailure(Context ctx, Exception e) {
        log.error("console {} {} failed", ctx.method(), ctx.path(), e);
    }
}
