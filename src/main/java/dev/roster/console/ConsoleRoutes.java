package dev.roster.console;

import dev.roster.access.Caller;
import dev.roster.access.Permission;
import dev.roster.account.AccountModel;
import dev.roster.account.AccountService;
import dev.roster.catalog.CatalogModel;
import dev.roster.catalog.Channel;
import dev.roster.catalog.CounterService;
import dev.roster.catalog.DatabaseService;
import dev.roster.catalog.ResourceService;
import dev.roster.error.RosterException;
import dev.roster.http.WebRoutes;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The browser console at {@code /console/} (README, "The console"): sign-in, the overview, and the account's pages
 * (resources, tokens, users, audit log). Each handler reads the form, calls one service method the API also calls,
 * and renders a template; the database and profile pages are in {@link DatabaseRoutes} and {@link ProfileRoutes}.
 */
public final class ConsoleRoutes implements WebRoutes {
    /** The services a console needs; the same instances the API methods use. */
    public record Services(AccountService accounts, SessionService sessions, DatabaseService databases,
                           ResourceService resources, dev.roster.profile.ProfileService profiles,
                           dev.roster.subscription.SubscriptionService subscriptions,
                           dev.roster.history.HistoryService history, CounterService counters,
                           dev.roster.bulk.Exports exports, ImportJobs imports, ProfileSearch search,
                           dev.roster.segment.SegmentService segments) {
    }

    private static final List<String> STATUSES = List.of("subscribed", "unsubscribed", "complained", "hardbounced",
            "unconfirmed", "suspended", "invalid");

    private final Services s;
    private final PageRoutes pages;
    private final DatabaseRoutes databasePages;
    private final ProfileRoutes profilePages;
    private final SegmentRoutes segmentPages;

    public ConsoleRoutes(Services services) {
        this.s = services;
        this.pages = new PageRoutes(services.accounts(), services.sessions(),
                TemplateEngine.createPrecompiled(ContentType.Html), new Assets());
        this.segmentPages = new SegmentRoutes(services, pages);
        this.databasePages = new DatabaseRoutes(services, pages, segmentPages);
        this.profilePages = new ProfileRoutes(services, pages, segmentPages);
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.before(ctx -> {
            if (ctx.path().startsWith("/console")) {
                ctx.header("Content-Security-Policy", PageRoutes.CSP);
                ctx.header("Referrer-Policy", "same-origin");
            }
        });
        routes.get("/", ctx -> ctx.redirect("/console/"));
        routes.get("/console/assets/{name}", this::asset);
        routes.get("/console/sign-in", this::signInPage);
        routes.post("/console/sign-in", this::signIn);
        routes.post("/console/sign-out", this::signOut);
        routes.get("/console", pages.signedIn("overview", this::overview));
        routes.post("/console/databases", pages.signedIn("overview", this::createDatabase));
        routes.get("/console/password", pages.signedIn("password", (ctx, caller, chrome) ->
                pages.render(ctx, 200, "password.jte", chrome.withTitle("Password", "password"),
                        new Views.Password(null, false))));
        routes.post("/console/password", pages.signedIn("password", this::changePassword));
        routes.get("/console/resources", pages.signedIn("resources", (ctx, caller, chrome) ->
                resourcesPage(ctx, caller, chrome, 200, null)));
        routes.post("/console/resources", pages.signedIn("resources", this::createResource));
        routes.get("/console/resources/{id}", pages.signedIn("resources", (ctx, caller, chrome) -> {
            caller.require(Permission.CATALOG_WRITE);
            CatalogModel.Resource r = s.resources().get(caller, PageRoutes.pathId(ctx, "id"));
            resourceForm(ctx, caller, chrome, 200, r.id(), r.name(), r.channels(),
                    r.dbsIds() == null ? List.of() : r.dbsIds().stream().map(String::valueOf).toList(), null);
        }));
        routes.post("/console/resources/{id}", pages.signedIn("resources", this::updateResource));
        routes.get("/console/resources/{id}/delete", pages.signedIn("resources", (ctx, caller, chrome) -> {
            caller.require(Permission.CATALOG_WRITE);
            CatalogModel.Resource r = s.resources().get(caller, PageRoutes.pathId(ctx, "id"));
            pages.render(ctx, 200, "confirm.jte", chrome.withTitle("Delete resource", "resources"), new Views.Confirm(
                    "Delete the resource " + r.name() + "?", "Its subscriptions on every profile are deleted with it, "
                    + "in every database. Profiles stay.", "/console/resources/" + r.id() + "/delete",
                    "/console/resources/" + r.id(), "Delete resource"));
        }));
        routes.post("/console/resources/{id}/delete", pages.signedIn("resources", (ctx, caller, chrome) -> {
            caller.require(Permission.CATALOG_WRITE);
            s.resources().delete(caller, PageRoutes.pathId(ctx, "id"));
            PageRoutes.redirect(ctx, "/console/resources?ok=resource-deleted");
        }));
        routes.get("/console/tokens", pages.signedIn("tokens", (ctx, caller, chrome) ->
                tokensPage(ctx, caller, chrome, 200, null, null, null)));
        routes.post("/console/tokens", pages.signedIn("tokens", this::createToken));
        routes.post("/console/tokens/{id}/revoke", pages.signedIn("tokens", this::revokeToken));
        routes.get("/console/users", pages.signedIn("users", (ctx, caller, chrome) ->
                usersPage(ctx, caller, chrome, 200, null, null, null)));
        routes.post("/console/users", pages.signedIn("users", this::createUser));
        routes.post("/console/users/{id}/reset", pages.signedIn("users", this::resetPassword));
        routes.get("/console/audit", pages.signedIn("audit", this::audit));
        databasePages.register(routes);
        profilePages.register(routes);
        segmentPages.register(routes);
    }

