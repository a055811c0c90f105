package dev.roster.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Caller;
import dev.roster.error.RosterException;
import dev.roster.json.Json;
import dev.roster.profile.ProfileModel.ItemResult;
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
    private final ProfileService profiles;

    public FileImport(ProfileService profiles) {
        this.profiles = profiles;
    }

    /** {@code addToSegments}: static segments every imported row joins (empty: none). */
    public record Options(long dbId, String matching, String fieldName, String format, int batchSize,
                          List<Long> addToSegments) {
        public Options(long dbId, String matching, String fieldName, String format, int batchSize) {
            this(dbId, matching, fieldName, format, batchSize, List.of());
        }

    }

    public record Progress(long rows, long imported, long rejected, long bytesRead, long bytesTotal) {
    }

    /** One row as read: its line, and its profile data or the reason it cannot be one. */
    private record Row(long line, ObjectNode data, String error, String raw) {
    }

    public Progress run(Caller caller, Path file, Options options, Path report, Consumer<Progress> onBatch)
            throws IOException {
        String format = options.format() != null ? options.format()
                : file.getFileName().toString().toLowerCase().endsWith(".csv") ? "csv" : "jsonl";
        if (!format.equals("csv") && !format.equals("jsonl")) {
            throw RosterException.invalid("format", "csv or jsonl", format);
        }
        long total = Files.size(file);
        MatchRequest match = new MatchRequest(options.matching(), null, null, null, null, null, options.fieldName(),
                null, null);
        long rows = 0;
        long imported = 0;
        long rejected = 0;
        try (CountingStream counted = new CountingStream(Files.newInputStream(file));
             BufferedReader reader = new BufferedReader(new InputStreamReader(counted, StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(report, StandardCharsets.UTF_8))) {
            out.println("line,error,error_text,row");
            RowSource source = format.equals("csv") ? new CsvRows(reader) : new JsonLines(reader);
            List<Row> batch = new ArrayList<>(options.batchSize());
            Row row;
            while (true) {
                row = source.next();
                if (row != null) {
                    batch.add(row);
                }
                if (batch.size() >= options.batchSize() || row == null && !batch.isEmpty()) {
                    List<Row> good = batch.stream().filter(r -> r.error() == null).toList();
                    List<ItemResult> results = good.isEmpty() ? List.of() : profiles.writeBatch(caller,
                            good.stream().map(r -> new WriteCommand(options.dbId(), match, r.data(), false,
                                    options.addToSegments(), List.of())).toList(),
                            WriteMode.IMPORT, Origin.FILE);
                    int next = 0;
                    for (Row r : batch) {
                        rows++;
                        if (r.error() != null) {
                            rejected++;
                            out.println(r.line() + ",400," + Exports.csv(r.error()) + "," + Exports.csv(r.raw()));
                            continue;
                        }
                        ItemResult result = results.get(next++);
                        if (result.error() == 0) {
                            imported++;
                        } else {
                            rejected++;
                            out.println(r.line() + "," + result.error() + "," + Exports.csv(result.errorText()) + ","
                                    + Exports.csv(r.raw()));
                        }
                    }
                    out.flush();
                    batch.clear();
                    onBatch.accept(new Progress(rows, imported, rejected, counted.count, total));
                }
                if (row == null) {
                    break;
                }
            }
        }
        return new Progress(rows, imported, rejected, total, total);
    }

    private interface RowSource {
        Row next() throws IOException;
    }

    /** A header row of field names, then one profile per record; {@code phones} may hold several, split by ; or ,. */
    private static final class CsvRows implements RowSource {
        private final CsvReader csv;
        private final List<String> header;

        CsvRows(BufferedReader reader) throws IOException {
            this.csv = new CsvReader(reader);
            List<String> first = csv.next();
            if (first == null) {
                throw RosterException.badRequest("the CSV file is empty: its first row must name the fields");
            }
            this.header = first.stream().map(String::strip).toList();
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
                String value = fields.get(i);
                if (value.isEmpty()) {
                    continue; // an empty cell leaves the field as it is
                }
                if (header.get(i).equals("phones")) {
                    ArrayNode phones = data.putArray("phones");
                    for (String phone : value.split("[;,]")) {
                        if (!phone.isBlank()) {
                            phones.add(phone.strip());
                        }
                    }
                } else {
                    data.put(header.get(i), value);
                }
            }
            return new Row(csv.recordLine(), data, null, raw);
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
                return new Row(line, null, "malformed JSON: " + e.getOriginalMessage(), text);
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
