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
import dev.roster.http.FileSource;
import dev.roster.json.Json;
import dev.roster.profile.ProfileService;
import dev.roster.profile.StandardField;
import dev.roster.store.Store;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports of a database to a file (docs/API.md, Export): {@code profiles/get_all} starts a task that pages through the
 * profiles in id order, {@code tasks/status} reports it, and the finished file is downloaded. Memory stays flat
 * whatever the size: one page of profiles at a time, written in chunks of 1 MB. Tasks and files live in the store, so
 * any server of the store answers for them and a restart forgets nothing; they are deleted after the retention or by
 * {@code tasks/delete}.
 */
public final class Exports {
    private static final Logger log = LoggerFactory.getLogger(Exports.class);
    private static final int PAGE = 1000;
    private static final int CHUNK = 1 << 20;
    /** A running export writes a chunk (and its progress) at least this often unless its server stopped. */
    private static final java.time.Duration STALLED = java.time.Duration.ofMinutes(10);
    private static final Pattern TASK = Pattern.compile("task_[0-9a-f-]{36}");

    private final Store store;
    private final DatabaseService databases;
    private final ProfileService profiles;

    private final ProfileQueryService queries;
    private final SegmentService segments;

    public Exports(Store store, DatabaseService databases, ProfileService profiles) {
        this(store, databases, profiles, null, null);
    }

