-- Action history (decisions §8): one row per change of a profile, written in the transaction of the change.
-- id orders the events (the history_get_all cursor); at is the time in epoch milliseconds; token_name is the name of
-- the token that made the change ('command line' for the CLI). resource_id, channel, address (the subscription's
-- normalised identity), hash_id and contact (its address as shown, JSON) are set when the event concerns a
-- subscription; detail is a JSON object of what changed (old and new values).
-- No foreign keys: a profile's events are deleted with it explicitly (ProfileSql.deleteProfile, by db_id and xxh),
-- a database's with its contents; events of a deleted resource stay, they are history. Inserts stay cheap.
create table history_events (
    id          integer primary key autoincrement,
    db_id       bigint  not null,
    profile_id  text    not null,
    xxh         text    not null,
    at          bigint  not null,
    action      text    not null,
    token_name  text    not null,
    resource_id bigint,
    channel     text,
    address     text,
    hash_id     text,
    contact     text,
    detail      text
);
-- one profile's events by time (history_get by xxh or matching, and deleting them with the profile)
create index history_events_profile on history_events (db_id, xxh, at);
-- a database's events in id order (history_get_all's keyset cursor)
create index history_events_db on history_events (db_id, id);
