-- Counters of profiles per database and of subscriptions per (database, resource, channel, status, is_delete), kept
-- exact by the triggers below in the same transaction as the write, so that reading them costs a sum over a few rows
-- instead of a scan (issue 4, databases/get_counters).
--
-- Sharding: each counter is split over up to 16 rows and read as their sum. A writer adds its deltas to the shard of
-- its own transaction (txid % 16), so concurrent writers update different rows and never wait for each other's
-- commit on a counter, whatever profiles they write. (A shard taken from the profile id would not do that: a batch
-- touches every shard, and two concurrent batches would serialise on them.) A shard may go negative; only sums mean
-- anything.
--
-- The triggers are statement-level with transition tables: a multi-row insert, suspend_all or a delete of a whole
-- database adds one aggregated delta per counter, in key order, not one update per row. INSERT ... ON CONFLICT DO
-- UPDATE fires the insert trigger for the rows it inserted and the update trigger for the rows it updated, so
-- upserts count right as well. Cascaded deletes fire the delete triggers too.
--
-- Counters of a deleted database or resource are removed with it. A decrement for rows whose database or resource is
-- already gone (a cascade fires the child's triggers after the parent's) is skipped, so nothing is left behind.

create table profile_counters (
    db_id    bigint  not null,
    shard    integer not null,
    profiles bigint  not null,
    primary key (db_id, shard)
);

create table subscription_counters (
    db_id         bigint  not null,
    resource_id   bigint  not null,
    channel       text    not null,
    status        integer not null,
    is_delete     boolean not null,
    shard         integer not null,
    subscriptions bigint  not null,
    primary key (db_id, resource_id, channel, status, is_delete, shard)
);
create index subscription_counters_resource on subscription_counters (resource_id, db_id);

-- The counts of the rows that exist now.
insert into profile_counters (db_id, shard, profiles)
select db_id, 0, count(*) from profiles group by db_id;
insert into subscription_counters (db_id, resource_id, channel, status, is_delete, shard, subscriptions)
select db_id, resource_id, channel, status, is_delete, 0, count(*)
from subscriptions group by db_id, resource_id, channel, status, is_delete;

create function counter_shard() returns integer language sql volatile as $$
    select (txid_current() % 16)::integer
$$;

-- profiles

create function profile_counters_insert() returns trigger language plpgsql as $$
begin
    insert into profile_counters (db_id, shard, profiles)
    select db_id, counter_shard(), count(*) from new_rows group by db_id order by db_id
    on conflict (db_id, shard) do update set profiles = profile_counters.profiles + excluded.profiles;
    return null;
end
$$;

create function profile_counters_delete() returns trigger language plpgsql as $$
begin
    insert into profile_counters (db_id, shard, profiles)
    select g.db_id, counter_shard(), -g.n
    from (select db_id, count(*) as n from old_rows group by db_id) g
    where exists (select 1 from databases d where d.id = g.db_id)
    order by g.db_id
    on conflict (db_id, shard) do update set profiles = profile_counters.profiles + excluded.profiles;
    return null;
end
$$;

-- A profile never changes database today; a row trigger with a WHEN costs nothing on ordinary profile updates and
-- keeps the counts right if one ever does.
create function profile_counters_move() returns trigger language plpgsql as $$
begin
    insert into profile_counters (db_id, shard, profiles) values (old.db_id, counter_shard(), -1)
    on conflict (db_id, shard) do update set profiles = profile_counters.profiles - 1;
    insert into profile_counters (db_id, shard, profiles) values (new.db_id, counter_shard(), 1)
    on conflict (db_id, shard) do update set profiles = profile_counters.profiles + 1;
    return null;
end
$$;

create trigger profile_counters_insert after insert on profiles
    referencing new table as new_rows for each statement execute function profile_counters_insert();
create trigger profile_counters_delete after delete on profiles
    referencing old table as old_rows for each statement execute function profile_counters_delete();
create trigger profile_counters_move after update of db_id on profiles
    for each row when (old.db_id is distinct from new.db_id) execute function profile_counters_move();

-- subscriptions

create function subscription_counters_insert() returns trigger language plpgsql as $$
begin
    insert into subscription_counters (db_id, resource_id, channel, status, is_delete, shard, subscriptions)
    select db_id, resource_id, channel, status, is_delete, counter_shard(), count(*)
    from new_rows
    group by db_id, resource_id, channel, status, is_delete
    order by db_id, resource_id, channel, status, is_delete
    on conflict (db_id, resource_id, channel, status, is_delete, shard)
        do update set subscriptions = subscription_counters.subscriptions + excluded.subscriptions;
    return null;
end
$$;

create function subscription_counters_delete() returns trigger language plpgsql as $$
begin
    insert into subscription_counters (db_id, resource_id, channel, status, is_delete, shard, subscriptions)
    select g.db_id, g.resource_id, g.channel, g.status, g.is_delete, counter_shard(), -g.n
    from (select db_id, resource_id, channel, status, is_delete, count(*) as n
          from old_rows group by db_id, resource_id, channel, status, is_delete) g
    where exists (select 1 from databases d where d.id = g.db_id)
      and exists (select 1 from resources r where r.id = g.resource_id)
    order by g.db_id, g.resource_id, g.channel, g.status, g.is_delete
    on conflict (db_id, resource_id, channel, status, is_delete, shard)
        do update set subscriptions = subscription_counters.subscriptions + excluded.subscriptions;
    return null;
end
$$;

-- Old rows count -1 and new rows +1; rows whose counted columns did not change cancel out and write nothing.
create function subscription_counters_update() returns trigger language plpgsql as $$
begin
    insert into subscription_counters (db_id, resource_id, channel, status, is_delete, shard, subscriptions)
    select db_id, resource_id, channel, status, is_delete, counter_shard(), sum(delta)
    from (select db_id, resource_id, channel, status, is_delete, -1 as delta from old_rows
          union all
          select db_id, resource_id, channel, status, is_delete, 1 as delta from new_rows) d
    group by db_id, resource_id, channel, status, is_delete
    having sum(delta) <> 0
    order by db_id, resource_id, channel, status, is_delete
    on conflict (db_id, resource_id, channel, status, is_delete, shard)
        do update set subscriptions = subscription_counters.subscriptions + excluded.subscriptions;
    return null;
end
$$;

create trigger subscription_counters_insert after insert on subscriptions
    referencing new table as new_rows for each statement execute function subscription_counters_insert();
create trigger subscription_counters_delete after delete on subscriptions
    referencing old table as old_rows for each statement execute function subscription_counters_delete();
create trigger subscription_counters_update after update on subscriptions
    referencing old table as old_rows new table as new_rows for each statement execute function subscription_counters_update();

-- the counters of a database or resource go with it

create function counters_of_database_delete() returns trigger language plpgsql as $$
begin
    delete from profile_counters where db_id in (select id from old_rows);
    delete from subscription_counters where db_id in (select id from old_rows);
    return null;
end
$$;

create function counters_of_resource_delete() returns trigger language plpgsql as $$
begin
    delete from subscription_counters where resource_id in (select id from old_rows);
    return null;
end
$$;

create trigger counters_of_database_delete after delete on databases
    referencing old table as old_rows for each statement execute function counters_of_database_delete();
create trigger counters_of_resource_delete after delete on resources
    referencing old table as old_rows for each statement execute function counters_of_resource_delete();
