-- The email domain index is led by the domain, not by db_id. Led by db_id, it served a probe of one email key
-- (db_id, kind, value: the primary key) as well: right after a bulk load into one Roster database, PostgreSQL's
-- statistics said another database held no keys, and each probe of its keys read every email key of that database
-- through this index (35,000 rows a probe in bench/reimport's import_batch, 1,000 probes a request). Led by the
-- domain, the index can only answer a domain lookup, which has both columns.
drop index if exists profile_keys_email_domain;
create index profile_keys_email_domain on profile_keys (split_part(value, '@', 2), db_id, profile_id) where kind = 'email';
