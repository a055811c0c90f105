package dev.roster.console;

import dev.roster.access.Caller;
import dev.roster.bulk.FileImport;
import dev.roster.error.RosterException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files uploaded from the console, imported in the background by the same code as {@code roster import}; the page
 * polls a job's progress. Jobs live on the node that received the upload and are forgotten an hour after they end.
 */
public final class ImportJobs {
    private static final Logger log = LoggerFactory.getLogger(ImportJobs.class);
    private static final Duration KEEP = Duration.ofHours(1);
    private static final int BATCH = 1000; // as roster import

    /** A job as the page shows it. */
    public static final class Job {
        public final String id;
        final long accountId;
        public final long dbId;
        public final String fileName;
        final Path file;
        final Path report;
        final long startedAt = System.currentTimeMillis();
        volatile FileImport.Progress progress = new FileImport.Progress(0, 0, 0, 0, 0, 0, 0, 1);
        volatile String error;
        volatile long endedAt;

        Job(String id, long accountId, long dbId, String fileName, Path file, Path report) {
            this.id = id;
            this.accountId = accountId;
            this.dbId = dbId;
            this.fileName = fileName;
            this.file = file;
            this.report = report;
        }

        public FileImport.Progress progress() {
            return progress;
        }

        public boolean done() {
            return endedAt != 0;
        }

        public String error() {
            return error;
        }

        public long seconds() {
            return ((endedAt == 0 ? System.currentTimeMillis() : endedAt) - startedAt) / 1000;
        }

        public Path report() {
            return report;
        }
    }

    private final FileImport importer;
    private final Path directory;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();

    public ImportJobs(FileImport importer, Path directory) {
        this.importer = importer;
        this.directory = directory;
    }

    /** A place for an upload to be written to before {@link #start}. */
    public Path newUploadFile() throws IOException {
        Files.createDirectories(directory);
        return Files.createTempFile(directory, "upload-", ".part");
    }

    /**
     * Starts importing {@code file} (CSV or JSON Lines, told by {@code fileName}'s extension) into the database,
     * matching by {@code matching}; the file is deleted when the job ends.
     */
    public Job start(Caller caller, long dbId, String fileName, Path file, String matching) throws IOException {
        forgetOld();
        String lower = fileName.toLowerCase(java.util.Locale.ROOT);
        String format = lower.endsWith(".csv") ? "csv"
                : lower.endsWith(".jsonl") || lower.endsWith(".ndjson") || lower.endsWith(".json") ? "jsonl" : null;
        if (format == null) {
            Files.deleteIfExists(file);
            throw RosterException.badRequest("choose a .csv or .jsonl file ('" + fileName + "' is neither)");
        }
        String id = SessionService.random().substring(0, 22);
        Job job = new Job(id, caller.accountId(), dbId, fileName, file, directory.resolve("rejected-" + id + ".csv"));
        jobs.put(id, job);
        Thread.ofVirtual().name("roster-console-import-" + id).start(() -> {
            try {
                job.progress = importer.run(caller, file, new FileImport.Options(dbId, matching, null, format, BATCH),
                        job.report, progress -> job.progress = progress);
            } catch (RosterException e) {
                job.error = Views.sentence(e.getMessage());
            } catch (Exception e) {
                log.error("console import {} failed", id, e);
                job.error = "The import stopped: " + e.getMessage();
            } finally {
                job.endedAt = System.currentTimeMillis();
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    log.warn("cannot delete upload {}", file, e);
                }
            }
        });
        return job;
    }

    /** The job of the caller's account in that database. */
    public Optional<Job> find(Caller caller, long dbId, String id) {
        Job job = jobs.get(id);
        return job != null && job.accountId == caller.accountId() && job.dbId == dbId ? Optional.of(job) : Optional.empty();
    }

    private void forgetOld() {
        long before = System.currentTimeMillis() - KEEP.toMillis();
        jobs.values().removeIf(j -> {
            if (j.endedAt != 0 && j.endedAt < before) {
                try {
                    Files.deleteIfExists(j.report);
                } catch (IOException e) {
                    log.warn("cannot delete report {}", j.report, e);
                }
                return true;
            }
            return false;
        });
    }
}
