package dev.roster;

import dev.roster.account.AccountService;
import dev.roster.account.Authentication;
import dev.roster.store.Store;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code roster token create}: prints only a new token, bootstrapping an empty store first. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Manage API tokens.",
        subcommands = TokenCommand.Create.class)
final class TokenCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an API token for a user and print it (only the token) on standard output.")
    static final class Create implements Callable<Integer> {
        @Option(names = "--login", required = true, description = "The user the token acts for, e.g. admin.")
        String login;

        @Option(names = "--name", defaultValue = "command line", description = "A name for the token. Default: ${DEFAULT-VALUE}")
        String name;

        @Option(names = "--permission", paramLabel = "PERMISSION",
                description = "A permission to grant (repeatable), e.g. profiles.delete. "
                        + "Default: every permission but profiles.delete.")
        List<String> permissions;

        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            try (Store opened = Store.open(store.settings(), null)) {
                AccountService accounts = new AccountService(opened, (account, db) -> false, new Authentication(opened,
                        new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
                accounts.bootstrapIfEmpty().ifPresent(b -> ServeCommand.printBootstrap(b, System.err));
                System.out.println(accounts.createTokenForLogin(login, name, permissions));
                return 0;
            } catch (RuntimeException e) {
                CommandFailure.report(e, System.err);
                return 1;
            }
        }
    }
}
