package dev.roster.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** The console's static files, read once from the jar: its CSS and JS, and htmx from its WebJar. */
public final class Assets {
    public static final String HTMX_VERSION = "2.0.8";
    private static final String HTMX = "META-INF/resources/webjars/htmx.org/" + HTMX_VERSION + "/dist/htmx.min.js";

    /** A file and its content type. */
    public record Asset(byte[] bytes, String contentType) {
    }

    private final Map<String, Asset> files;
    private final String version;

    public Assets() {
        Asset css = new Asset(read("console/app.css"), "text/css; charset=utf-8");
        Asset js = new Asset(read("console/app.js"), "text/javascript; charset=utf-8");
        this.files = Map.of("app.css", css, "app.js", js,
                "htmx-" + HTMX_VERSION + ".min.js", new Asset(read(HTMX), "text/javascript; charset=utf-8"));
        this.version = hash(css.bytes(), js.bytes());
    }

    /** Changes whenever the CSS or JS does, so they can be cached for good under a URL that carries it. */
    public String version() {
        return version;
    }

    public Asset get(String name) {
        return files.get(name);
    }

    private static byte[] read(String resource) {
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hash(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
