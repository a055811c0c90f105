-- Identifiers and identity keys compare byte by byte (collation "C") instead of by the database's default collation.
-- Every index probe and insert of a profile write compares these texts, and with a libc collation such as
-- C.UTF-8 or en_US.UTF-8 each comparison goes through strcoll: 13 % of the PostgreSQL backends' time in
-- import_batch (perf, bench/RESULTS.md). The order of the values used as cursors does not change: ids are lower-case
-- hex, which sorts the same in every collation; email, phone and other keys are only ever compared for equality.
alter table profiles alter column id type text collate "C";
alter table profile_keys
    alter column kind type text collate "C",
    alter column value type text collate "C",
    alter column profile_id type text collate "C";
alter table profile_lookups
    alter column kind type text collate "C",
    alter column value type text collate "C",
    alter column profile_id type text collate "C";
alter table subscriptions
    alter column profile_id type text collate "C",
    alter column channel type text collate "C",
    alter column address type text collate "C";
alter table history_events
    alter column profile_id type text collate "C",
    alter column xxh type text collate "C";
alter table write_receipts
    alter column receipt type text collate "C",
    alter column profile_id type text collate "C";
