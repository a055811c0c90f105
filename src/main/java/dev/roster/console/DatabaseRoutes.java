package dev.roster.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Caller;
import dev.roster.access.Permission;
import dev.roster.bulk.Exports;
import dev.roster.bulk.FileImport;
import dev.roster.catalog.CatalogModel;
import dev.roster.catalog.FieldType;
import dev.roster.error.ErrorCode;
import dev.roster.error.RosterException;
import dev.roster.json.Json;
import dev.roster.profile.ProfileModel;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** A database's page: its fields, search, the filter builder, results with paging, upload and export. */
final class DatabaseRoutes {
    static final int PAGE = 25;
    private static final int MAX_FILTER_ROWS = 10;
    private static final Pattern PROFILE_ID = Pattern.compile("[0-9a-fA-F]{24}");

    private final ConsoleRoutes.Services s;
    private final PageRoutes pages;
    private final SegmentRoutes segments;

    DatabaseRoutes(ConsoleRoutes.Services services, PageRoutes pages, SegmentRoutes segments) {
        this.s = services;
        this.pages = pages;
        this.segments = segments;
    }

    /** An output stream opened at its first byte (or flush), by a function that may still set headers. */
    private static final class FirstByte extends java.io.OutputStream {
        private final java.util.concurrent.Callable<java.io.OutputStream> opener;
        private java.io.OutputStream body;

        FirstByte(java.util.concurrent.Callable<java.io.OutputStream> opener) {
            this.opener = opener;
        }

        private java.io.OutputStream body() throws java.io.IOException {
            if (body == null) {
                try {
                    body = opener.call();
                } catch (java.io.IOException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new java.io.IOException(e);
                }
            }
            return body;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            body().write(b);
        }

        @Override
        public void write(byte[] data, int offset, int length) throws java.io.IOException {
            body().write(data, offset, length);
        }

        @Override
        public void flush() throws java.io.IOException {
            body().flush(); // an export of nothing is still a download (an empty file)
        }
    }

    /** The export formats offered: what profiles/get_all calls them, the file's extension and its media type. */
    enum Format {
        CSV("csv", "csv", "text/csv; charset=utf-8"),
        JSONL("jsonl", "jsonl", "application/x-ndjson"),
        JSON("json", "json", "application/json");

        private final String wire;
        private final String extension;
        private final String mediaType;

        Format(String wire, String extension, String mediaType) {
            this.wire = wire;
            this.extension = extension;
            this.mediaType = mediaType;
        }

        String wire() {
            return wire;
        }

        static Format of(String text) {
            for (Format f : values()) {
                if (f.wire.equals(text)) {
                    return f;
                }
            }
            return CSV;
        }
    }

    /** Streams the export as a download named {@code name.<extension>}; the export service checks the request. */
    static void download(Context ctx, ConsoleRoutes.Services s, Caller caller, Exports.Request request, String name,
                         Format format) throws Exception {
        // the download's headers and body start with the first byte: a refused request (checked before any byte)
        // is still shown as a page
        FirstByte out = new FirstByte(() -> {
            ctx.header("Content-Disposition", "attachment; filename=\"" + name + "." + format.extension + "\"");
            ctx.contentType(format.mediaType);
            return ctx.outputStream();
        });
        s.exports().export(caller, request, out);
        out.flush();
    }

    void register(RoutesConfig routes) {
        routes.get("/console/db/{db}", pages.signedIn("overview", (ctx, caller, chrome) ->
                page(ctx, caller, chrome, 200, null, null)));
        routes.post("/console/db/{db}/segments", pages.signedIn("overview", this::createSegment));
        routes.post("/console/db/{db}/fields", pages.signedIn("overview", this::addField));
        routes.post("/console/db/{db}/import", pages.signedIn("overview", this::upload));
        routes.get("/console/db/{db}/import/{job}", pages.signedIn("overview", (ctx, caller, chrome) ->
                pages.render(ctx, 200, "importjob.jte", chrome.withTitle("Import", "overview"), job(ctx, caller))));
        routes.get("/console/db/{db}/import/{job}/progress", pages.signedIn("overview", (ctx, caller, chrome) ->
                pages.fragment(ctx, "importprogress.jte", job(ctx, caller))));
        routes.get("/console/db/{db}/import/{job}/rejected.csv", pages.signedIn("overview", this::rejected));
        routes.get("/console/db/{db}/export", pages.signedIn("overview", this::export));
    }

