package dev.roster;

import dev.roster.error.ErrorCode;
import dev.roster.error.ErrorMapping;
import dev.roster.error.RosterException;
import dev.roster.store.StoreUnavailableException;
import java.io.PrintStream;

/**
 * How a command reports a failure: one line, {@code roster: <reason>}, with the error code that {@link ErrorMapping}
 * gives it when it is a refusal of the request ({@code (error 409)}). A store that cannot be opened is said as it is,
 * without the server's log line for it: the person at the console reads the one line.
 */
final class CommandFailure {
    private CommandFailure() {
    }

    /** Prints the line and returns the failure's mapping, for the exit code. */
    static ErrorMapping.Failure report(RuntimeException e, PrintStream err) {
        if (e instanceof StoreUnavailableException) {
            err.println("roster: " + e.getMessage());
            return new ErrorMapping.Failure(ErrorCode.UNAVAILABLE, e.getMessage(), e.getMessage());
        }
        ErrorMapping.Failure failure = ErrorMapping.of(e);
        err.println("roster: " + failure.detail()
                + (e instanceof RosterException ? " (error " + failure.code().code() + ")" : ""));
        return failure;
    }
}
