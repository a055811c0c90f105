package dev.roster;

import dev.roster.bulk.Exports;
import dev.roster.error.RosterException;
import dev.roster.store.StoreUnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code roster export --db-id N --out FILE}: writes a database's profiles to a CSV or JSON file. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Export a database's profiles to a file.")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--db-id", description = "The database to export (or the segment's database with --segment).")
    Long dbId;

    @Option(names = "--query", paramLabel = "JSON", description = "Only the profiles this query matches "
            + "(the query language of profiles/list), e.g. '{\"_city\": \"Moscow\"}'.")
    String query;

    @Option(names = "--segment", paramLabel = "ID", description = "Export this segment's profiles instead of a whole database.")
    Long segment;

    @Option(names = "--out", required = true, description = "The file to write.")
    Path out;

    @Option(names = "--format", description = "csv or json. Default: from the file name (.json), else csv.")
    String format;

    @Mixin
    Offline.Who who;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() {
        String fileFormat = format != null ? format : out.getFileName().toString().endsWith(".json") ? "json" : "csv";
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
        try (Offline offline = Offline.open(store.settings(), who)) {
            Path partial = out.resolveSibling(out.getFileName() + ".part");
            long written;
            try (OutputStream stream = Files.newOutputStream(partial)) {
                Exports.Request request = segment != null
                        ? new Exports.Request("segment", segment, fileFormat, null, parsedQuery)
                        : new Exports.Request("database", dbId, fileFormat, null, parsedQuery);
                written = new Exports(offline.store, offline.databases, offline.profiles, offline.queries,
                        offline.segments, partial.getParent()).export(offline.caller, request, stream);
            }
            Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            System.out.println("exported " + written + " profiles to " + out);
            return 0;
        } catch (StoreUnavailableException | RosterException e) {
            System.err.println("roster: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            System.err.println("roster: cannot write " + out + ": " + e.getMessage());
            return 1;
        }
    }
}
