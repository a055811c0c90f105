package dev.roster.http;

import dev.roster.json.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * {@code GET /api/openapi.json} (the {@link OpenApiDocument}) and {@code GET /api/docs}, a browsable reference: Swagger
 * UI from its WebJar, served from the jar (no CDN), started by a static script (no inline script).
 */
final class ApiDocs {
    /** The page may load its own scripts, styles and images and fetch the document; nothing else, nothing inline. */
    static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; "
            + "base-uri 'none'; form-action 'none'";
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    /** The files of the page, by the name it asks for: where each is on the class path, and its type. */
    private static final Map<String, String[]> FILES = Map.of(
            "swagger-ui.css", new String[] {"webjar", "text/css; charset=utf-8"},
            "swagger-ui-bundle.js", new String[] {"webjar", "text/javascript; charset=utf-8"},
            "favicon-32x32.png", new String[] {"webjar", "image/png"},
            "docs.js", new String[] {"apidocs/docs.js", "text/javascript; charset=utf-8"});

    private final String document;
    private final String webjarVersion;

    /** Read once per process: the files do not change while it runs. */
    private static final class Loaded {
        static final String DOCUMENT = Json.write(OpenApiDocument.load());
        static final String WEBJAR_VERSION = swaggerUiVersion();
    }

    ApiDocs() {
        this.document = Loaded.DOCUMENT;
        this.webjarVersion = Loaded.WEBJAR_VERSION;
    }

    void openApi(Context ctx) {
        ctx.contentType("application/json; charset=utf-8");
        ctx.header("Cache-Control", "no-cache");
        ctx.result(document);
    }

    void page(Context ctx) {
        ctx.header("Content-Security-Policy", PAGE_POLICY);
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType("text/html; charset=utf-8");
        ctx.result(resource("apidocs/index.html"));
    }

    /** A file of the page; false when the name is not one of them. */
    boolean file(Context ctx, String name) {
        String[] file = FILES.get(name);
        if (file == null) {
            return false;
        }
        String path = file[0].equals("webjar") ? WEBJAR + webjarVersion + "/" + name : file[0];
        ctx.header("Content-Security-Policy", PAGE_POLICY);
        ctx.header("Cache-Control", "public, max-age=3600");
        ctx.contentType(file[1]);
        ctx.result(resource(path));
        return true;
    }

    private static byte[] resource(String path) {
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String swaggerUiVersion() {
        try (InputStream in = ApiDocs.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the swagger-ui WebJar is missing from the class path");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