    /** A refused segment (a name taken, a bad query) is shown in the segments card, the filter as it was. */
    private void createSegment(Context ctx, Caller caller, Views.Chrome chrome) {
        try {
            segments.create(ctx, caller);
        } catch (RosterException e) {
            if (!SegmentRoutes.refusal(e)) {
                throw e;
            }
            page(ctx, caller, chrome, 400, null, Views.sentence(e.getMessage()));
        }
    }

    private void page(Context ctx, Caller caller, Views.Chrome chrome, int status, String fieldError,
                      String segmentError) {
        long dbId = PageRoutes.pathId(ctx, "db");
        CatalogModel.Database db = s.databases().get(caller, dbId);
        List<CatalogModel.FieldInfo> infos = s.databases().fields(caller, dbId);
        Map<String, String> types = new LinkedHashMap<>(FilterBuilder.builtIn());
        infos.forEach(f -> types.put(f.name(), f.type()));

        String q = Optional.ofNullable(ctx.queryParam("q")).orElse("").strip();
        String after = ctx.queryParam("after");
        String join = "or".equals(ctx.queryParam("join")) ? "or" : "and";
        List<FilterBuilder.Condition> conditions = conditions(ctx);
        boolean filtering = conditions.stream().anyMatch(c -> !c.blank());

        List<ObjectNode> found = List.of();
        String nextFrom = null;
        String message = null;
        String mode;
        String queryText = null;
        String filterError = null;
        Long filterCount = null;
        String pageQuery;
        if (!q.isEmpty()) {
            mode = "search";
            pageQuery = "q=" + enc(q);
            try {
                found = List.of(s.profiles().get(caller, new ProfileModel.Lookup(dbId, lookup(q))));
            } catch (RosterException e) {
                if (e.code() != ErrorCode.NOT_FOUND) {
                    throw e;
                }
                message = "No profile of this database has " + describe(q) + ".";
            }
        } else if (filtering) {
            mode = "filter";
            pageQuery = filterQueryString(conditions, join);
            try {
                ObjectNode query = FilterBuilder.build(conditions, join, types);
                queryText = Json.write(query);
                ProfileSearch.Found page = s.search().list(caller, dbId, query, null, after, PAGE);
                found = page.profiles();
                nextFrom = page.nextFromId();
                filterCount = s.search().count(caller, dbId, query);
            } catch (IllegalArgumentException e) {
                filterError = Views.sentence(e.getMessage());
            } catch (RosterException e) {
                filterError = Views.sentence(e.getMessage());
            }
        } else {
            mode = "browse";
            pageQuery = "";
            found = s.profiles().page(dbId, after, PAGE);
            nextFrom = found.size() == PAGE ? found.get(found.size() - 1).path("id").asText() : null;
        }

        List<Views.ProfileRow> rows = found.stream().map(DatabaseRoutes::row).toList();
        List<Views.Option> fieldOptions = new ArrayList<>();
        types.keySet().forEach(name -> fieldOptions.add(new Views.Option(name, name)));
        FilterBuilder.SUBSCRIPTION_CHANNELS.forEach(c -> fieldOptions.add(new Views.Option(
                FilterBuilder.SUBSCRIPTION_PREFIX + c, "subscription status: " + c)));
        List<Views.FilterRow> filterRows = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            FilterBuilder.Condition c = conditions.get(i);
            filterRows.add(new Views.FilterRow(i, c.field(), c.op(), c.value()));
        }
        Views.Filter filter = new Views.Filter(filterRows, join, fieldOptions,
                FilterBuilder.OPS.stream().map(o -> new Views.Option(o.name(), o.label())).toList(), queryText,
                filterError, filtering, filterCount);
        List<Views.Field> fields = infos.stream().filter(f -> "custom".equals(f.category()))
                .map(f -> new Views.Field(f.name(), f.title(), f.type(), f.category(), f.unique())).toList();
        List<String> fieldTypes = Arrays.stream(FieldType.values()).map(FieldType::wireName).toList();
        pages.render(ctx, status, "database.jte", chrome.withTitle(db.name(), "overview"),
                new Views.Database(dbId, db.name(), db.description(), fields, db.profilesCount(), q, mode, message,
                        rows, nextFrom == null ? null : enc(nextFrom), pageQuery, filter, caller.can(Permission.CATALOG_WRITE), fieldTypes, fieldError,
                        caller.can(Permission.PROFILES_WRITE), segments.ofDatabase(caller, dbId), segmentError,
                        segmentError == null ? "" : Optional.ofNullable(ctx.formParam("name")).orElse(""),
                        mode.equals("filter") && queryText != null ? "&" + pageQuery : ""));
    }

    /** The rows of the filter form from the query string, plus an empty one when asked for (at most ten). */
    private static List<FilterBuilder.Condition> conditions(Context ctx) {
        List<FilterBuilder.Condition> out = new ArrayList<>();
        for (int i = 0; i < MAX_FILTER_ROWS; i++) {
            String field = ctx.queryParam("f" + i);
            if (field == null) {
                break;
            }
            out.add(new FilterBuilder.Condition(field, ctx.queryParam("o" + i), ctx.queryParam("v" + i)));
        }
        if (out.isEmpty() || ctx.queryParam("add") != null && out.size() < MAX_FILTER_ROWS) {
            out.add(new FilterBuilder.Condition("", "eq", ""));
        }
        return out;
    }

    private static String filterQueryString(List<FilterBuilder.Condition> conditions, String join) {
        StringBuilder out = new StringBuilder("join=" + join);
        int i = 0;
        for (FilterBuilder.Condition c : conditions) {
            if (c.blank()) {
                continue;
            }
            out.append("&f").append(i).append('=').append(enc(c.field()))
                    .append("&o").append(i).append('=').append(enc(c.op()))
                    .append("&v").append(i).append('=').append(enc(c.value() == null ? "" : c.value()));
            i++;
        }
        return out.toString();
    }

    /** What the search box holds: a profile id, an email address or a phone number. */
    static ProfileModel.MatchRequest lookup(String q) {
        if (PROFILE_ID.matcher(q).matches()) {
            return ProfileModel.MatchRequest.byProfileId(q.toLowerCase());
        }
        if (q.contains("@")) {
            return ProfileModel.MatchRequest.byEmail(dev.roster.profile.Matching.EMAIL, q);
        }
        return ProfileModel.MatchRequest.byPhone(dev.roster.profile.Matching.PHONE, q);
    }

    private static String describe(String q) {
        return PROFILE_ID.matcher(q).matches() ? "the id " + q : q.contains("@") ? "the email " + q : "the phone " + q;
    }

    static Views.ProfileRow row(ObjectNode p) {
        List<String> phones = new ArrayList<>();
        p.path("phones").forEach(n -> phones.add(n.asText()));
        String name = (p.path("_fname").asText("") + " " + p.path("_lname").asText("")).strip();
        return new Views.ProfileRow(p.path("id").asText(), p.path("email").asText(""), String.join(", ", phones), name,
                p.path("_updatetime").asText(""));
    }

    private void addField(Context ctx, Caller caller, Views.Chrome chrome) {
        caller.require(Permission.CATALOG_WRITE);
        long dbId = PageRoutes.pathId(ctx, "db");
        try {
            String name = Optional.ofNullable(ctx.formParam("name")).orElse("").strip();
            if (name.isEmpty()) {
                throw RosterException.missing("name");
            }
            String title = Optional.ofNullable(ctx.formParam("title")).orElse("").strip();
            String options = Optional.ofNullable(ctx.formParam("options")).orElse("").strip();
            List<String> optionList = options.isEmpty() ? null
                    : Arrays.stream(options.split(",")).map(String::strip).filter(o -> !o.isEmpty()).toList();
            s.databases().addField(caller, new CatalogModel.NewField(dbId, name,
                    FieldType.parse(ctx.formParam("type")), title.isEmpty() ? name : title,
                    ctx.formParam("unique") != null, optionList));
        } catch (RosterException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                throw e;
            }
            page(ctx, caller, chrome, 400, Views.sentence(e.getMessage()), null);
            return;
        }
        PageRoutes.redirect(ctx, "/console/db/" + dbId + "?ok=field");
    }

    private void upload(Context ctx, Caller caller, Views.Chrome chrome) throws Exception {
        caller.require(Permission.PROFILES_WRITE);
        long dbId = PageRoutes.pathId(ctx, "db");
        s.databases().get(caller, dbId);
        UploadedFile file = ctx.uploadedFile("file");
        if (file == null || file.filename() == null || file.filename().isBlank()) {
            throw RosterException.badRequest("choose a CSV or JSON Lines file to upload");
        }
        String matching = Optional.ofNullable(ctx.formParam("matching")).orElse("email");
        if (!List.of("email", "phone", "profile_id").contains(matching)) {
            throw RosterException.invalid("matching", "email, phone or profile_id", matching);
        }
        Path saved = s.imports().newUploadFile();
        try (InputStream in = file.content()) {
            Files.copy(in, saved, StandardCopyOption.REPLACE_EXISTING);
        }
        ImportJobs.Job job = s.imports().start(caller, dbId, file.filename(), saved, matching);
        PageRoutes.redirect(ctx, "/console/db/" + dbId + "/import/" + job.id);
    }

    private Views.ImportJob job(Context ctx, Caller caller) {
        long dbId = PageRoutes.pathId(ctx, "db");
        CatalogModel.Database db = s.databases().get(caller, dbId);
        ImportJobs.Job job = s.imports().find(caller, dbId, ctx.pathParam("job"))
                .orElseThrow(() -> RosterException.notFound("this import is not known here (imports are kept for an hour)"));
        FileImport.Progress p = job.progress();
        long total = Math.max(1, p.bytesTotal());
        int percent = job.done() ? 100 : (int) Math.min(99, 100 * p.bytesRead() / total);
        return new Views.ImportJob(dbId, db.name(), job.id, job.fileName, job.done(), job.error(), p.rows(),
                p.imported(), p.rejected(), p.bytesRead(), p.bytesTotal(), percent, job.seconds());
    }

    private void rejected(Context ctx, Caller caller, Views.Chrome chrome) throws Exception {
        long dbId = PageRoutes.pathId(ctx, "db");
        ImportJobs.Job job = s.imports().find(caller, dbId, ctx.pathParam("job"))
                .orElseThrow(() -> RosterException.notFound("this import is not known here"));
        if (!job.done() || !Files.exists(job.report())) {
            throw RosterException.badRequest("the report is ready when the import has finished");
        }
        ctx.header("Content-Disposition", "attachment; filename=\"rejected-rows-" + job.id + ".csv\"");
        ctx.contentType("text/csv; charset=utf-8").result(Files.newInputStream(job.report()));
    }

    /** The database, or the profiles the filter of the query string matches (the same rows as the page's filter). */
    private void export(Context ctx, Caller caller, Views.Chrome chrome) throws Exception {
        caller.require(Permission.PROFILES_READ);
        long dbId = PageRoutes.pathId(ctx, "db");
        Format format = Format.of(ctx.queryParam("format"));
        ObjectNode query = null;
        List<FilterBuilder.Condition> conditions = conditions(ctx);
        if (conditions.stream().anyMatch(c -> !c.blank())) {
            Map<String, String> types = new LinkedHashMap<>(FilterBuilder.builtIn());
            s.databases().fields(caller, dbId).forEach(f -> types.put(f.name(), f.type()));
            try {
                query = FilterBuilder.build(conditions, "or".equals(ctx.queryParam("join")) ? "or" : "and", types);
            } catch (IllegalArgumentException e) {
                throw RosterException.badRequest(e.getMessage());
            }
        }
        download(ctx, s, caller, new Exports.Request("database", dbId, format.wire(), null, query),
                query == null ? "database-" + dbId : "database-" + dbId + "-filtered", format);
    }

    static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? "" : node.isTextual() ? node.asText() : node.toString();
    }
}
