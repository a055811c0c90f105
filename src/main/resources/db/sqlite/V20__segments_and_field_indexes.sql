-- Segments (docs/API.md "Segments"): static ones list their members in segment_members; dynamic ones hold a query
-- and have no member rows. Deleting a segment deletes its member rows, never the profiles; deleting a profile
-- deletes its member rows.
create table segments (
    id         integer primary key autoincrement,
    account_id bigint  not null references accounts (id),
    db_id      bigint  not null references databases (id) on delete cascade,
    name       text    not null,
    type       text    not null,
    query      text,
    created_at bigint  not null,
    updated_at bigint  not null,
    unique (db_id, name)
);

create table segment_members (
    segment_id bigint not null references segments (id) on delete cascade,
    profile_id text   not null references profiles (id) on delete cascade,
    added_at   bigint not null,
    primary key (segment_id, profile_id)
);
create index segment_members_profile on segment_members (profile_id);

-- indexed: true on a custom field builds an index on it (named after the database and the field).
alter table db_fields add column is_indexed integer not null default 0;

-- Filters on _createtime read an index.
create index profiles_db_created on profiles (db_id, created_at);

-- Lookups by email domain (_emaildomain) read the domains of the email keys (lower-cased addresses).
create index profile_keys_email_domain on profile_keys (db_id, substr(value, instr(value, '@') + 1)) where kind = 'email';