    /** With segments and queries: exports of a segment, and of a query's profiles. */
    public Exports(Store store, DatabaseService databases, ProfileService profiles, ProfileQueryService queries,
                   SegmentService segments) {
        this.store = store;
        this.databases = databases;
        this.profiles = profiles;
        this.queries = queries;
        this.segments = segments;
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

    /** The counts of one export as it runs. */
    private static final class Task {
        final String id;
        volatile long total;
        volatile long done;
        volatile long written;
        /** Whether the task has a row in the store (not a command line export). */
        final boolean stored;
        volatile long reportedAt = System.currentTimeMillis();

        Task(String id) {
            this.id = id;
            this.stored = !id.equals("cli");
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
        if (!format.equals("csv") && !format.equals("json") && !format.equals("jsonl")) {
            throw RosterException.invalid("file_format", "\"csv\", \"jsonl\" or \"json\"", format);
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
        // the file's name says what was exported: <db id>_database_export.csv or <segment id>_segment_export.csv
        String fileName = (prepared.segmentId() == null ? prepared.schema().dbId() : prepared.segmentId()) + "_"
                + prepared.type() + "_export." + prepared.format();
        store.write(h -> {
            ExportSql.insert(h, id, caller.accountId(), prepared.schema().dbId(), fileName, System.currentTimeMillis());
            return null;
        });
        Thread.ofVirtual().name("roster-export-" + id).start(() -> run(new Task(id), prepared));
        return id;
    }

    /** Writes the export to {@code out} now (the command line's {@code roster export}); returns the profiles written. */
    public long export(Caller caller, Request request, OutputStream out) throws IOException {
        Prepared prepared = prepare(caller, request);
        Task task = new Task("cli");
        write(task, prepared, out);
        return task.written;
    }

    /**
     * Registers a task that is complete already (refresh_counters: the counters are exact at every commit) and returns
     * its id; {@code tasks/status} reports it like a finished export, with {@code result} as given.
     */
    public String completed(Caller caller, ObjectNode result) {
        String id = "task_" + UUID.randomUUID();
        finished.put(id, new Finished(caller.accountId(), result));
        return id;
    }

    /** The answer of tasks/status for a task {@link #completed} registered. */
    public static ObjectNode completedStatus(ObjectNode result) {
        ObjectNode status = Json.object().put("status", "completed").put("progress", 100);
        status.set("result", result);
        return status;
    }

    private record Finished(long accountId, ObjectNode result) {
    }

    /** Kept a day, like Altcraft's task results, and bounded: a client polling later than that gets a 404. */
    private final com.github.benmanes.caffeine.cache.Cache<String, Finished> finished =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().expireAfterWrite(java.time.Duration.ofHours(24))
                    .maximumSize(100_000).build();

    /** {@code tasks/status}: an export's {@link Status}, or the answer of a task that was complete at once. */
    public Object status(Caller caller, String taskId) {
        Finished done = finished.getIfPresent(taskId);
        if (done != null && done.accountId() == caller.accountId()) {
            return completedStatus(done.result());
        }
        return exportStatus(caller, taskId);
    }

    private Status exportStatus(Caller caller, String taskId) {
        ExportSql.TaskRow task = store.read(h -> ExportSql.task(h, caller.accountId(), taskId))
                .orElseThrow(() -> RosterException.notFound("task '" + taskId + "' not found"));
        boolean completed = task.status().equals("completed");
        if (!completed && !task.status().equals("failed")
                && System.currentTimeMillis() - task.updatedAt() > STALLED.toMillis()) {
            // a running export records its progress at every chunk; silence this long means its server stopped
            return new Status("failed", 0, new Result(List.of("export failed: the server running it stopped; start "
                    + "the export again"), task.dbId(), task.done(), "database", List.of()));
        }
        int progress = completed ? 100 : task.total() == 0 ? 0 : (int) Math.min(99, task.done() * 100 / task.total());
        List<String> urls = completed ? List.of("/api/download/data/" + task.id() + "/" + task.fileName()) : List.of();
        List<String> errors = task.error() == null ? List.of() : List.of(task.error());
        // a segment's export is named after the segment (see start): its result names the segment as Altcraft's does
        boolean segment = task.fileName().contains("_segment_export.");
        long sourceId = segment ? Long.parseLong(task.fileName().substring(0, task.fileName().indexOf('_'))) : task.dbId();
        return new Status(task.status(), progress, new Result(errors, sourceId, task.done(), segment ? "segment" : "database",
                urls));
    }

    /** Deletes the caller's account's task and its file ({@code tasks/delete}). */
    public void delete(Caller caller, String taskId) {
        if (!store.write(h -> ExportSql.delete(h, caller.accountId(), taskId))) {
            throw RosterException.notFound("task '" + taskId + "' not found");
        }
    }

    /** Deletes the tasks (and files) created before {@code before}; returns how many. */
    public int deleteOlderThan(java.time.Instant before) {
        List<String> old = store.read(h -> ExportSql.createdBefore(h, before.toEpochMilli()));
        for (String id : old) {
            store.write(h -> {
                ExportSql.deleteAny(h, id);
                return null;
            });
        }
        if (!old.isEmpty()) {
            log.info("deleted {} export files past their retention", old.size());
        }
        return old.size();
    }

    /** The finished file of the caller's account's task, read from the store chunk by chunk. */
    public Optional<FileSource.Download> find(Caller caller, String taskId, String file) {
        if (!TASK.matcher(taskId).matches()) {
            return Optional.empty();
        }
        return store.read(h -> ExportSql.task(h, caller.accountId(), taskId))
                .filter(t -> t.status().equals("completed") && t.fileName().equals(file))
                .map(t -> new FileSource.Download(t.fileName(), t.bytes(), () -> new ChunkStream(t.id())));
    }

    /** The chunks of a file in order; one chunk in memory at a time. */
    private final class ChunkStream extends InputStream {
        private final String taskId;
        private int seq;
        private byte[] chunk = new byte[0];
        private int at;
        private boolean end;

        ChunkStream(String taskId) {
            this.taskId = taskId;
        }

        private boolean fill() {
            while (!end && at >= chunk.length) {
                int next = seq++;
                Optional<byte[]> data = store.read(h -> ExportSql.chunk(h, taskId, next));
                if (data.isEmpty()) {
                    end = true;
                } else {
                    chunk = data.get();
                    at = 0;
                }
            }
            return !end || at < chunk.length;
        }

        @Override
        public int read() {
            return fill() && at < chunk.length ? chunk[at++] & 0xff : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (!fill() || at >= chunk.length) {
                return -1;
            }
            int n = Math.min(length, chunk.length - at);
            System.arraycopy(chunk, at, buffer, offset, n);
            at += n;
            return n;
        }
    }

    /** Buffers the export and stores it as chunks of {@link #CHUNK} bytes, each in its own short transaction. */
    private final class ChunkWriter extends OutputStream {
        private final Task task;
        private final java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream(CHUNK);
        private int seq;
        private long bytes;

        ChunkWriter(Task task) {
            this.task = task;
        }

        @Override
        public void write(int b) {
            buffer.write(b);
            if (buffer.size() >= CHUNK) {
                store();
            }
        }

        @Override
        public void write(byte[] data, int offset, int length) {
            buffer.write(data, offset, length);
            if (buffer.size() >= CHUNK) {
                store();
            }
        }

        private void store() {
            byte[] data = buffer.toByteArray();
            buffer.reset();
            int next = seq++;
            bytes += data.length;
            long now = System.currentTimeMillis();
            store.write(h -> {
                ExportSql.insertChunk(h, task.id, next, data);
                ExportSql.progress(h, task.id, "running", task.total, task.done, now);
                return null;
            });
        }

        @Override
        public void close() {
            if (buffer.size() > 0) {
                store();
            }
        }
    }

    private void run(Task task, Prepared prepared) {
        try {
            store.write(h -> {
                ExportSql.progress(h, task.id, "running", 0, 0, System.currentTimeMillis());
                return null;
            });
            ChunkWriter chunks = new ChunkWriter(task);
            try (chunks) {
                write(task, prepared, chunks);
            }
            store.write(h -> {
                ExportSql.finish(h, task.id, "completed", task.done, chunks.bytes, null, System.currentTimeMillis());
                return null;
            });
        } catch (IOException | RuntimeException e) {
            log.error("export {} failed", task.id, e);
            try {
                store.write(h -> {
                    h.createUpdate("delete from export_chunks where task_id = :id").bind("id", task.id).execute();
                    ExportSql.finish(h, task.id, "failed", task.done, 0, "export failed: " + e.getMessage(),
                            System.currentTimeMillis());
                    return null;
                });
            } catch (RuntimeException again) {
                log.error("export {}: cannot record the failure", task.id, again);
            }
        }
    }

    private void write(Task task, Prepared prepared, OutputStream out) throws IOException {
        task.total = prepared.segmentId() == null && prepared.query() == null ? profiles.count(prepared.schema().dbId())
                : queries.count(prepared.caller(), prepared.schema().dbId(), prepared.segmentId(), prepared.query());
        switch (prepared.format()) {
            case "csv" -> writeCsv(task, prepared, out);
            case "jsonl" -> writeJsonLines(task, prepared, out);
            default -> writeJson(task, prepared, out);
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
            reportProgress(task);
        }
    }

    /** Records a running task's progress at least every minute, even when its filters keep nothing for a while. */
    private void reportProgress(Task task) {
        long now = System.currentTimeMillis();
        if (task.stored && now - task.reportedAt >= 60_000) {
            task.reportedAt = now;
            store.write(h -> {
                ExportSql.progress(h, task.id, "running", task.total, task.done, now);
                return null;
            });
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

    /** One profile per line, as profiles/get shows it: what roster import reads back. */
    private void writeJsonLines(Task task, Prepared prepared, OutputStream out) throws IOException {
        Writer writer = new BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8));
        forEach(task, prepared, profile -> {
            try {
                writer.write(Json.write(profile));
                writer.write('\n');
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.flush();
    }

    private void writeCsv(Task task, Prepared prepared, OutputStream out) throws IOException {
        Schema schema = prepared.schema();
        List<String> columns = new ArrayList<>(List.of("id"));
        for (StandardField f : StandardField.values()) {
            columns.add(f.wireName());
        }
        columns.addAll(schema.fields().keySet());
        // the subscriptions column holds the profile's subscriptions as a JSON array, as profiles/get shows them
        columns.addAll(List.of("_createtime", "_updatetime", "subscriptions"));
        Writer writer = new BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8));
        writer.write(String.join(",", columns.stream().map(Exports::csv).toList()));
        writer.write("\r\n");
        forEach(task, prepared, profile -> {
            try {
                List<String> cells = new ArrayList<>(columns.size());
                for (String column : columns) {
                    JsonNode value = profile.get(column);
                    boolean none = value == null || value.isNull()
                            || column.equals("subscriptions") && value.isEmpty();
                    cells.add(none ? "" : csv(value.isValueNode() ? value.asText()
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

    /** A number or a phone number: a spreadsheet computes nothing from it, so it is written as it is. */
    private static final Pattern NUMBER_OR_PHONE = Pattern.compile("[+-]?[0-9][0-9 ().;,eE+-]*");

    /**
     * True when a spreadsheet would run the cell as a formula: it starts with = or @, a tab or a carriage return, or
     * with + or - and is not a number or a phone number.
     */
    private static boolean formula(String value) {
        if (value.isEmpty()) {
            return false;
        }
        char first = value.charAt(0);
        return first == '=' || first == '@' || first == '\t' || first == '\r'
                || (first == '+' || first == '-') && !NUMBER_OR_PHONE.matcher(value).matches();
    }

    /**
     * RFC 4180 quoting; a value a spreadsheet would run as a formula is prefixed with ' (and so is a value that
     * starts with ' where {@link #uncsv} would otherwise remove one), so that {@code roster import} restores it.
     */
    static String csv(String value) {
        String safe = formula(value) || !uncsv(value).equals(value) ? "'" + value : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }

    /** Undoes the formula escape of {@link #csv}: a ' before a formula or before another ' is removed. */
    static String uncsv(String cell) {
        if (cell.length() > 1 && cell.charAt(0) == '\'' && (cell.charAt(1) == '\'' || formula(cell.substring(1)))) {
            return cell.substring(1);
        }
        return cell;
    }
}
