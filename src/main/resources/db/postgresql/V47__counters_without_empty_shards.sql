-- A batch item refused after its new profile was written (its key taken by another profile, found when claiming the
-- keys) has that profile deleted again in the same transaction. The insert trigger had then created a counter row in
-- the transaction's shard and the delete trigger brought it back to zero, so a refused request left a row behind. The
-- delete trigger now also removes the rows of its own shard that its upsert brought to zero (read from the upsert's
-- own answer: a delete statement that leaves no zero runs nothing more): sums are unchanged, and it only touches rows
-- its own upsert has just locked. (SQLite keeps one row per database, which the profile holding the
-- key already gave it.)
create or replace function profile_counters_delete() returns trigger language plpgsql as $$
declare
    emptied bigint[];
begin
    with added as (
        insert into profile_counters (db_id, shard, profiles)
        select g.db_id, counter_shard(), -g.n
        from (select db_id, count(*) as n from old_rows group by db_id) g
        where exists (select 1 from databases d where d.id = g.db_id)
        order by g.db_id
        on conflict (db_id, shard) do update set profiles = profile_counters.profiles + excluded.profiles
        returning db_id, profiles
    )
    select array_agg(db_id) into emptied from added where profiles = 0;
    if emptied is not null then
        delete from profile_counters where db_id = any (emptied) and shard = counter_shard() and profiles = 0;
    end if;
    return null;
end
$$;
