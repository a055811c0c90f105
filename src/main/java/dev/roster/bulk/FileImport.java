package dev.roster.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Caller;
import dev.roster.catalog.CatalogModel;
import dev.roster.catalog.CatalogModel.Schema;
import dev.roster.catalog.DatabaseService;
import dev.roster.catalog.FieldType;
import dev.roster.store.Store;
import dev.roster.error.RosterException;
import dev.roster.json.Json;
import dev.roster.profile.ProfileModel;
import dev.roster.profile.ProfileModel.ItemResult;
import dev.roster.profile.Matching;
import dev.roster.profile.ProfileModel.MatchRequest;
import dev.roster.profile.ProfileModel.Origin;
import dev.roster.profile.ProfileModel.WriteCommand;
import dev.roster.profile.ProfileModel.WriteMode;
import dev.roster.profile.ProfileService;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Imports a CSV or JSON Lines file into a database in batches of set-based writes. Import matches every row (by email
 * unless told otherwise), so running the same file again after a crash updates what the first run wrote and creates
 * nothing twice. Rows that fail are written to the report with their line and reason; the others go on.
 */
public final class FileImport {
    /** Rows written from which an import refreshes the planner's statistics at its end. */
    private static final long STATISTICS_AFTER = 10_000;
    private final ProfileService profiles;
    private final Store store;
    private final DatabaseService databases;

    public FileImport(ProfileService profiles, Store store, DatabaseService databases) {
        this.profiles = profiles;
        this.store = store;
        this.databases = databases;
    }

    /** {@code addToSegments}: static segments every imported row joins (empty: none). */
    public record Options(long dbId, String matching, String fieldName, String format, int batchSize,
                          List<Long> addToSegments) {
        public Options(long dbId, String matching, String fieldName, String format, int batchSize) {
            this(dbId, matching, fieldName, format, batchSize, List.of());
        }

    }

    /**
     * @param duplicates rows that landed on a profile an earlier row of the same file wrote (applied after it, and
     *                   reported with both lines)
     */
    public record Progress(long rows, long created, long updated, long unchanged, long rejected, long duplicates,
                           long bytesRead, long bytesTotal) {
        /** The rows applied: duplicates too (after the earlier row of their profile). */
        public long imported() {
            return created + updated + unchanged + duplicates;
        }
    }

    /** One row as read: its line, and its profile data or the reason it cannot be one. */
    private record Row(long line, ObjectNode data, String error, String raw) {
    }

