package dev.roster.http;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** A request id for every answer ({@code X-Request-Id}) and every log line (MDC {@code request_id}). */
final class RequestIds {
    static final String MDC_KEY = dev.roster.error.ErrorMapping.REQUEST_ID;
    static final String HEADER = "X-Request-Id";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private RequestIds() {
    }

    /** The client's id when it is short and safe to log, else a new one. */
    static String of(String sent) {
        if (sent != null && SAFE.matcher(sent).matches()) {
            return sent;
        }
        return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }
}
