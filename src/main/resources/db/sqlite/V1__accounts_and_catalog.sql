-- Accounts, users and API tokens (decisions §6). Times are epoch milliseconds.
create table accounts (
    id         integer primary key autoincrement,
    name       text   not null unique,
    created_at bigint not null
);

create table users (
    id            integer primary key autoincrement,
    account_id    bigint  not null references accounts (id),
    login         text    not null,
    password_hash text    not null,
    is_master     integer not null,
    created_at    bigint  not null,
    unique (account_id, login)
);

create table tokens (
    id           integer primary key autoincrement,
    account_id   bigint not null references accounts (id),
    user_id      bigint not null references users (id),
    name         text   not null,
    token_hash   text   not null unique,
    permissions  text   not null,
    db_ids       text,
    created_at   bigint not null,
    last_used_at bigint,
    revoked_at   bigint
);
create index tokens_account on tokens (account_id, id);

-- Profile databases and their custom fields.
create table databases (
    id            integer primary key autoincrement,
    account_id    bigint  not null references accounts (id),
    name          text    not null,
    description   text    not null default '',
    ui_tags       text    not null default '[]',
    phone_region  text,
    unique_phones integer not null default 1,
    created_at    bigint  not null,
    updated_at    bigint  not null,
    unique (account_id, name)
);

create table db_fields (
    db_id      bigint  not null references databases (id) on delete cascade,
    name       text    not null,
    type       text    not null,
    title      text    not null,
    is_unique  integer not null,
    options    text,
    created_at bigint  not null,
    primary key (db_id, name)
);
-- Field names are matched case-insensitively: CRM_ID and crm_id cannot both exist.
create unique index db_fields_name_ci on db_fields (db_id, lower(name));

-- Resources: subscription publishers with their enabled channels, linked to databases.
create table resources (
    id         integer primary key autoincrement,
    account_id bigint not null references accounts (id),
    name       text   not null,
    channels   text   not null,
    created_at bigint not null,
    updated_at bigint not null,
    unique (account_id, name)
);

create table resource_databases (
    resource_id bigint not null references resources (id) on delete cascade,
    db_id       bigint not null references databases (id) on delete cascade,
    primary key (resource_id, db_id)
);
create index resource_databases_db on resource_databases (db_id);

-- What was done by whom, without personal data.
create table audit_log (
    id         integer primary key autoincrement,
    account_id bigint not null references accounts (id),
    at         bigint not null,
    token_name text   not null,
    action     text   not null,
    object     text   not null
);
