-- history_get_all pages the events of a database with a keyset cursor. Ids come from a sequence when the row is
-- inserted, but transactions commit in another order: a page read while a transaction with a lower id is still open
-- would move the cursor past that transaction's events, and the client would never see them. Each event now carries
-- its transaction's id (tx); pages are read in (tx, id) order and only up to the oldest transaction still running
-- (the xmin of the reading statement's snapshot), below which no event can appear any more. The cursor is (tx, id).
alter table history_events add column tx bigint not null default (pg_current_xact_id()::text::bigint);
drop index history_events_db;
create index history_events_db on history_events (db_id, tx, id);
