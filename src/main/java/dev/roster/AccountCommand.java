package dev.roster;

import dev.roster.account.AccountModel.NewAccount;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code roster account list|create}: the accounts of the store, isolated from each other. */
@Command(name = "account", mixinStandardHelpOptions = true, description = "Manage accounts.",
        subcommands = {AccountCommand.ListAccounts.class, AccountCommand.Create.class})
final class AccountCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        new CommandLine(this).usage(System.err);
        return 2;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the accounts with their ids (queue messages name accounts by id), users and live tokens.")
    static final class ListAccounts implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            return Cli.withAccounts(store, accounts -> {
                Cli.table(List.of("ID", "NAME", "CREATED", "USERS", "TOKENS"), accounts.listAccounts().stream()
                        .map(a -> List.<Object>of(a.id(), a.name(), a.createdAt(), a.users(), a.tokens())).toList());
                return 0;
            });
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an account with the master user 'admin'; print only its master token on standard "
                    + "output (the admin password goes to standard error).")
    static final class Create implements Callable<Integer> {
        @Option(names = "--name", required = true, description = "The account's name: 1 to 64 letters, digits and . _ -")
        String name;

        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            return Cli.withAccounts(store, accounts -> {
                NewAccount created = accounts.createAccount(name);
                System.err.println("Created account '" + created.name() + "' with master user '" + created.login()
                        + "', password: " + created.password());
                System.out.println(created.token());
                return 0;
            });
        }
    }
}
