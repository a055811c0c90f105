package dev.roster;

import dev.roster.bulk.Exports;
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
    @Option(names = "--db-id", required = true, description = "The database to export.")
    long dbId;

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
        try (Offline offline = Offline.open(store.settings(), who)) {
            Path partial = out.resolveSibling(out.getFileName() + ".part");
            long written;
            try (OutputStream stream = Files.newOutputStream(partial)) {
                written = new Exports(offline.store, offline.databases, offline.profiles, partial.getParent())
                        .export(offline.caller, new Exports.Request("database", dbId, fileFormat, null), stream);
            }
            Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            System.out.println("exported " + written + " profiles to " + out);
            return 0;
        } catch (RuntimeException e) {
            CommandFailure.report(e, System.err);
            return 1;
        } catch (IOException e) {
            System.err.println("roster: cannot write " + out + ": " + e.getMessage());
            return 1;
        }
    }
}