    private void asset(Context ctx) {
        Assets.Asset asset = pages.assets().get(ctx.pathParam("name"));
        if (asset == null) {
            ctx.status(404).contentType("text/plain; charset=utf-8").result("not found");
            return;
        }
        // the URL names the version (htmx's) or carries the content's hash (ours): safe to keep for a year
        ctx.header("Cache-Control", "public, max-age=31536000, immutable");
        ctx.contentType(asset.contentType()).result(asset.bytes());
    }

    private void signInPage(Context ctx) {
        if (s.sessions().find(ctx.cookie(PageRoutes.SESSION_COOKIE)).isPresent()) {
            PageRoutes.redirect(ctx, "/console/");
            return;
        }
        signInForm(ctx, 200, "", "", null);
    }

    /** Sign-in has no session yet: its form carries a token that must equal a cookie set with the form. */
    private void signInForm(Context ctx, int status, String login, String account, String error) {
        String token = SessionService.random();
        PageRoutes.setCookie(ctx, PageRoutes.SIGN_IN_COOKIE, token, -1);
        Views.Chrome chrome = new Views.Chrome("Sign in", null, null, false, null, "", null, pages.assets().version());
        pages.render(ctx, status, "signin.jte", chrome, new Views.SignIn(login, account, s.accounts().severalAccounts()
                || !account.isEmpty(), error, token, pages.assets().version()));
    }

    private void signIn(Context ctx) {
        String login = Optional.ofNullable(ctx.formParam("login")).orElse("").strip();
        String account = Optional.ofNullable(ctx.formParam("account")).orElse("").strip();
        if (!SessionService.same(ctx.cookie(PageRoutes.SIGN_IN_COOKIE), ctx.formParam(PageRoutes.CSRF_FIELD))) {
            signInForm(ctx, 403, login, account, "The form came without its security token (CSRF). Try again.");
            return;
        }
        AccountModel.SignedIn user;
        try {
            user = s.accounts().signIn(account, login, ctx.formParam("password"));
        } catch (RosterException e) {
            signInForm(ctx, e.code().code() == 429 ? 429 : e.code().code() == 400 ? 400 : 401, login, account,
                    Views.sentence(e.getMessage()));
            return;
        }
        SessionService.Session session = s.sessions().create(user.accountId(), user.userId());
        PageRoutes.setCookie(ctx, PageRoutes.SESSION_COOKIE, session.id(), -1);
        PageRoutes.setCookie(ctx, PageRoutes.SIGN_IN_COOKIE, "", 0);
        PageRoutes.redirect(ctx, "/console/");
    }

    private void signOut(Context ctx) {
        Optional<SessionService.Session> session = s.sessions().find(ctx.cookie(PageRoutes.SESSION_COOKIE));
        if (session.isPresent() && !SessionService.same(session.get().csrf(), ctx.formParam(PageRoutes.CSRF_FIELD))) {
            pages.message(ctx, 403, "Refused", "The form came without its security token (CSRF).", "/console/", "Back");
            return;
        }
        session.ifPresent(x -> s.sessions().end(x.id()));
        PageRoutes.setCookie(ctx, PageRoutes.SESSION_COOKIE, "", 0);
        PageRoutes.redirect(ctx, "/console/sign-in");
    }

