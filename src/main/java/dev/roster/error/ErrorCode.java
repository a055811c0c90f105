package dev.roster.error;

/** The envelope's error codes (docs/API.md). The HTTP status follows the server's status policy. */
public enum ErrorCode {
    BAD_REQUEST(400),
    UNAUTHORIZED(401),
    QUOTA(402),
    FORBIDDEN(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    CONFLICT(409),
    TOO_LARGE(413),
    RATE_LIMITED(429),
    INTERNAL(500),
    UNAVAILABLE(503);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
