package dev.roster;

import dev.roster.error.ErrorMapping;
import java.io.PrintStream;

/** How a command reports a failure: the message that {@link ErrorMapping} gives the person at the console. */
final class CommandFailure {
    private CommandFailure() {
    }

    /** Prints {@code roster: <detail>} and returns the failure's mapping, for the exit code. */
    static ErrorMapping.Failure report(RuntimeException e, PrintStream err) {
        ErrorMapping.Failure failure = ErrorMapping.of(e);
        err.println("roster: " + failure.detail());
        return failure;
    }
}
