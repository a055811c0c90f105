-- The console's server-side sessions (a random id in a cookie; only its SHA-256 is stored) and the failed sign-ins
-- that lock a login for a while. Kept in the store so sessions survive a restart and work across nodes.
create table console_sessions (
    id_hash    text   primary key,
    account_id bigint not null references accounts (id),
    user_id    bigint not null references users (id),
    csrf       text   not null,
    created_at bigint not null,
    seen_at    bigint not null
);
create index console_sessions_user on console_sessions (user_id);

create table sign_in_failures (
    id         integer primary key autoincrement,
    account_id bigint not null references accounts (id),
    login      text   not null,
    at         bigint not null
);
create index sign_in_failures_login on sign_in_failures (account_id, login, at);
