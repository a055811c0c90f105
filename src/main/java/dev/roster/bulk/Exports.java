package dev.roster.bulk;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Caller;
import dev.roster.catalog.CatalogModel.Schema;
import dev.roster.catalog.DatabaseService;
import dev.roster.query.ProfileQueryService;
import dev.roster.segment.SegmentService;
import dev.roster.access.Caller;
import dev.roster.error.RosterException;
import dev.roster.json.Json;
import dev.roster.profile.ProfileService;
import dev.roster.profile.StandardField;
import dev.roster.store.Store;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports of a database to a file (reference §4.10): {@code profiles/get_all} starts a task that pages through the
 * profiles in id order, {@code tasks/status} reports it, and the finished file is downloaded. Memory stays flat
 * whatever the size: one page of profiles at a time, written straight to disk. Tasks live in this server's memory:
 * a restart forgets them (their files stay in the exports directory).
 */
public final class Exports {
    private static final Logger log = LoggerFactory.getLogger(Exports.class);
    private static final int PAGE = 1000;
    private static final Pattern TASK = Pattern.compile("task_[0-9a-f-]{36}");

    private final Store store;
    private final DatabaseService databases;
    private final ProfileService profiles;
    private final Path directory;
    private final Map<String, Task> tasks = new ConcurrentHashMap<>();

    private final ProfileQueryService queries;
    private final SegmentService segments;

    public Exports(Store store, DatabaseService databases, ProfileService profiles, Path directory) {
        this(store, databases, profiles, null, null, directory);
    }

    /** With segments and queries: exports of a segment, and of a query's profiles. */
    public Exports(Store store, DatabaseService databases, ProfileService profiles, ProfileQueryService queries,
                   SegmentService segments, Path directory) {
        this.store = store;
        this.databases = databases;
        this.profiles = profiles;
        this.queries = queries;
        this.segments = segments;
        this.directory = directory;
    }

    /** {@code query}: only the profiles it matches (profiles/list's query language), or null for all. */
    public record Request(String sourceType, long sourceId, String format, ObjectNode filters, JsonNode query) {
        public Request(String sourceType, long sourceId, String format, ObjectNode filters) {
            this(sourceType, sourceId, format, filters, null);
        }
    }

    public record Result(List<String> errors, long sourceId, long total, String type, List<String> urls) {
    }

    public record Status(String status, int progress, Result result) {
    }

    private static final class Task {
        final String id;
        final long accountId;
        final long dbId;
        final Path file;
        volatile String status = "queued";
        volatile long total;
        volatile long done;
        volatile long written;
        volatile String error;
        volatile String type = "database";

        Task(String id, long accountId, long dbId, Path file) {
            this.id = id;
            this.accountId = accountId;
            this.dbId = dbId;
            this.file = file;
        }
    }

    private record Prepared(Schema schema, String format, ObjectNode filters, Caller caller, Long segmentId,
                            JsonNode query) {
        String type() {
            return segmentId == null ? "database" : "segment";
        }
    }

    private Prepared prepare(Caller caller, Request request) {
        boolean segment = "segment".equals(request.sourceType()) && segments != null;
        if (!"database".equals(request.sourceType()) && !segment) {
            throw RosterException.invalid("source_type", "\"database\" or \"segment\"", request.sourceType());
        }
        String format = request.format() == null ? "csv" : request.format();
        if (!format.equals("csv") && !format.equals("json")) {
            throw RosterException.invalid("file_format", "\"csv\" or \"json\"", format);
        }
        long dbId = segment ? segments.source(caller, request.sourceId()).dbId() : request.sourceId();
        Schema schema = store.read(h -> databases.schema(h, caller, dbId));
        JsonNode query = request.query() == null || request.query().isNull() ? null : request.query();
        if (query != null && queries == null) {
            throw RosterException.badRequest("queries are not available here");
        }
        if (query != null) {
            store.read(h -> {
                queries.validate(h, schema, query);
                return null;
            });
        }
        ObjectNode filters = request.filters() == null ? Json.object() : request.filters();
        filters.fieldNames().forEachRemaining(name -> {
            if (StandardField.byName(name).isEmpty() && schema.field(name) == null && !name.equals("id")) {
                throw RosterException.badRequest("unknown field '" + name + "' in custom_request: database "
                        + schema.dbId() + " has no such field");
            }
        });
        return new Prepared(schema, format, filters, caller, segment ? request.sourceId() : null, query);
    }

    /** Starts the export and returns its task id. */
    public String start(Caller caller, Request request) {
        Prepared prepared = prepare(caller, request);
        String id = "task_" + UUID.randomUUID();
        Path file = directory.resolve(id).resolve((prepared.segmentId() == null ? prepared.schema().dbId()
                : prepared.segmentId()) + "_" + prepared.type() + "_export." + prepared.format());
        Task task = new Task(id, caller.accountId(), prepared.segmentId() == null ? prepared.schema().dbId()
                : prepared.segmentId(), file);
        task.type = prepared.type();
        tasks.put(id, task);
        Thread.ofVirtual().name("roster-export-" + id).start(() -> run(task, prepared));
        return id;
    }

    /** Writes the export to {@code out} now (the command line's {@code roster export}); returns the profiles written. */
    public long export(Caller caller, Request request, OutputStream out) throws IOException {
        Prepared prepared = prepare(caller, request);
        Task task = new Task("cli", caller.accountId(), prepared.schema().dbId(), null);
        write(task, prepared, out);
        return task.written;
    }