    private void overview(Context ctx, Caller caller, Views.Chrome chrome) {
        List<CatalogModel.DatabaseRow> rows = s.databases().list(caller, 0, 1000, null).rows();
        List<Views.DatabaseSummary> databases = new ArrayList<>();
        Map<String, long[]> byChannel = new LinkedHashMap<>();
        long profiles = 0;
        for (CatalogModel.DatabaseRow row : rows) {
            CatalogModel.Database db = s.databases().get(caller, row.id());
            databases.add(new Views.DatabaseSummary(row.id(), row.name(), db.description(), row.profilesCount()));
            profiles += row.profilesCount();
            for (var counts : s.counters().ofDatabase(caller, row.id(), null)) {
                long[] sums = byChannel.computeIfAbsent(counts.channel(), c -> new long[STATUSES.size()]);
                for (int i = 0; i < STATUSES.size(); i++) {
                    sums[i] += counts.status().getOrDefault(STATUSES.get(i), 0L);
                }
            }
        }
        List<Views.Chart> charts = new ArrayList<>();
        byChannel.forEach((channel, sums) -> {
            long max = 1;
            long all = 0;
            for (long n : sums) {
                max = Math.max(max, n);
                all += n;
            }
            if (all == 0) {
                return; // a channel a resource enables but nobody is subscribed on: no chart of empty bars
            }
            List<Views.Bar> bars = new ArrayList<>();
            for (int i = 0; i < STATUSES.size(); i++) {
                int width = sums[i] == 0 ? 0 : (int) Math.max(2, Math.round(300.0 * sums[i] / max));
                bars.add(new Views.Bar(STATUSES.get(i), sums[i], width, i * 22, "bar-" + STATUSES.get(i)));
            }
            charts.add(new Views.Chart(channel, all, bars, STATUSES.size() * 22));
        });
        pages.render(ctx, 200, "overview.jte", chrome.withTitle("Overview", "overview"),
                new Views.Overview(databases, charts, caller.can(Permission.CATALOG_WRITE), profiles));
    }

    private void createDatabase(Context ctx, Caller caller, Views.Chrome chrome) {
        caller.require(Permission.CATALOG_WRITE);
        String name = Optional.ofNullable(ctx.formParam("name")).orElse("").strip();
        if (name.isEmpty()) {
            throw RosterException.missing("name");
        }
        String description = Optional.ofNullable(ctx.formParam("description")).orElse("").strip();
        long id = s.databases().create(caller, new CatalogModel.NewDatabase(name, description, null, null, null, null));
        PageRoutes.redirect(ctx, "/console/db/" + id + "?ok=database");
    }

    private void changePassword(Context ctx, Caller caller, Views.Chrome chrome) {
        String next = ctx.formParam("new_password");
        if (next == null || !next.equals(ctx.formParam("repeat_password"))) {
            pages.render(ctx, 400, "password.jte", chrome.withTitle("Password", "password"),
                    new Views.Password("The two new passwords differ.", false));
            return;
        }
        try {
            s.accounts().changePassword(caller, ctx.formParam("current_password"), next);
        } catch (RosterException e) {
            pages.render(ctx, 400, "password.jte", chrome.withTitle("Password", "password"),
                    new Views.Password(Views.sentence(e.getMessage()), false));
            return;
        }
        s.sessions().endOthers(caller.userId(), ctx.cookie(PageRoutes.SESSION_COOKIE));
        PageRoutes.redirect(ctx, "/console/password?ok=password");
    }

    private List<Views.Option> databaseOptions(Caller caller) {
        return s.databases().list(caller, 0, 1000, null).rows().stream()
                .map(d -> new Views.Option(String.valueOf(d.id()), "#" + d.id() + " " + d.name())).toList();
    }

    private void resourcesPage(Context ctx, Caller caller, Views.Chrome chrome, int status, String error) {
        Map<Long, String> dbNames = new LinkedHashMap<>();
        s.databases().list(caller, 0, 1000, null).rows().forEach(d -> dbNames.put(d.id(), d.name()));
        List<Views.Resource> rows = s.resources().list(caller, 0, 1000).rows().stream().map(r -> {
            CatalogModel.Resource full = s.resources().get(caller, r.id());
            String dbs = full.dbsIds() == null || full.dbsIds().isEmpty() ? "every database"
                    : full.dbsIds().stream().map(id -> "#" + id + " " + dbNames.getOrDefault(id, ""))
                    .collect(Collectors.joining(", "));
            return new Views.Resource(r.id(), r.name(), String.join(", ", r.channels()), dbs);
        }).toList();
        List<String> channels = java.util.Arrays.stream(Channel.values()).map(Channel::wireName).toList();
        pages.render(ctx, status, "resources.jte", chrome.withTitle("Resources", "resources"),
                new Views.Resources(rows, channels, databaseOptions(caller), caller.can(Permission.CATALOG_WRITE), error));
    }

