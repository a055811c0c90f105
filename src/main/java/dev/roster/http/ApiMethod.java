package dev.roster.http;

import dev.roster.request.Params;
import dev.roster.access.Caller;
import dev.roster.access.Permission;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One API method: the permission it needs, how its parameters decode into a typed command, and the service call
 * that turns the command into a reply. The registry decodes, refuses unknown parameters, then runs.
 */
record ApiMethod<C>(String name, Permission permission, Function<Params, C> decode,
                    BiFunction<Caller, C, Reply> run) {

    Reply call(Caller caller, Params params) {
        C command = decode.apply(params);
        params.rejectUnread();
        return run.apply(caller, command);
    }
}
