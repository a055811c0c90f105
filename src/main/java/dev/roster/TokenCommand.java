package dev.roster;

import dev.roster.account.AccountService;
import dev.roster.store.Store;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code roster token create|list|revoke}: API tokens of an account. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Manage API tokens.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        new CommandLine(this).usage(System.err);
        return 2;
    }

    /** {@code --account NAME}: the account a command manages. */
    static final class AccountOption {
        @Option(names = "--account", paramLabel = "NAME", defaultValue = "default",
                description = "The account. Default: ${DEFAULT-VALUE}")
        String account;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an API token for a user and print it (only the token) on standard output. On an "
                    + "empty store it creates the account 'default' and its master user 'admin' first.")
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
        AccountOption account;

        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            // the one command besides serve that creates a store: a script's first step on a new machine
            try (Store opened = Store.open(store.settings(), null)) {
                AccountService accounts = new AccountService(opened, (a, db) -> false, new dev.roster.account.Authentication(opened,
                        new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
                accounts.bootstrapIfEmpty().ifPresent(b -> ServeCommand.printBootstrap(b, System.err, null, 0));
                System.out.println(accounts.createTokenForLogin(account.account, login, name, permissions));
                return 0;
            } catch (RuntimeException e) {
                return Cli.fail(e);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the account's tokens: ids, names, users, permissions and times, never the secrets.")
    static final class ListTokens implements Callable<Integer> {
        @Mixin
        AccountOption account;

        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            return Cli.withAccounts(store, accounts -> {
                var tokens = accounts.listTokens(accounts.accountCaller(account.account));
                Cli.table(List.of("ID", "NAME", "USER", "PERMISSIONS", "DATABASES", "CREATED", "LAST_USED", "REVOKED"),
                        tokens.stream().map(t -> java.util.Arrays.<Object>asList(t.id(), t.name(), t.user(),
                                String.join(",", t.permissions()), t.dbIds() instanceof java.util.Collection<?> c
                                        ? String.join(",", c.stream().map(String::valueOf).toList()) : t.dbIds(),
                                t.createdAt(), t.lastUsedAt(), t.revokedAt())).toList());
                return 0;
            });
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a token of the account by its id (see token list); it stops working at once on "
                    + "this store's servers, within seconds on the others.")
    static final class Revoke implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID", description = "The token's id.")
        long id;

        @Mixin
        AccountOption account;

        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            return Cli.withAccounts(store, accounts -> {
                accounts.revokeToken(accounts.accountCaller(account.account), id);
                System.err.println("revoked token " + id);
                return 0;
            });
        }
    }
}
