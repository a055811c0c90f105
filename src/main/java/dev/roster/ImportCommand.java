package dev.roster;

import dev.roster.bulk.FileImport;
import java.io.IOException;
import java.nio.file.Files;
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

    @Option(names = "--matching", description = "How rows find their profile (as profiles/import). Default: email, or phone for a row "
            + "with phones and no email.")
    String matching;

    @Option(names = "--field-name", description = "The custom field for --matching custom.")
    String fieldName;

    @Option(names = "--format", description = "csv, jsonl or json (an array). Default: from the file name (.csv, "
            + ".json), else jsonl.")
    String format;

    @Option(names = "--report", description = "Where rejected and duplicate rows go, with their lines and reasons "
            + "(written only when there are some). Default: FILE.rejected.csv")
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
        if (!Files.isReadable(file)) {
            System.err.println("roster: cannot read " + file + ": " + (Files.exists(file) ? "permission denied"
                    : "no such file"));
            return 1;
        }
        Path reportFile = report != null ? report : file.resolveSibling(file.getFileName() + ".rejected.csv");
        // carriage-return frames only on a terminal, written to the terminal itself (the console is there only when
        // standard input and output are one): a file or a pipe gets a plain progress line every few seconds instead
        java.io.Console console = System.console();
        java.io.PrintWriter terminal = console == null ? null : console.writer();
        try (Offline offline = Offline.open(store.settings().withBulkLoad(), who)) {
            long start = System.nanoTime();
            long[] lastLine = {start};
            FileImport.Progress done = new FileImport(offline.profiles, offline.store, offline.databases)
                    .run(offline.caller, file, new FileImport.Options(dbId, matching, fieldName, format, batch, addToSegments),
                            reportFile, p -> {
                                if (terminal != null) {
                                    terminal.print("\r" + progress(p, start));
                                    terminal.flush();
                                } else if (System.nanoTime() - lastLine[0] >= 5_000_000_000L) {
                                    lastLine[0] = System.nanoTime();
                                    System.err.println(progress(p, start));
                                }
                            });
            if (terminal != null) {
                terminal.println("\r" + progress(done, start));
                terminal.flush();
            } else {
                System.err.println(progress(done, start));
            }
            System.out.println(summary(done) + (done.rejected() + done.duplicates() > 0 ? " (see " + reportFile + ")" : ""));
            return done.rejected() > 0 ? 3 : 0;
        } catch (RuntimeException e) {
            CommandFailure.report(e, System.err);
            return 1;
        } catch (IOException e) {
            System.err.println("roster: cannot read " + file + ": " + reason(e));
            return 1;
        }
    }

    /** {@code imported 7 of 9 rows: 3 created, 2 updated, 1 unchanged, 1 duplicate; 2 rejected} */
    static String summary(FileImport.Progress p) {
        return "imported " + p.imported() + " of " + p.rows() + " rows: " + p.created() + " created, " + p.updated()
                + " updated, " + p.unchanged() + " unchanged, " + p.duplicates() + " duplicate; " + p.rejected()
                + " rejected";
    }

    /** An I/O failure's own words; Java's NoSuchFileException says only the file's name. */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.charset.CharacterCodingException) {
            return "not UTF-8 text";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
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
                + "  (" + p.rejected() + " rejected, " + p.duplicates() + " duplicate)";
    }
}
