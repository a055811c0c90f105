package dev.roster.account;

import dev.roster.access.Permission;
import dev.roster.account.AccountModel.IdOnly;
import dev.roster.account.AccountModel.NewToken;
import dev.roster.account.AccountModel.NewUser;
import dev.roster.http.ApiRegistry;
import dev.roster.http.Reply;

/** {@code tokens/*} and {@code users/*}: master users' tokens with {@code tokens.manage}. */
public final class AccountApi {
    private AccountApi() {
    }

    public static void register(ApiRegistry api, AccountService accounts) {
        api.add("tokens/create", Permission.TOKENS_MANAGE,
                p -> new NewToken(p.requiredNonBlank("name"), p.optionalStringList("permissions"), p.optionalIdList("db_ids"),
                        p.optionalString("login"), p.optionalLong("rate_limit"), p.optionalLong("rate_burst")),
                (caller, command) -> Reply.data(accounts.createToken(caller, command)));
        api.add("tokens/list", Permission.TOKENS_MANAGE,
                p -> null,
                (caller, none) -> Reply.data(accounts.listTokens(caller)));
        api.add("tokens/revoke", Permission.TOKENS_MANAGE,
                p -> p.requiredId("id"),
                (caller, id) -> {
                    accounts.revokeToken(caller, id);
                    return Reply.data(new IdOnly(id));
                });
        api.add("users/create", Permission.TOKENS_MANAGE,
                p -> new NewUser(p.requiredNonBlank("login"), p.optionalString("password"), p.flag("master")),
                (caller, command) -> Reply.data(accounts.createUser(caller, command)));
        api.add("users/list", Permission.TOKENS_MANAGE,
                p -> null,
                (caller, none) -> Reply.data(accounts.listUsers(caller)));
    }
}
