package dev.roster;

import dev.roster.bulk.FileImport;
import dev.roster.error.RosterException;
import dev.roster.store.StoreUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code roster import FILE --db-id N}: streams a CSV or JSON Lines file into a database, with a progress line. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import profiles from a CSV (header row of field names) or JSON Lines file. Rerunning a file "
                + "after a crash creates nothing twice: every row is matched.")
final class ImportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The file to import.")
    Path file;

    @Option(names = "--db-id", required = true, description = "The database to import into.")
    long dbId;

    @Option(names = "--matching", description = "How rows find their profile (as profiles/import). Default: email.")
    String matching;

    @Option(names = "--field-name", description = "The custom field for --matching custom.")
    String fieldName;

    @Option(names = "--format", description = "csv or jsonl. Default: from the file name (.csv), else jsonl.")
    String format;

    @Option(names = "--report", description = "Where rejected rows and their reasons go. Default: FILE.rejected.csv")
    Path report;

    @Option(names = "--add-to-segment", paramLabel = "ID", description = "A static segment every imported row joins "
            + "(repeatable).")
    java.util.List<Long> addToSegments = new java.util.ArrayList<>();

    @Option(names = "--batch", defaultValue = "1000", description = "Rows per batch. Default: ${DEFAULT-VALUE}")
    int batch;

    @Mixin
    Offline.Who who;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() {
        if (batch < 1 || batch > 10_000) {
            System.err.println("roster: --batch must be from 1 to 10000");
            return 2;
        }
        Path reportFile = report != null ? report : file.resolveSibling(file.getFileName() + ".rejected.csv");
        try (Offline offline = Offline.open(store.settings(), who)) {
            long start = System.nanoTime();
            FileImport.Progress done = new FileImport(offline.profiles).run(offline.caller, file,
                    new FileImport.Options(dbId, matching, fieldName, format, batch, addToSegments), reportFile,
                    p -> {
                        System.err.print("\r" + progress(p, start));
                        System.err.flush(); // standard error flushes by itself only at a newline: the bar would stall
                    });
            System.err.println("\r" + progress(done, start));
            System.out.println("imported " + done.imported() + " of " + done.rows() + " rows; " + done.rejected()
                    + " rejected" + (done.rejected() > 0 ? " (see " + reportFile + ")" : ""));
            return done.rejected() > 0 ? 3 : 0;
        } catch (StoreUnavailableException | RosterException e) {
            System.err.println("roster: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            System.err.println("roster: cannot read " + file + ": " + e.getMessage());
            return 1;
        }
    }

    /** {@code 120000 rows  4100 rows/s  ETA 0:31  (2 rejected)} */
    static String progress(FileImport.Progress p, long startNanos) {
        double seconds = Math.max(0.001, (System.nanoTime() - startNanos) / 1e9);
        double rate = p.rows() / seconds;
        double fraction = p.bytesTotal() == 0 ? 1 : (double) p.bytesRead() / p.bytesTotal();
        long eta = fraction <= 0 ? 0 : (long) (seconds / fraction - seconds);
        int width = 30;
        int filled = (int) Math.round(Math.min(1, fraction) * width);
        return "[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + p.rows() + " rows  "
                + Math.round(rate) + " rows/s  ETA " + eta / 60 + ":" + String.format("%02d", eta % 60)
                + "  (" + p.rejected() + " rejected)";
    }
}
