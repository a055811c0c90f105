package dev.roster;

import dev.roster.account.AccountService;
import dev.roster.account.Authentication;
import dev.roster.error.ErrorMapping;
import dev.roster.error.ErrorCode;
import dev.roster.error.RosterException;
import dev.roster.store.Store;
import dev.roster.store.StoreUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/** What the management commands share: opening the store, one-line errors with exit codes, and plain tables. */
final class Cli {
    /** Exit code of a conflict (a name already taken), apart from other failures so scripts can tell them apart. */
    static final int EXIT_CONFLICT = 3;

    private Cli() {
    }

    /**
     * Opens the existing store (never creates one), runs {@code work} with its account service and returns its exit
     * code; failures print one line on standard error.
     */
    static int withAccounts(StoreOptions options, Function<AccountService, Integer> work) {
        try (Store store = Store.openExisting(options.settings(), null)) {
            return work.apply(new AccountService(store, (account, db) -> false,
                    new Authentication(store, new SimpleMeterRegistry())));
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    /** Prints {@code roster: <reason>} (the one mapping of {@link CommandFailure}) and returns the exit code. */
    static int fail(RuntimeException e) {
        ErrorMapping.Failure failure = CommandFailure.report(e, System.err);
        return failure.code() == ErrorCode.CONFLICT ? EXIT_CONFLICT : 1;
    }

    /** Columns separated by tabs under a header row: readable, and easy for cut/awk. */
    static void table(List<String> header, List<List<Object>> rows) {
        StringBuilder out = new StringBuilder(String.join("\t", header)).append('\n');
        for (List<Object> row : rows) {
            out.append(String.join("\t", row.stream().map(v -> v == null ? "-" : v.toString()).toList())).append('\n');
        }
        System.out.print(out);
        System.out.flush();
    }

    /** One line of standard input: a password given by a script without showing it in the process list. */
    static String readLine() {
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw RosterException.badRequest("no password on standard input");
            }
            return line;
        } catch (IOException e) {
            throw RosterException.badRequest("cannot read standard input: " + e.getMessage());
        }
    }
}
