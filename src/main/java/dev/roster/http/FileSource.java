package dev.roster.http;

import dev.roster.access.Caller;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Files a caller may download from {@code GET /api/download/data/<task>/<file>} (finished exports). */
public interface FileSource {
    /** The file of that task and name when it exists and belongs to the caller's account; empty otherwise. */
    Optional<Download> find(Caller caller, String task, String file);

    /** A file to send: its name, its size in bytes, and how to read it (streamed, never held whole in memory). */
    record Download(String name, long size, Opener open) {
    }

    interface Opener {
        InputStream open() throws IOException;
    }
}
