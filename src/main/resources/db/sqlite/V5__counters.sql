-- Counters of profiles per database and of subscriptions per (database, resource, channel, status, is_delete), kept
-- exact by the triggers below in the same transaction as the write, so that reading them costs a sum over a few rows
-- instead of a scan (issue 4, databases/get_counters).
--
-- The tables have the shard column of the PostgreSQL store, where concurrent writers add to different rows. SQLite
-- has one writer at a time, so every delta goes to shard 0 here.
--
-- SQLite triggers are per row. An INSERT ... ON CONFLICT DO UPDATE that updates fires the AFTER UPDATE trigger, not
-- the AFTER INSERT one, so upserts count right. Foreign key cascades fire the child's delete triggers. REPLACE
-- conflict resolution deletes rows without firing delete triggers (unless recursive_triggers is on): no statement of
-- Roster may use INSERT OR REPLACE on profiles or subscriptions.
--
-- Counters of a deleted database or resource are removed with it; a decrement for rows whose database or resource is
-- already gone is skipped, so nothing is left behind whatever order a cascade runs in.

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
    is_delete     integer not null,
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

-- profiles

create trigger profile_counters_insert after insert on profiles
begin
    insert into profile_counters (db_id, shard, profiles) values (new.db_id, 0, 1)
    on conflict (db_id, shard) do update set profiles = profiles + 1;
end;

create trigger profile_counters_delete after delete on profiles
when exists (select 1 from databases d where d.id = old.db_id)
begin
    insert into profile_counters (db_id, shard, profiles) values (old.db_id, 0, -1)
    on conflict (db_id, shard) do update set profiles = profiles - 1;
end;

-- A profile never changes database today; this keeps the counts right if one ever does.
create trigger profile_counters_move after update of db_id on profiles
when old.db_id is not new.db_id
begin
    insert into profile_counters (db_id, shard, profiles) values (old.db_id, 0, -1)
    on conflict (db_id, shard) do update set profiles = profiles - 1;
    insert into profile_counters (db_id, shard, profiles) values (new.db_id, 0, 1)
    on conflict (db_id, shard) do update set profiles = profiles + 1;
end;

-- subscriptions

create trigger subscription_counters_insert after insert on subscriptions
begin
    insert into subscription_counters (db_id, resource_id, channel, status, is_delete, shard, subscriptions)
    values (new.db_id, new.resource_id, new.channel, new.status, new.is_delete, 0, 1)
    on conflict (db_id, resource_id, channel, status, is_delete, shard) do update set subscriptions = subscriptions + 1;
end;

create trigger subscription_counters_delete after delete on subscriptions
when exists (select 1 from databases d where d.id = old.db_id)
 and exists (select 1 from resources r where r.id = old.resource_id)
begin
    insert into subscription_counters (db_id, resource_id, channel, status, is_delete, shard, subscriptions)
    values (old.db_id, old.resource_id, old.channel, old.status, old.is_delete, 0, -1)
    on conflict (db_id, resource_id, channel, status, is_delete, shard) do update set subscriptions = subscriptions - 1;
end;

-- Only when a counted column changes: updates of priority, custom_fields or cats write nothing here.
create trigger subscription_counters_update after update of db_id, resource_id, channel, status, is_delete on subscriptions
when old.db_id is not new.db_id or old.resource_id is not new.resource_id or old.channel is not new.channel
  or old.status is not new.status or old.is_delete is not new.is_delete
begin
    insert into subscription_counters (db_id, resource_id, channel, status, is_delete, shard, subscriptions)
    values (old.db_id, old.resource_id, old.channel, old.status, old.is_delete, 0, -1)
    on conflict (db_id, resource_id, channel, status, is_delete, shard) do update set subscriptions = subscriptions - 1;
    insert into subscription_counters (db_id, resource_id, channel, status, is_delete, shard, subscriptions)
    values (new.db_id, new.resource_id, new.channel, new.status, new.is_delete, 0, 1)
    on conflict (db_id, resource_id, channel, status, is_delete, shard) do update set subscriptions = subscriptions + 1;
end;

-- the counters of a database or resource go with it

create trigger counters_of_database_delete after delete on databases
begin
    delete from profile_counters where db_id = old.id;
    delete from subscription_counters where db_id = old.id;
end;

create trigger counters_of_resource_delete after delete on resources
begin
    delete from subscription_counters where resource_id = old.id;
end;
