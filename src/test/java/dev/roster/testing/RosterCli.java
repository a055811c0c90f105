package dev.roster.testing;

import dev.roster.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs the {@code roster} command line in this JVM, with its standard streams captured. */
public final class RosterCli {
    private RosterCli() {
    }

    public record Run(int exit, String out, String err) {
    }

    public static Run run(List<String> args) {
        return run(args, "");
    }

    public static synchronized Run run(List<String> args, String stdin) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        InputStream oldIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            int exit = new CommandLine(new Main()).execute(args.toArray(String[]::new));
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.setIn(oldIn);
        }
    }

    /** {@code args} followed by the store flags of {@code fresh}. */
    public static List<String> on(TestStores.FreshStore fresh, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (fresh.settings().dbUrl() != null) {
            all.add("--db-url");
            all.add(fresh.settings().dbUrl());
        } else {
            all.add("--data");
            all.add(fresh.settings().dataDir().toString());
        }
        return all;
    }
}