    private void createResource(Context ctx, Caller caller, Views.Chrome chrome) {
        caller.require(Permission.CATALOG_WRITE);
        try {
            String name = Optional.ofNullable(ctx.formParam("name")).orElse("").strip();
            if (name.isEmpty()) {
                throw RosterException.missing("name");
            }
            List<Channel> channels = ctx.formParams("channels").stream().map(c -> Channel.parse("channels", c)).toList();
            List<Long> dbIds = ctx.formParams("db_ids").stream().map(Long::parseLong).toList();
            s.resources().create(caller, new CatalogModel.NewResource(name, channels, dbIds.isEmpty() ? null : dbIds));
        } catch (RosterException e) {
            resourcesPage(ctx, caller, chrome, 400, Views.sentence(e.getMessage()));
            return;
        }
        PageRoutes.redirect(ctx, "/console/resources?ok=resource");
    }

    private void resourceForm(Context ctx, Caller caller, Views.Chrome chrome, int status, long id, String name,
                              List<String> channels, List<String> dbIds, RosterException refused) {
        String nameError = null;
        String channelsError = null;
        String databasesError = null;
        String error = null;
        if (refused != null) {
            String text = Views.sentence(refused.getMessage());
            if (refused.code() == dev.roster.error.ErrorCode.NOT_FOUND || text.contains("'db_ids'")) {
                databasesError = text;
            } else if (text.contains("'channels'")) {
                channelsError = text;
            } else if (text.contains("'name'") || text.contains("resource named")) {
                nameError = text;
            } else {
                error = text;
            }
        }
        List<Views.Option> allChannels = java.util.Arrays.stream(Channel.values())
                .map(c -> new Views.Option(c.wireName(), c.wireName())).toList();
        pages.render(ctx, status, "resource.jte", chrome.withTitle("Resource " + name, "resources"),
                new Views.ResourceEdit(id, name, allChannels, channels, databaseOptions(caller), dbIds, nameError,
                        channelsError, databasesError, error));
    }

    /** Saves the form as resources/update would; a refusal is shown next to the field it names, nothing saved. */
    private void updateResource(Context ctx, Caller caller, Views.Chrome chrome) {
        caller.require(Permission.CATALOG_WRITE);
        long id = PageRoutes.pathId(ctx, "id");
        s.resources().get(caller, id);
        String name = Optional.ofNullable(ctx.formParam("name")).orElse("");
        List<String> channels = ctx.formParams("channels");
        List<String> dbIds = ctx.formParams("db_ids");
        try {
            List<Channel> parsed = channels.stream().map(c -> Channel.parse("channels", c)).toList();
            List<Long> dbs = new ArrayList<>();
            for (String d : dbIds) {
                try {
                    dbs.add(Long.parseLong(d));
                } catch (NumberFormatException e) {
                    throw RosterException.invalid("db_ids", "database ids", d);
                }
            }
            // every field is sent: an empty name is refused like the API's, no database checked is every database
            s.resources().update(caller, new CatalogModel.ResourceChanges(id, name.strip(), parsed, dbs));
        } catch (RosterException e) {
            if (e.code() != dev.roster.error.ErrorCode.BAD_REQUEST && e.code() != dev.roster.error.ErrorCode.CONFLICT
                    && e.code() != dev.roster.error.ErrorCode.NOT_FOUND) {
                throw e;
            }
            resourceForm(ctx, caller, chrome, 400, id, name, channels, dbIds, e);
            return;
        }
        PageRoutes.redirect(ctx, "/console/resources?ok=resource-saved");
    }