    public Status status(Caller caller, String taskId) {
        Task task = tasks.get(taskId);
        if (task == null || task.accountId != caller.accountId()) {
            throw RosterException.notFound("task '" + taskId + "' not found");
        }
        int progress = task.status.equals("completed") ? 100
                : task.total == 0 ? 0 : (int) Math.min(99, task.done * 100 / task.total);
        List<String> urls = task.status.equals("completed")
                ? List.of("/api/download/data/" + task.id + "/" + task.file.getFileName()) : List.of();
        List<String> errors = task.error == null ? List.of() : List.of(task.error);
        return new Status(task.status, progress, new Result(errors, task.dbId, task.done, task.type, urls));
    }

    /** The finished file of the caller's account's task. */
    public Optional<Path> find(Caller caller, String taskId, String file) {
        Task task = tasks.get(taskId);
        if (!TASK.matcher(taskId).matches() || task == null || task.accountId != caller.accountId()
                || !task.status.equals("completed") || !task.file.getFileName().toString().equals(file)) {
            return Optional.empty();
        }
        return Optional.of(task.file);
    }

    private void run(Task task, Prepared prepared) {
        task.status = "running";
        try {
            Files.createDirectories(task.file.getParent());
            Path partial = task.file.resolveSibling(task.file.getFileName() + ".part");
            try (OutputStream out = Files.newOutputStream(partial)) {
                write(task, prepared, out);
            }
            Files.move(partial, task.file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            task.status = "completed";
        } catch (IOException | RuntimeException e) {
            log.error("export {} failed", task.id, e);
            task.error = "export failed: " + e.getMessage();
            task.status = "failed";
        }
    }

    private void write(Task task, Prepared prepared, OutputStream out) throws IOException {
        task.total = prepared.segmentId() == null && prepared.query() == null ? profiles.count(prepared.schema().dbId())
                : queries.count(prepared.caller(), prepared.schema().dbId(), prepared.segmentId(), prepared.query());
        if (prepared.format().equals("csv")) {
            writeCsv(task, prepared, out);
        } else {
            writeJson(task, prepared, out);
        }
    }

    /** Calls {@code each} for every profile of the database that the filters keep, one page at a time. */
    private void forEach(Task task, Prepared prepared, java.util.function.Consumer<ObjectNode> each) {
        long dbId = prepared.schema().dbId();
        ObjectNode filters = prepared.filters();
        if (prepared.segmentId() != null || prepared.query() != null) {
            String cursor = null;
            do {
                ProfileQueryService.Page page = queries.list(prepared.caller(), dbId, prepared.segmentId(),
                        prepared.query(), null, cursor, PAGE);
                for (ObjectNode profile : page.profiles()) {
                    task.done++;
                    if (matches(profile, filters)) {
                        each.accept(profile);
                        task.written++;
                    }
                }
                cursor = page.nextFromId();
            } while (cursor != null);
            return;
        }
        String after = null;
        while (true) {
            List<ObjectNode> page = profiles.page(dbId, after, PAGE);
            if (page.isEmpty()) {
                return;
            }
            for (ObjectNode profile : page) {
                task.done++;
                if (matches(profile, filters)) {
                    each.accept(profile);
                    task.written++;
                }
            }
            after = page.get(page.size() - 1).path("id").asText();
        }
    }

    private static boolean matches(ObjectNode profile, ObjectNode filters) {
        Iterator<Map.Entry<String, JsonNode>> wanted = filters.fields();
        while (wanted.hasNext()) {
            Map.Entry<String, JsonNode> f = wanted.next();
            JsonNode have = profile.get(f.getKey());
            if (have == null || !have.asText().equals(f.getValue().asText())) {
                return false;
            }
        }
        return true;
    }

    private void writeJson(Task task, Prepared prepared, OutputStream out) throws IOException {
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
            json.writeStartArray();
            forEach(task, prepared, profile -> {
                try {
                    Json.MAPPER.writeTree(json, profile);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            json.writeEndArray();
        }
    }

    private void writeCsv(Task task, Prepared prepared, OutputStream out) throws IOException {
        Schema schema = prepared.schema();
        List<String> columns = new ArrayList<>(List.of("id"));
        for (StandardField f : StandardField.values()) {
            columns.add(f.wireName());
        }
        columns.addAll(schema.fields().keySet());
        columns.addAll(List.of("_createtime", "_updatetime"));
        Writer writer = new BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8));
        writer.write(String.join(",", columns.stream().map(Exports::csv).toList()));
        writer.write("\r\n");
        forEach(task, prepared, profile -> {
            try {
                List<String> cells = new ArrayList<>(columns.size());
                for (String column : columns) {
                    JsonNode value = profile.get(column);
                    cells.add(value == null || value.isNull() ? "" : csv(value.isValueNode() ? value.asText()
                            : value.isArray() && column.equals("phones") ? String.join(";", texts(value)) : Json.write(value)));
                }
                writer.write(String.join(",", cells));
                writer.write("\r\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.flush();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    /** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so that spreadsheets do not run it as a formula. */
    static String csv(String value) {
        String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 && !value.matches("[-+]?[0-9.]+") ? "'" + value : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }
}
