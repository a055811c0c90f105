-- Events out (docs/API.md, "Events out"): the outbox's retained events, webhooks, the events exchange's cursor, and
-- idempotency keys. SQLite has one writer at a time, so events are in commit order by id already (tx is 0).

create index history_events_order on history_events (tx, id);

-- Events of deleted profiles and databases, still owed to the outbox's readers (see the PostgreSQL migration).
create table event_retained (
    id          integer primary key,
    tx          integer not null,
    account_id  integer not null,
    db_id       integer not null,
    profile_id  text    not null,
    at          integer not null,
    action      text    not null,
    token_name  text    not null,
    resource_id integer,
    channel     text,
    hash_id     text,
    contact     text,
    detail      text
);
create index event_retained_order on event_retained (tx, id);

create table webhooks (
    id               integer primary key autoincrement,
    account_id       integer not null references accounts (id),
    url              text    not null,
    secret           text    not null,
    events           text,
    db_ids           text,
    enabled          boolean not null default 1,
    failing          boolean not null default 0,
    cursor_tx        integer not null,
    cursor_id        integer not null,
    attempts         integer not null default 0,
    first_failure_at integer,
    next_attempt_at  integer not null default 0,
    lease_owner      text,
    lease_until      integer not null default 0,
    created_at       integer not null,
    updated_at       integer not null
);
create index webhooks_account on webhooks (account_id, id);

create table webhook_deliveries (
    id          integer primary key autoincrement,
    webhook_id  integer not null references webhooks (id) on delete cascade,
    delivery_id text    not null,
    at          integer not null,
    node        text    not null,
    events      integer not null,
    first_event integer not null,
    last_event  integer not null,
    status      integer,
    error       text,
    millis      integer not null
);
create index webhook_deliveries_webhook on webhook_deliveries (webhook_id, id);

create table event_consumers (
    name        text    primary key,
    cursor_tx   integer not null,
    cursor_id   integer not null,
    lease_owner text,
    lease_until integer not null default 0,
    updated_at  integer not null
);

create table idempotency_keys (
    account_id   integer not null,
    key          text    not null,
    request_hash text    not null,
    state        text    not null,
    owner        text    not null,
    lease_until  integer not null,
    status       integer,
    content_type text,
    body         text,
    created_at   integer not null,
    primary key (account_id, key)
);
create index idempotency_keys_created on idempotency_keys (created_at);