    /** The file's format from its name: .csv is CSV, .json a JSON array, anything else JSON Lines. */
    public static String formatOf(Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".csv") ? "csv" : name.endsWith(".json") ? "json" : "jsonl";
    }

    /**
     * Imports the file; the report (rejected rows and duplicates, with their lines and reasons) is written only when
     * there is something to report.
     */
    public Progress run(Caller caller, Path file, Options options, Path report, Consumer<Progress> onBatch)
            throws IOException {
        String format = options.format() != null ? options.format() : formatOf(file);
        if (!format.equals("csv") && !format.equals("jsonl") && !format.equals("json")) {
            throw RosterException.invalid("format", "csv, jsonl or json", format);
        }
        // an unknown database fails before the file is read; the field types decide how CSV cells are read
        Schema schema = store.read(h -> databases.schema(h, caller, options.dbId()));
        long total = Files.size(file);
        MatchRequest match = MatchRequest.byField(Matching.parseOrNull(options.matching()), options.fieldName(), null);
        // without --matching: by email, or by phone for a row that has phones and no email (a database exported whole
        // has profiles known only by their phone too); each row's key is fixed by its data, so a rerun still matches
        MatchRequest byPhone = match.matching() == null ? MatchRequest.by(Matching.PHONE) : match;
        Tally tally = new Tally();
        // On PostgreSQL two batches are written at once (Store.writeConcurrency): a batch starts once the one before it
        // holds every profile and key it writes (locked, claimed), so that whatever the two share waits for the first
        // to commit, and only when no row of it shares an identity value with a row of a batch in flight (IdentityValues), as
        // rows it could find only once those commit (through subscriptions, or phones that are not unique) must not
        // miss them. Rows are applied in file order all the same; the second batch's rows are applied in memory while
        // the first one's rows are written. SQLite has one writer: one batch at a time.
        int inFlight = Math.max(1, store.writeConcurrency());
        java.util.concurrent.ExecutorService writers = inFlight == 1 ? null
                : java.util.concurrent.Executors.newFixedThreadPool(inFlight, Thread.ofPlatform().daemon()
                        .name("import-writer-", 1).factory());
        java.util.ArrayDeque<Pending> pending = new java.util.ArrayDeque<>();
        try (CountingStream counted = new CountingStream(Files.newInputStream(file));
             BufferedReader reader = new BufferedReader(new InputStreamReader(counted, StandardCharsets.UTF_8));
             Report out = new Report(report)) {
            RowSource source = switch (format) {
                case "csv" -> new CsvRows(reader, schema);
                case "json" -> new JsonArrayRows(reader);
                default -> new JsonLines(reader);
            };
            List<Row> batch = new ArrayList<>(options.batchSize());
            Row row;
            while (true) {
                row = source.next();
                if (row != null) {
                    batch.add(row);
                }
                if (batch.size() >= options.batchSize() || row == null && !batch.isEmpty()) {
                    List<Row> rowsOfBatch = batch;
                    List<Row> good = rowsOfBatch.stream().filter(r -> r.error() == null).toList();
                    List<WriteCommand> commands = good.stream().map(r -> new WriteCommand(options.dbId(),
                            !r.data().has("email") && r.data().has("phones") ? byPhone : match, r.data(),
                            false, options.addToSegments(), List.of())).toList();
                    java.util.Set<String> keys = new java.util.HashSet<>();
                    if (writers != null) {
                        good.forEach(r -> dev.roster.profile.IdentityValues.addTo(keys, r.data(), schema, options.fieldName()));
                    }
                    while (!pending.isEmpty() && (pending.size() >= inFlight
                            || pending.stream().anyMatch(p -> !java.util.Collections.disjoint(p.keys(), keys)))) {
                        tally.settle(pending.removeFirst(), out, total, onBatch);
                    }
                    List<java.util.concurrent.CompletableFuture<Void>> earlier =
                            pending.stream().map(Pending::holding).toList();
                    java.util.concurrent.CompletableFuture<Void> holding = new java.util.concurrent.CompletableFuture<>();
                    ProfileModel.BatchTurn turn = new ProfileModel.BatchTurn(() -> earlier.forEach(FileImport::await),
                            () -> holding.complete(null));
                    java.util.concurrent.Callable<List<ItemResult>> write = () -> {
                        try {
                            return commands.isEmpty() ? List.of() : profiles.writeBatch(caller, commands,
                                    WriteMode.IMPORT, Origin.FILE, turn);
                        } finally {
                            holding.complete(null);
                        }
                    };
                    java.util.concurrent.Future<List<ItemResult>> results;
                    if (writers != null) {
                        results = writers.submit(write);
                    } else {
                        results = java.util.concurrent.CompletableFuture.completedFuture(call(write));
                    }
                    pending.addLast(new Pending(rowsOfBatch, keys, holding, results, counted.count));
                    batch = new ArrayList<>(options.batchSize());
                }
                if (row == null) {
                    break;
                }
            }
            while (!pending.isEmpty()) {
                tally.settle(pending.removeFirst(), out, total, onBatch);
            }
        } finally {
            if (writers != null) {
                // a failed import still lets the batches in flight end (commit or roll back) before the store closes
                writers.shutdown();
                try {
                    writers.awaitTermination(1, java.util.concurrent.TimeUnit.HOURS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        long created = tally.created;
        long updated = tally.updated;
        if (created + updated >= STATISTICS_AFTER) {
            // the planner's statistics of a table right after a bulk load are missing or stale until autovacuum
            // catches up (never, where it is off); the write path does not depend on them, but reads and the other
            // features' statements do
            profiles.refreshStatistics();
        }
        return tally.progress(total, total);
    }

    /** A batch read and handed to a writer: its rows, their identity values, and its results to come. */
    private record Pending(List<Row> rows, java.util.Set<String> keys,
                           java.util.concurrent.CompletableFuture<Void> holding,
                           java.util.concurrent.Future<List<ItemResult>> results, long bytesRead) {
    }

    private static void await(java.util.concurrent.CompletableFuture<Void> holding) {
        try {
            holding.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the import was interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause()); // never: it completes normally, at the latest when written
        }
    }

    private static <T> T call(java.util.concurrent.Callable<T> task) {
        try {
            return task.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The counts so far and the rows seen, kept as the batches' results are taken, in file order. */
    private static final class Tally {
        long rows;
        long created;
        long updated;
        long unchanged;
        long rejected;
        long duplicates;
        final ProfileLines seen = new ProfileLines();

        Progress progress(long bytesRead, long total) {
            return new Progress(rows, created, updated, unchanged, rejected, duplicates, bytesRead, total);
        }

        /** Waits for the batch's results, counts and reports its rows, and tells the progress. */
        void settle(Pending batch, Report out, long total, Consumer<Progress> onBatch) throws IOException {
            List<ItemResult> results;
            try {
                results = batch.results().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("the import was interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(e.getCause());
            }
            int next = 0;
            for (Row r : batch.rows()) {
                rows++;
                if (r.error() != null) {
                    rejected++;
                    out.line(r.line() + ",400," + Exports.csv(r.error()) + "," + Exports.csv(r.raw()));
                    continue;
                }
                ItemResult result = results.get(next++);
                if (result.error() != 0) {
                    rejected++;
                    out.line(r.line() + "," + result.error() + "," + Exports.csv(result.errorText()) + ","
                            + Exports.csv(r.raw()));
                    continue;
                }
                long earlier = seen.putIfAbsent(result.profileId(), r.line());
                if (earlier >= 0) {
                    duplicates++;
                    out.line(r.line() + ",duplicate," + Exports.csv("the same profile as line " + earlier
                            + " (" + result.profileId() + "): both rows were applied, this one last") + ","
                            + Exports.csv(r.raw()));
                } else if (Boolean.TRUE.equals(result.created())) {
                    created++;
                } else if (result.changed()) {
                    updated++;
                } else {
                    unchanged++;
                }
            }
            out.flush();
            onBatch.accept(progress(batch.bytesRead(), total));
        }
    }

    /** The report file, created at its first line: an import with nothing to report leaves no empty file behind. */
    private static final class Report implements AutoCloseable {
        private final Path file;
        private PrintWriter out;

        Report(Path file) throws IOException {
            this.file = file;
            Files.deleteIfExists(file); // a report of an earlier run would otherwise pass for this one's
        }

        void line(String text) throws IOException {
            if (out == null) {
                out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
                out.println("line,error,error_text,row");
            }
            out.println(text);
        }

        void flush() {
            if (out != null) {
                out.flush();
            }
        }

        @Override
        public void close() {
            if (out != null) {
                out.close();
            }
        }
    }

    /**
     * The first line that wrote each profile: profile ids (96 bits of hex) folded to 64-bit keys in an open-addressing
     * table of primitives, about 12 bytes per profile, so a file of millions of rows stays within a small heap.
     */
    static final class ProfileLines {
        private long[] keys = new long[1 << 12];
        private long[] lines = new long[1 << 12];
        private int size;

        /** The line stored for the profile, or -1 after storing {@code line} for it. */
        long putIfAbsent(String profileId, long line) {
            long key = fold(profileId);
            if (size * 4L >= keys.length * 3L) {
                grow();
            }
            int mask = keys.length - 1;
            for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
                if (lines[i] == 0) {
                    keys[i] = key;
                    lines[i] = line;
                    size++;
                    return -1;
                }
                if (keys[i] == key) {
                    return lines[i];
                }
            }
        }

        private void grow() {
            long[] oldKeys = keys;
            long[] oldLines = lines;
            keys = new long[oldKeys.length * 2];
            lines = new long[oldKeys.length * 2];
            int mask = keys.length - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldLines[j] != 0) {
                    int i = mix(oldKeys[j]) & mask;
                    while (lines[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    keys[i] = oldKeys[j];
                    lines[i] = oldLines[j];
                }
            }
        }

        private static long fold(String id) {
            long h = 1125899906842597L;
            for (int i = 0; i < id.length(); i++) {
                h = 31 * h + id.charAt(i);
            }
            return h ^ (h >>> 29) * 0x9E3779B97F4A7C15L;
        }

        private static int mix(long key) {
            long z = key * 0xBF58476D1CE4E5B9L;
            return (int) (z ^ (z >>> 31));
        }
    }

    private interface RowSource {
        Row next() throws IOException;
    }

    /**
     * A header row of field names, then one profile per record; {@code phones} may hold several, split by ; or ,.
     * Cells of {@code object}, {@code arr_object} and {@code tags} fields and of {@code subscriptions} that hold JSON
     * are read as JSON; a cell that {@code roster export} escaped against spreadsheet formulas is unescaped.
     */
    private static final class CsvRows implements RowSource {
        private final CsvReader csv;
        private final List<String> header;
        private final Schema schema;

        CsvRows(BufferedReader reader, Schema schema) throws IOException {
            this.csv = new CsvReader(reader);
            this.schema = schema;
            List<String> first = csv.next();
            if (first == null) {
                throw RosterException.badRequest("the CSV file is empty: its first row must name the fields");
            }
            List<String> names = new ArrayList<>(first.stream().map(String::strip).toList());
            if (!names.isEmpty() && names.get(0).startsWith("\uFEFF")) {
                names.set(0, names.get(0).substring(1)); // a byte order mark some spreadsheets write
            }
            this.header = names;
        }

        @Override
        public Row next() throws IOException {
            List<String> fields = csv.next();
            while (fields != null && fields.size() == 1 && fields.get(0).isBlank()) {
                fields = csv.next(); // blank lines
            }
            if (fields == null) {
                return null;
            }
            String raw = String.join(",", fields);
            if (fields.size() != header.size()) {
                return new Row(csv.recordLine(), null, "the row has " + fields.size() + " fields, the header "
                        + header.size(), raw);
            }
            ObjectNode data = Json.object();
            for (int i = 0; i < header.size(); i++) {
                String value = Exports.uncsv(fields.get(i));
                if (value.isEmpty()) {
                    continue; // an empty cell leaves the field as it is
                }
                String name = header.get(i);
                if (name.equals("phones")) {
                    ArrayNode phones = data.putArray("phones");
                    for (String phone : value.split("[;,]")) {
                        if (!phone.isBlank()) {
                            phones.add(phone.strip());
                        }
                    }
                } else if (holdsJson(name) && (value.startsWith("{") || value.startsWith("["))) {
                    try {
                        data.set(name, Json.MAPPER.readTree(value));
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        return new Row(csv.recordLine(), null, "the value of '" + name + "' is not valid JSON: "
                                + e.getOriginalMessage(), raw);
                    }
                } else {
                    data.put(name, value);
                }
            }
            return new Row(csv.recordLine(), data, null, raw);
        }

        private boolean holdsJson(String name) {
            if (name.equals("subscriptions")) {
                return true;
            }
            CatalogModel.Field field = schema.field(name);
            return field != null && (field.type() == FieldType.OBJECT || field.type() == FieldType.ARR_OBJECT
                    || field.type() == FieldType.TAGS);
        }
    }

    /** A JSON array of profiles (what {@code --format json} exports), read one element at a time. */
    private static final class JsonArrayRows implements RowSource {
        /** One element of the array: more elements after it are the point, not trailing garbage. */
        private static final com.fasterxml.jackson.databind.ObjectReader ELEMENT = Json.MAPPER.readerFor(JsonNode.class)
                .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        private final com.fasterxml.jackson.core.JsonParser parser;

        JsonArrayRows(BufferedReader reader) throws IOException {
            this.parser = Json.MAPPER.getFactory().createParser(reader);
            if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                throw RosterException.badRequest("a .json file must hold one JSON array of profiles (JSON Lines files "
                        + "are named .jsonl)");
            }
        }

        @Override
        public Row next() throws IOException {
            com.fasterxml.jackson.core.JsonToken token = parser.nextToken();
            if (token == null || token == com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                return null;
            }
            long line = parser.currentTokenLocation().getLineNr();
            JsonNode node = ELEMENT.readValue(parser);
            if (!node.isObject()) {
                return new Row(line, null, "the element is not a JSON object", node.toString());
            }
            return new Row(line, (ObjectNode) node, null, node.toString());
        }
    }

    /** One JSON object per line: the profile's data, as profiles/import takes it. */
    private static final class JsonLines implements RowSource {
        private final BufferedReader reader;
        private long line;

        JsonLines(BufferedReader reader) {
            this.reader = reader;
        }

        @Override
        public Row next() throws IOException {
            String text;
            do {
                text = reader.readLine();
                line++;
            } while (text != null && text.isBlank());
            if (text == null) {
                return null;
            }
            try {
                JsonNode node = Json.MAPPER.readTree(text);
                if (!node.isObject()) {
                    return new Row(line, null, "the line is not a JSON object", text);
                }
                return new Row(line, (ObjectNode) node, null, text);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return new Row(line, null, "malformed JSON: " + Json.parseProblem(e), text);
            }
        }
    }

    /** Counts the bytes read, for the progress bar. */
    private static final class CountingStream extends java.io.FilterInputStream {
        volatile long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
