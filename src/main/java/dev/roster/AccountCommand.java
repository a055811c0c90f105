package dev.roster;

import dev.roster.account.AccountModel.NewAccount;
import dev.roster.account.AccountService;
import dev.roster.account.Authentication;
import dev.roster.error.ErrorCode;
import dev.roster.error.ErrorMapping;
import dev.roster.store.Store;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code roster account create}: another account, isolated from the others, with its master user and token. */
@Command(name = "account", mixinStandardHelpOptions = true, description = "Manage accounts.",
        subcommands = AccountCommand.Create.class)
final class AccountCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an account with the master user 'admin'; print only its master token on standard "
                    + "output (the admin password goes to standard error).")
    static final class Create implements Callable<Integer> {
        /** Exit code of a name already taken, apart from other failures so scripts can tell them apart. */
        static final int EXIT_CONFLICT = 3;

        @Option(names = "--name", required = true, description = "The account's name: 1 to 64 letters, digits and . _ -")
        String name;

        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            try (Store opened = Store.open(store.settings(), null)) {
                AccountService accounts = new AccountService(opened, (account, db) -> false,
                        new Authentication(opened, new SimpleMeterRegistry()));
                NewAccount created = accounts.createAccount(name);
                System.err.println("Created account '" + created.name() + "' with master user '" + created.login()
                        + "', password: " + created.password());
                System.out.println(created.token());
                return 0;
            } catch (RuntimeException e) {
                ErrorMapping.Failure failure = ErrorMapping.of(e);
                System.err.println("roster: " + failure.detail() + " (error " + failure.code().code() + ")");
                return failure.code() == ErrorCode.CONFLICT ? EXIT_CONFLICT : 1;
            }
        }
    }
}
