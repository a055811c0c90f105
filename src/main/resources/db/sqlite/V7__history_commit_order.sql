-- history_get_all's cursor is (tx, id) (see the PostgreSQL migration: there transactions commit out of id order).
-- SQLite has one writer at a time, so ids are already in commit order: tx is 0 for every event and the order is the
-- id's.
alter table history_events add column tx integer not null default 0;
drop index history_events_db;
create index history_events_db on history_events (db_id, tx, id);