    private void tokensPage(Context ctx, Caller caller, Views.Chrome chrome, int status, String secret, String name,
                            String error) {
        caller.requireMaster();
        List<Views.Token> rows = s.accounts().listTokens(caller).stream().map(t -> new Views.Token(t.id(), t.name(),
                t.user(), String.join(", ", t.permissions()),
                t.dbIds() instanceof java.util.Collection<?> c ? c.stream().map(x -> "#" + x)
                        .collect(Collectors.joining(", ")) : "all", t.createdAt(), t.lastUsedAt(), t.revokedAt()))
                .toList();
        List<Views.Option> permissions = java.util.Arrays.stream(Permission.values())
                .map(p -> new Views.Option(p.wireName(), p.wireName())).toList();
        pages.render(ctx, status, "tokens.jte", chrome.withTitle("Tokens", "tokens"),
                new Views.Tokens(rows, permissions, databaseOptions(caller), secret, name, error));
    }

    private void createToken(Context ctx, Caller caller, Views.Chrome chrome) {
        caller.requireMaster();
        String name = Optional.ofNullable(ctx.formParam("name")).orElse("").strip();
        AccountModel.CreatedToken created;
        try {
            if (name.isEmpty()) {
                throw RosterException.missing("name");
            }
            List<Long> dbIds = "some".equals(ctx.formParam("reach"))
                    ? ctx.formParams("db_ids").stream().map(Long::parseLong).toList() : null;
            if (dbIds != null && dbIds.isEmpty()) {
                throw RosterException.badRequest("choose at least one database, or 'every database'");
            }
            created = s.accounts().createToken(caller, new AccountModel.NewToken(name, ctx.formParams("permissions"),
                    dbIds, null));
        } catch (RosterException e) {
            tokensPage(ctx, caller, chrome, 400, null, null, Views.sentence(e.getMessage()));
            return;
        }
        // shown in this answer only: the store keeps its hash
        ctx.header("Cache-Control", "no-store");
        tokensPage(ctx, caller, chrome, 200, created.token(), name, null);
    }

    private void revokeToken(Context ctx, Caller caller, Views.Chrome chrome) {
        s.accounts().revokeToken(caller, PageRoutes.pathId(ctx, "id"));
        PageRoutes.redirect(ctx, "/console/tokens?ok=revoked");
    }

    private void usersPage(Context ctx, Caller caller, Views.Chrome chrome, int status, String login, String password,
                           String error) {
        List<Views.User> rows = s.accounts().listUsers(caller).stream()
                .map(u -> new Views.User(u.id(), u.login(), u.master(), u.createdAt())).toList();
        pages.render(ctx, status, "users.jte", chrome.withTitle("Users", "users"),
                new Views.Users(rows, login, password, error));
    }

    private void createUser(Context ctx, Caller caller, Views.Chrome chrome) {
        caller.requireMaster();
        String login = Optional.ofNullable(ctx.formParam("login")).orElse("").strip();
        String password = Optional.ofNullable(ctx.formParam("password")).filter(p -> !p.isEmpty()).orElse(null);
        AccountModel.CreatedUser created;
        try {
            created = s.accounts().createUser(caller, new AccountModel.NewUser(login, password,
                    ctx.formParam("master") != null));
        } catch (RosterException e) {
            usersPage(ctx, caller, chrome, 400, null, null, Views.sentence(e.getMessage()));
            return;
        }
        ctx.header("Cache-Control", "no-store");
        usersPage(ctx, caller, chrome, 200, created.login(), created.password(), null);
    }

    private void resetPassword(Context ctx, Caller caller, Views.Chrome chrome) {
        long userId = PageRoutes.pathId(ctx, "id");
        String password = s.accounts().resetPassword(caller, userId);
        s.sessions().endOthers(userId, null);
        String login = s.accounts().listUsers(caller).stream().filter(u -> u.id() == userId)
                .map(AccountModel.UserInfo::login).findFirst().orElse("#" + userId);
        ctx.header("Cache-Control", "no-store");
        usersPage(ctx, caller, chrome, 200, login, password, null);
    }

    private void audit(Context ctx, Caller caller, Views.Chrome chrome) {
        long before = 0;
        try {
            before = Long.parseLong(Optional.ofNullable(ctx.queryParam("before")).orElse("0"));
        } catch (NumberFormatException e) {
            // the first page
        }
        int limit = 50;
        List<AccountModel.AuditLine> lines = s.accounts().auditLog(caller, before, limit);
        List<Views.AuditRow> rows = lines.stream().map(l -> new Views.AuditRow(l.at(), l.by(), l.action(), l.object()))
                .toList();
        Long next = lines.size() == limit ? lines.get(lines.size() - 1).id() : null;
        pages.render(ctx, 200, "audit.jte", chrome.withTitle("Audit log", "audit"), new Views.Audit(rows, next));
    }
}
