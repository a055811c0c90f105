package dev.roster.error;

/**
 * A failure the client can act on. Services throw it; the HTTP layer turns it into the envelope
 * ({@code error} = {@link ErrorCode#code()}, {@code error_text} = the message).
 */
public class RosterException extends RuntimeException {
    private final ErrorCode code;

    public RosterException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static RosterException badRequest(String message) {
        return new RosterException(ErrorCode.BAD_REQUEST, message);
    }

    /** A parameter or field with a value of the wrong shape: names it, what was expected and what was sent. */
    public static RosterException invalid(String name, String expected, Object sent) {
        return badRequest("invalid value of '" + name + "': expected " + expected + ", got " + describe(sent));
    }

    public static RosterException missing(String name) {
        return badRequest("missing required parameter '" + name + "'");
    }

    public static RosterException notFound(String message) {
        return new RosterException(ErrorCode.NOT_FOUND, message);
    }

    public static RosterException forbidden(String message) {
        return new RosterException(ErrorCode.FORBIDDEN, message);
    }

    public static RosterException conflict(String message) {
        return new RosterException(ErrorCode.CONFLICT, message);
    }

    public static RosterException unauthorized(String message) {
        return new RosterException(ErrorCode.UNAUTHORIZED, message);
    }

    public static RosterException tooLarge(String message) {
        return new RosterException(ErrorCode.TOO_LARGE, message);
    }

    /** Short, printable form of a sent value for error texts (never the whole of a huge value). */
    public static String describe(Object sent) {
        if (sent == null) {
            return "nothing";
        }
        String s = String.valueOf(sent);
        if (s.length() > 80) {
            s = s.substring(0, 77) + "...";
        }
        return s;
    }
}
