package dev.roster.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.json.Json;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;

/** Writes {@code {"error": code, "error_text": text, ...}} as JSON or XML with the status policy of decisions §1. */
final class Envelope {
    static final String SUCCESS = "Successful operation";

    private final boolean alwaysHttp200;

    Envelope(boolean alwaysHttp200) {
        this.alwaysHttp200 = alwaysHttp200;
    }

    void success(Context ctx, ObjectNode fields, boolean xml) {
        ObjectNode envelope = Json.object();
        envelope.put("error", 0);
        envelope.put("error_text", SUCCESS);
        envelope.setAll(fields);
        write(ctx, 200, envelope, xml);
    }

    void failure(Context ctx, int code, String text, boolean xml) {
        ObjectNode envelope = Json.object();
        envelope.put("error", code);
        envelope.put("error_text", text);
        write(ctx, alwaysHttp200 ? 200 : code, envelope, xml);
    }

    private static void write(Context ctx, int status, ObjectNode envelope, boolean xml) {
        ctx.status(status);
        if (xml) {
            ctx.contentType("application/xml; charset=utf-8");
            ctx.result(XmlCodec.write(envelope).getBytes(StandardCharsets.UTF_8));
        } else {
            ctx.contentType("application/json; charset=utf-8");
            ctx.result(Json.write(envelope).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The client asked for XML: {@code format=xml} in the query, or an Accept header that prefers it. */
    static boolean wantsXml(Context ctx) {
        String format = ctx.queryParam("format");
        if (format != null) {
            return format.equalsIgnoreCase("xml");
        }
        String accept = ctx.header("Accept");
        return accept != null && accept.toLowerCase().contains("xml") && !accept.toLowerCase().contains("json");
    }
}
