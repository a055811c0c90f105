package dev.roster.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The OpenAPI 3.1 document of the API, served at {@code GET /api/openapi.json}. It is assembled at startup from the
 * class path folder {@code openapi/}: {@code base.json} holds the document's frame and the shared components (the
 * envelope, error codes, common schemas); every other {@code <group>.json} there holds one method group's
 * {@code paths} (and, when it needs them, its own {@code components} and {@code tags}). Adding a group is dropping
 * one file into src/main/resources/openapi/ (docs/API.md, "The OpenAPI document").
 */
public final class OpenApiDocument {
    static final String FOLDER = "openapi";
    static final String BASE = "base.json";
    private static final Set<String> GROUP_MEMBERS = Set.of("paths", "components", "tags");

    private OpenApiDocument() {
    }

    /** The whole document: base.json with every group file merged in, groups in file name order. */
    public static ObjectNode load() {
        Map<String, ObjectNode> files = read();
        ObjectNode base = files.remove(BASE);
        if (base == null) {
            throw new IllegalStateException(FOLDER + "/" + BASE + " is missing from the class path");
        }
        return merge(base, files);
    }

    /** Merges group files into the base; a path or component defined twice fails, naming the files. */
    static ObjectNode merge(ObjectNode base, Map<String, ObjectNode> groups) {
        ObjectNode doc = base.deepCopy();
        ObjectNode paths = doc.withObject("/paths");
        ObjectNode components = doc.withObject("/components");
        ArrayNode tags = doc.withArray("/tags");
        Map<String, String> owners = new TreeMap<>();
        paths.fieldNames().forEachRemaining(p -> owners.put("path " + p, BASE));
        components.properties().forEach(kind -> kind.getValue().fieldNames()
                .forEachRemaining(n -> owners.put(kind.getKey() + " " + n, BASE)));
        groups.forEach((file, group) -> {
            group.fieldNames().forEachRemaining(member -> {
                if (!GROUP_MEMBERS.contains(member)) {
                    throw new IllegalStateException(FOLDER + "/" + file + ": unknown member '" + member
                            + "' (a group file holds paths, components and tags)");
                }
            });
            group.path("paths").properties().forEach(e -> {
                claim(owners, "path " + e.getKey(), file);
                paths.set(e.getKey(), e.getValue());
            });
            group.path("components").properties().forEach(kind -> {
                ObjectNode into = components.withObject("/" + kind.getKey());
                kind.getValue().properties().forEach(e -> {
                    claim(owners, kind.getKey() + " " + e.getKey(), file);
                    into.set(e.getKey(), e.getValue());
                });
            });
            group.path("tags").forEach(tags::add);
        });
        return doc;
    }

    private static void claim(Map<String, String> owners, String what, String file) {
        String before = owners.putIfAbsent(what, file);
        if (before != null) {
            throw new IllegalStateException(what + " is defined in both " + FOLDER + "/" + before + " and " + FOLDER
                    + "/" + file);
        }
    }

    /** Every {@code openapi/*.json} of the class path by file name, from a folder or from the jar alike. */
    private static Map<String, ObjectNode> read() {
        var url = OpenApiDocument.class.getClassLoader().getResource(FOLDER + "/" + BASE);
        if (url == null) {
            throw new IllegalStateException(FOLDER + "/" + BASE + " is missing from the class path");
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                FileSystem jar;
                boolean opened = false;
                try {
                    jar = FileSystems.newFileSystem(uri, Map.of());
                    opened = true;
                } catch (FileSystemAlreadyExistsException e) {
                    jar = FileSystems.getFileSystem(uri);
                }
                try {
                    return readFolder(jar.getPath("/" + FOLDER));
                } finally {
                    if (opened) {
                        jar.close();
                    }
                }
            }
            return readFolder(Path.of(uri).getParent());
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot read the OpenAPI files: " + e.getMessage(), e);
        }
    }

    private static Map<String, ObjectNode> readFolder(Path folder) throws IOException {
        Map<String, ObjectNode> files = new TreeMap<>();
        List<Path> paths;
        try (Stream<Path> list = Files.list(folder)) {
            paths = new ArrayList<>(list.filter(p -> p.getFileName().toString().endsWith(".json")).toList());
        }
        for (Path p : paths) {
            try (InputStream in = Files.newInputStream(p)) {
                JsonNode node = Json.MAPPER.readTree(in);
                if (!(node instanceof ObjectNode object)) {
                    throw new IllegalStateException(FOLDER + "/" + p.getFileName() + " is not a JSON object");
                }
                files.put(p.getFileName().toString(), object);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return files;
    }
}
