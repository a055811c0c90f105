package dev.roster.http;

import dev.roster.access.Caller;
import java.nio.file.Path;
import java.util.Optional;

/** Files a caller may download from {@code GET /api/download/data/<task>/<file>} (finished exports). */
public interface FileSource {
    /** The file of that task and name when it exists and belongs to the caller's account; empty otherwise. */
    Optional<Path> find(Caller caller, String task, String file);
}
