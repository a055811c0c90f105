package dev.roster.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.json.Json;
import dev.roster.idempotency.IdempotencyService;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;

/**
 * Writes {@code {"error": code, "error_text": text, ...}} as JSON or XML with the HTTP status policy of docs/API.md:
 * the envelope carries the outcome, so an error is HTTP 200 (Altcraft clients treat any other status as a transport
 * failure), except the transport failures that proxies and retry logic need to see.
 */
final class Envelope {
    static final String SUCCESS = "Successful operation";
    /** Codes that keep their HTTP status by default: body too large, rate limited, internal error, unavailable. */
    private static final java.util.Set<Integer> TRANSPORT = java.util.Set.of(413, 429, 500, 503);
    /** The context attribute of what keeps the answer of a request with an idempotency key (see ApiHandler). */
    static final String KEEP_ANSWER = "roster.keep-answer";

    /** How an error code becomes the HTTP status. */
    enum Status {
        /** HTTP 200 except 413, 429, 500, 503 (the default). */
        ENVELOPE,
        /** Every code is the HTTP status ({@code --http-error-status}, the quick import, downloads). */
        MIRROR,
        /** HTTP 200 always ({@code --always-http-200}). */
        ALWAYS_200;

        static Status of(HttpSettings settings) {
            return settings.alwaysHttp200() ? ALWAYS_200 : settings.httpErrorStatus() ? MIRROR : ENVELOPE;
        }

        int http(int code) {
            return switch (this) {
                case ALWAYS_200 -> 200;
                case MIRROR -> code;
                case ENVELOPE -> TRANSPORT.contains(code) ? code : 200;
            };
        }
    }

    private final Status status;

    Envelope(Status status) {
        this.status = status;
    }

    void success(Context ctx, ObjectNode fields, boolean xml) {
        ObjectNode envelope = Json.object();
        envelope.put("error", 0);
        envelope.put("error_text", SUCCESS);
        envelope.setAll(fields);
        write(ctx, 200, envelope, xml);
    }

    /** A success that is only the method's fields (the v1.0 calls). */
    void bare(Context ctx, ObjectNode fields) {
        write(ctx, 200, fields, false);
    }

    void failure(Context ctx, int code, String text, boolean xml) {
        ObjectNode envelope = Json.object();
        envelope.put("error", code);
        envelope.put("error_text", text);
        // the access line names the envelope's code (an unknown path's 404 travels as HTTP 200)
        ctx.attribute(AccessLog.ERROR, code);
        write(ctx, status.http(code), envelope, xml);
    }

    /**
     * Writes and flushes the answer before the handler returns, so that a server draining for shutdown, which waits for
     * handlers, never closes a connection whose answer has not left yet.
     */
    private static void write(Context ctx, int status, ObjectNode envelope, boolean xml) {
        ctx.status(status);
        byte[] body;
        if (xml) {
            ctx.contentType("application/xml; charset=utf-8");
            // profiles/list answers hold profiles as JSON text (Json.raw): the XML writer needs them as trees
            body = XmlCodec.write((ObjectNode) Json.materialized(envelope)).getBytes(StandardCharsets.UTF_8);
        } else {
            ctx.contentType("application/json; charset=utf-8");
            body = Json.writeBytes(envelope);
        }
        // an idempotency key's answer is kept before it leaves, so a client that has it never waits on a repeat
        java.util.function.ObjIntConsumer<IdempotencyService.Answer> keep = ctx.attribute(KEEP_ANSWER);
        if (keep != null) {
            ctx.attribute(KEEP_ANSWER, null);
            keep.accept(new IdempotencyService.Answer(status, ctx.res().getContentType(),
                    new String(body, StandardCharsets.UTF_8)), envelope.path("error").asInt(0));
        }
        var response = ctx.res();
        if (response.isCommitted()) {
            return; // a download already sent its file; its failure can only be logged
        }
        response.setContentLength(body.length);
        try {
            response.getOutputStream().write(body);
            response.flushBuffer();
        } catch (java.io.IOException e) {
            // the client went away: nothing left to answer
            org.slf4j.LoggerFactory.getLogger(Envelope.class).debug("answer not delivered: {}", e.toString());
        }
    }

    /** The client asked for XML: {@code format=xml} in the query, or an Accept header that prefers it. */
    static boolean wantsXml(Context ctx) {
        String format = ctx.queryParam("format");
        if (format != null && isFormat(format)) {
            return format.equalsIgnoreCase("xml");
        }
        String accept = ctx.header("Accept");
        return accept != null && accept.toLowerCase().contains("xml") && !accept.toLowerCase().contains("json");
    }

    /** {@code json} or {@code xml} in any case: the values {@code format} takes. */
    static boolean isFormat(String format) {
        return format.equalsIgnoreCase("json") || format.equalsIgnoreCase("xml");
    }
}
