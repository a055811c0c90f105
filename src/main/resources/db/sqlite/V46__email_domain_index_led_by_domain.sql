-- The email domain index is led by the domain, not by db_id, as on PostgreSQL (see its V46): led by db_id, it could
-- be chosen for a probe of one email key, which the primary key answers.
drop index if exists profile_keys_email_domain;
create index profile_keys_email_domain on profile_keys (substr(value, instr(value, '@') + 1), db_id, profile_id)
    where kind = 'email';
