package dev.roster;

import dev.roster.access.Caller;
import dev.roster.account.AccountService;
import dev.roster.bulk.Exports;
import dev.roster.catalog.DatabaseService;
import dev.roster.error.RosterException;
import dev.roster.profile.ProfileService;
import dev.roster.store.Store;
import dev.roster.store.StoreUnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code roster export --db-id N --out FILE}: writes a database's profiles to a CSV or JSON file. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Export a database's profiles to a file.")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--db-id", required = true, description = "The database to export.")
    long dbId;

    @Option(names = "--out", required = true, description = "The file to write.")
    Path out;

    @Option(names = "--format", description = "csv or json. Default: from the file name (.json), else csv.")
    String format;

    @Option(names = "--account", defaultValue = "default", description = "The account. Default: ${DEFAULT-VALUE}")
    String account;

    @Option(names = "--login", defaultValue = "admin", description = "The user the export acts for. Default: ${DEFAULT-VALUE}")
    String login;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() {
        String fileFormat = format != null ? format : out.getFileName().toString().endsWith(".json") ? "json" : "csv";
        try (Store opened = Store.open(store.settings(), null)) {
            DatabaseService databases = new DatabaseService(opened);
            ProfileService profiles = new ProfileService(opened, databases);
            try {
                Caller caller = new AccountService(opened, (a, d) -> true,
                        new io.micrometer.core.instrument.simple.SimpleMeterRegistry()).localCaller(account, login);
                Path partial = out.resolveSibling(out.getFileName() + ".part");
                long written;
                try (OutputStream stream = Files.newOutputStream(partial)) {
                    written = new Exports(opened, databases, profiles, partial.getParent())
                            .export(caller, new Exports.Request("database", dbId, fileFormat, null), stream);
                }
                Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                System.out.println("exported " + written + " profiles to " + out);
                return 0;
            } finally {
                profiles.close();
            }
        } catch (StoreUnavailableException | RosterException e) {
            System.err.println("roster: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            System.err.println("roster: cannot write " + out + ": " + e.getMessage());
            return 1;
        }
    }
}
