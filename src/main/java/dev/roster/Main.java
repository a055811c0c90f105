package dev.roster;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code roster} command line (README.md). */
@Command(name = "roster", mixinStandardHelpOptions = true, version = "roster 0.1.0",
        description = "Roster: a self-hosted customer profile platform speaking the Altcraft API v1.1.",
        subcommands = {ServeCommand.class, TokenCommand.class, AccountCommand.class, ImportCommand.class,
                ExportCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        int exit = new CommandLine(new Main()).execute(args);
        if (exit != 0 || args.length == 0 || !args[0].equals("serve")) {
            System.exit(exit);
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
