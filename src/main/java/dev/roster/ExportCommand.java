package dev.roster;

import dev.roster.bulk.Exports;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code roster export --db-id N --out FILE|-}: a database's profiles as CSV, JSON Lines or a JSON array. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a database's profiles, subscriptions included, in a form roster import reads back.")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--db-id", description = "The database to export (or the segment's database with --segment).")
    Long dbId;

    @Option(names = "--query", paramLabel = "JSON", description = "Only the profiles this query matches "
            + "(the query language of profiles/list), e.g. '{\"_city\": \"Moscow\"}'.")
    String query;

    @Option(names = "--segment", paramLabel = "ID", description = "Export this segment's profiles instead of a whole database.")
    Long segment;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "The file to write; - writes to standard output.")
    String out;

    @Option(names = "--format", description = "csv, jsonl (one profile per line) or json (one array). "
            + "Default: from the file name (.jsonl, .json), else csv; jsonl for standard output.")
    String format;

    @Mixin
    Offline.Who who;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() {
        if (dbId == null && segment == null) {
            System.err.println("roster: --db-id or --segment is needed");
            return 2;
        }
        com.fasterxml.jackson.databind.JsonNode parsedQuery = null;
        if (query != null) {
            try {
                parsedQuery = dev.roster.json.Json.MAPPER.readTree(query);
            } catch (java.io.IOException e) {
                System.err.println("roster: --query is not a JSON document: " + e.getMessage());
                return 2;
            }
        }
        boolean stdout = out.equals("-");
        String name = out.toLowerCase(java.util.Locale.ROOT);
        String fileFormat = format != null ? format : stdout ? "jsonl" : name.endsWith(".jsonl") ? "jsonl"
                : name.endsWith(".json") ? "json" : "csv";
        Path target = stdout ? null : Path.of(out);
        Path partial = stdout ? null : target.resolveSibling(target.getFileName() + ".part");
        try (Offline offline = Offline.open(store.settings(), who)) {
            Exports exports = new Exports(offline.store, offline.databases, offline.profiles, offline.queries,
                    offline.segments);
            Exports.Request request = segment != null
                    ? new Exports.Request("segment", segment, fileFormat, null, parsedQuery)
                    : new Exports.Request("database", dbId, fileFormat, null, parsedQuery);
            long written;
            if (stdout) {
                written = exports.export(offline.caller, request, new NonClosing(System.out));
                System.out.flush();
                System.err.println("exported " + written + " profiles");
                return 0;
            }
            try (OutputStream stream = Files.newOutputStream(partial)) {
                written = exports.export(offline.caller, request, stream);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            System.out.println("exported " + written + " profiles to " + target);
            return 0;
        } catch (java.io.UncheckedIOException e) {
            System.err.println("roster: cannot write " + out + ": " + ImportCommand.reason(e.getCause()));
            return 1;
        } catch (IOException e) {
            System.err.println("roster: cannot write " + out + ": " + ImportCommand.reason(e));
            return 1;
        } catch (RuntimeException e) {
            CommandFailure.report(e, System.err);
            return 1;
        } finally {
            // a failed export leaves no half-written file behind
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // nothing more to do: the message above already says the export failed
                }
            }
        }
    }

    /** Standard output stays open after the export's writer closes. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
