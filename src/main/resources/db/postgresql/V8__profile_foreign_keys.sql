-- Keys, lookups and subscriptions refer to their profile by (db_id, profile_id) instead of by two foreign keys, one
-- to the database and one to the profile. PostgreSQL checks a foreign key with one query per inserted row; a new
-- profile with an email and a phone made five such checks, two fifths of the server's time in import_batch
-- (bench/RESULTS.md). Now it makes three. The invariant is stronger than before: a key's database is its profile's,
-- and the profile's own foreign key makes the database exist. Deleting a database still removes everything: it
-- cascades to the profiles, and from them to their keys, lookups and subscriptions.
create unique index profiles_db_id on profiles (db_id, id);
drop index profiles_db;

alter table profile_keys
    drop constraint profile_keys_db_id_fkey,
    drop constraint profile_keys_profile_id_fkey,
    add constraint profile_keys_profile_fkey foreign key (db_id, profile_id) references profiles (db_id, id) on delete cascade;

alter table profile_lookups
    drop constraint profile_lookups_db_id_fkey,
    drop constraint profile_lookups_profile_id_fkey,
    add constraint profile_lookups_profile_fkey foreign key (db_id, profile_id) references profiles (db_id, id) on delete cascade;

alter table subscriptions
    drop constraint subscriptions_db_id_fkey,
    drop constraint subscriptions_profile_id_fkey,
    add constraint subscriptions_profile_fkey foreign key (db_id, profile_id) references profiles (db_id, id) on delete cascade;
