package dev.roster.http;

import dev.roster.access.Caller;

/** Turns a presented token into its caller, or refuses with 401 saying whether it was missing, unknown or revoked. */
public interface Authenticator {
    Caller authenticate(String token);
}
