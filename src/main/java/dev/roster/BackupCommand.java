package dev.roster;

import dev.roster.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code roster backup --out FILE}: a consistent copy of the SQLite store, taken while servers keep writing. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Write a consistent copy of the SQLite store to FILE while it serves (a PostgreSQL store is "
                + "backed up with pg_dump). Restore: stop the server and put FILE in place of DIR/roster.db.")
final class BackupCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The copy to write; must not exist.")
    Path out;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() {
        if (Files.exists(out)) {
            System.err.println("roster: " + out + " exists already: choose a new file name");
            return 1;
        }
        try (Store opened = Store.openExisting(store.settings(), null)) {
            long start = System.nanoTime();
            opened.backupTo(out);
            System.err.println("backed up to " + out + " (" + Files.size(out) + " bytes, "
                    + (System.nanoTime() - start) / 1_000_000 + " ms)");
            return 0;
        } catch (dev.roster.store.BackupNotSupportedException e) {
            System.err.println("roster: backup copies a SQLite store; " + e.getMessage());
            return 2;
        } catch (java.io.IOException e) {
            System.err.println("roster: cannot read " + out + ": " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            return Cli.fail(e);
        }
    }
}
