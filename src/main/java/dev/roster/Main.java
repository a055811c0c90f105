package dev.roster;

import dev.roster.http.Version;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code roster} command line (its contract is in the README). */
@Command(name = "roster", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Roster: a self-hosted customer profile platform speaking the Altcraft API v1.1.",
        subcommands = {ServeCommand.class, TokenCommand.class, AccountCommand.class, UserCommand.class,
                ImportCommand.class, ExportCommand.class, BackupCommand.class})
public final class Main implements Callable<Integer> {
    public static void main(String[] args) {
        // before anything logs: logback reads its configuration once, at the first logger
        if ("json".equalsIgnoreCase(System.getenv("ROSTER_LOG_FORMAT"))
                && System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-json.xml");
        }
        int exit = new CommandLine(new Main()).execute(args);
        if (exit != 0 || args.length == 0 || !args[0].equals("serve")) {
            System.exit(exit);
        }
    }

    /** {@code roster} alone: the usage, and a failure, since nothing was done. */
    @Override
    public Integer call() {
        new CommandLine(this).usage(System.err);
        return 2;
    }

    /** The pom's version, from the resource the build filled in. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"roster " + Version.current()};
        }
    }
}
