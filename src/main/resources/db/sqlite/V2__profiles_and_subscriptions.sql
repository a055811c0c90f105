-- Profiles: the fields of each profile as one JSON object in their stored (normalised) form.
create table profiles (
    id         text   primary key,
    db_id      bigint not null references databases (id) on delete cascade,
    data       text   not null,
    created_at bigint not null,
    updated_at bigint not null
);
create index profiles_db on profiles (db_id, id);

-- Identity keys (decisions §3): within a database a key names at most one profile. Kinds: email (the profile's
-- email and its email subscriptions), phone (its phones and sms subscriptions, when the database's phones are
-- unique), push (provider + subscription id), field:<name> (a unique custom field). Derived from the profile and its
-- subscriptions and kept in step in the same transaction.
create table profile_keys (
    db_id      bigint not null references databases (id) on delete cascade,
    kind       text   not null,
    value      text   not null,
    profile_id text   not null references profiles (id) on delete cascade,
    primary key (db_id, kind, value)
);
create index profile_keys_profile on profile_keys (profile_id);

-- Lookups that may name several profiles: phones of a database whose phones are not unique.
create table profile_lookups (
    db_id      bigint not null references databases (id) on delete cascade,
    kind       text   not null,
    value      text   not null,
    profile_id text   not null references profiles (id) on delete cascade,
    primary key (db_id, kind, value, profile_id)
);
create index profile_lookups_profile on profile_lookups (profile_id);

-- Subscriptions: (resource, channel, address) of a profile. address is the normalised identity (lower-cased email,
-- E.164 phone, provider + U+001F + subscription id, or the cc_data key); contact keeps the channel data as sent.
create table subscriptions (
    id            integer primary key autoincrement,
    profile_id    text    not null references profiles (id) on delete cascade,
    db_id         bigint  not null references databases (id) on delete cascade,
    resource_id   bigint  not null references resources (id) on delete cascade,
    channel       text    not null,
    address       text    not null,
    hash_id       text    not null,
    contact       text    not null,
    status        integer not null,
    priority      integer,
    custom_fields text    not null,
    cats          text    not null,
    is_delete     integer not null,
    created_at    bigint  not null,
    updated_at    bigint  not null,
    unique (profile_id, resource_id, channel, address)
);
create index subscriptions_address on subscriptions (db_id, channel, address);
create index subscriptions_resource on subscriptions (resource_id, channel, status);

-- Deleted profiles leave this line in the account's audit: no personal data.
create index audit_log_account on audit_log (account_id, id);
