-- The rows of a profile in its key, lookup and subscription tables, found by the profile first and its database second.
-- PostgreSQL's cascades on deleting a profile look them up by (db_id, profile_id); with an index on profile_id alone
-- and no planner statistics (right after a bulk load, or with autovacuum off) it combined that index with the
-- primary key's db_id prefix, reading every key of the database for each deleted profile. An index led by both
-- columns is the obvious plan with or without statistics, and still serves the lookups by profile_id alone.
drop index profile_keys_profile;
create index profile_keys_profile on profile_keys (profile_id, db_id);
drop index profile_lookups_profile;
create index profile_lookups_profile on profile_lookups (profile_id, db_id);
create index subscriptions_profile on subscriptions (profile_id, db_id);
