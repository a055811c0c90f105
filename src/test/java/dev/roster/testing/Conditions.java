package dev.roster.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Waiting in tests for something the server does on its own time (a task, a write beside the request). */
public final class Conditions {
    private Conditions() {
    }

    /** Polls the condition until it holds; fails naming {@code what} when it still does not after {@code limit}. */
    public static void waitFor(String what, Duration limit, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000); // a pause between polls, not a wait for time
        }
    }
}
