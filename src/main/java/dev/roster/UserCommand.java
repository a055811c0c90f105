package dev.roster;

import dev.roster.account.AccountModel.CreatedUser;
import dev.roster.account.AccountModel.NewUser;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code roster user list|create|passwd}: the users of an account. */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage users.",
        subcommands = {UserCommand.ListUsers.class, UserCommand.Create.class, UserCommand.Passwd.class})
final class UserCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        new CommandLine(this).usage(System.err);
        return 2;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the account's users.")
    static final class ListUsers implements Callable<Integer> {
        @Mixin
        TokenCommand.AccountOption account;

        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            return Cli.withAccounts(store, accounts -> {
                Cli.table(List.of("ID", "LOGIN", "MASTER", "CREATED"),
                        accounts.listUsers(accounts.accountCaller(account.account)).stream()
                                .map(u -> List.<Object>of(u.id(), u.login(), u.master(), u.createdAt())).toList());
                return 0;
            });
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a user; print its generated password on standard output (nothing with "
                    + "--password-stdin).")
    static final class Create implements Callable<Integer> {
        @Option(names = "--login", required = true, description = "1 to 64 letters, digits and . _ @ -")
        String login;

        @Option(names = "--master", description = "A master user: manages tokens and users.")
        boolean master;

        @Option(names = "--password-stdin", description = "Read the password (8 characters or more) from standard input.")
        boolean passwordStdin;

        @Mixin
        TokenCommand.AccountOption account;

        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            return Cli.withAccounts(store, accounts -> {
                String password = passwordStdin ? Cli.readLine() : null;
                CreatedUser user = accounts.createUser(accounts.accountCaller(account.account),
                        new NewUser(login, password, master));
                System.err.println("created user '" + user.login() + "' (id " + user.id() + ")");
                if (user.password() != null) {
                    System.out.println(user.password());
                }
                return 0;
            });
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true,
            description = "Set a user's password: a new random one printed on standard output, or the one read with "
                    + "--password-stdin. Existing tokens keep working (revoke them with token revoke).")
    static final class Passwd implements Callable<Integer> {
        @Option(names = "--login", required = true, description = "The user.")
        String login;

        @Option(names = "--password-stdin", description = "Read the password (8 characters or more) from standard input.")
        boolean passwordStdin;

        @Mixin
        TokenCommand.AccountOption account;

        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            return Cli.withAccounts(store, accounts -> {
                String generated = accounts.setPassword(accounts.accountCaller(account.account), login,
                        passwordStdin ? Cli.readLine() : null);
                System.err.println("password of '" + login + "' changed");
                if (generated != null) {
                    System.out.println(generated);
                }
                return 0;
            });
        }
    }
}
