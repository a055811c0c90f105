package dev.roster.profile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.json.Json;
import dev.roster.profile.ProfileSql.Key;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import dev.roster.store.SqlDialect;
import dev.roster.store.MultiRow;
import org.jdbi.v3.core.Handle;

/**
 * Multi-row SQL for writing many profiles at once: one statement per chunk of rows, never one per row. Both
 * databases accept these forms (row values, {@code update ... from (values ...)}, {@code returning}).
 */
final class BatchSql {
    /** Rows per statement: well under the bind-parameter limits of both databases. */
    static final int CHUNK = 400;

    private BatchSql() {
    }

    record Owned(long dbId, Key key, String profileId) {
    }

    record NewProfile(String id, long dbId, ObjectNode data, long now) {
    }

    record ProfileUpdate(String id, ObjectNode data, long now) {
    }

    record SubscriptionRow(String profileId, long dbId, Subscription subscription) {
    }

    /** Runs the work once per chunk of at most {@link #CHUNK} rows. */
    static <T> void chunked(List<T> rows, java.util.function.Consumer<List<T>> run) {
        for (int from = 0; from < rows.size(); from += CHUNK) {
            run.accept(rows.subList(from, Math.min(rows.size(), from + CHUNK)));
        }
    }

    /** Binds {@code values} as {@code :v0}, {@code :v1}, ... (the placeholders {@code groups(n, ":v#")} wrote). */
    private static <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bindValues(S statement, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            statement.bind("v" + i, values.get(i));
        }
        return statement;
    }

    /** {@code count} copies of the template, joined by commas, each with {@code #} replaced by its index. */
    static String groups(int count, String template) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(template.replace("#", Integer.toString(i)));
        }
        return out.toString();
    }

    /** The statement of {@link #owners}: one probe of the primary key per value. */
    static String ownersSql(Handle h) {
        return "select list.value, (select k.profile_id from profile_keys k where k.db_id = :db and k.kind = :kind "
                + "and k.value = list.value) from " + SqlDialect.of(h).jsonTextList("values");
    }

    /**
     * Owners of the keys of one database and kind: one probe of the primary key per value, from a list bound as one
     * JSON parameter. Not {@code value in (...)}: PostgreSQL plans that as an index scan on {@code (db_id, kind)} that
     * filters the values while the table is small or has no statistics yet, and keeps the cached plan as the table
     * grows (each lookup then reads every key of the database). Nor a {@code union all} of equalities: planning 400
     * branches takes ~50 ms. The correlated subquery is a probe of the full key, whatever the statistics say (see
     * migration V46 and KeyProbePlanTest).
     */
    static Map<String, String> owners(Handle h, long dbId, String kind, List<String> values) {
        Map<String, String> owners = new HashMap<>();
        h.createQuery(ownersSql(h))
                .bind("db", dbId).bind("kind", kind).bind("values", Json.write(values))
                .map((rs, ctx) -> Map.entry(rs.getString(1), java.util.Optional.ofNullable(rs.getString(2))))
                .forEach(e -> e.getValue().ifPresent(owner -> owners.put(e.getKey(), owner)));
        return owners;
    }


    /** The ids that name profiles of the database; looked up by id alone, the primary key (see {@link #owners}). */
    static List<String> existingProfiles(Handle h, long dbId, List<String> ids) {
        List<String> found = new ArrayList<>();
        chunked(ids, chunk -> {
            var query = bindValues(h.createQuery("select id, db_id from profiles where id in (" + groups(chunk.size(), ":v#") + ")"), chunk);
            query.map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(row -> {
                if (row.getValue() == dbId) {
                    found.add(row.getKey());
                }
            });
        });
        return found;
    }

    /** The profiles, locked (PostgreSQL) in id order so that concurrent batches never wait for each other in a cycle. */
    static List<ProfileSql.ProfileRow> lockProfiles(Handle h, List<String> sortedIds) {
        return profiles(h, sortedIds, SqlDialect.of(h).forUpdate());
    }

    /** The profiles, not locked: for reads. */
    static List<ProfileSql.ProfileRow> readProfiles(Handle h, List<String> sortedIds) {
        return profiles(h, sortedIds, "");
    }

    private static List<ProfileSql.ProfileRow> profiles(Handle h, List<String> sortedIds, String forUpdate) {
        List<ProfileSql.ProfileRow> rows = new ArrayList<>();
        chunked(sortedIds, chunk -> {
            var query = bindValues(h.createQuery("select id, db_id, data, created_at, updated_at from profiles where id in ("
                    + groups(chunk.size(), ":v#") + ") order by id" + forUpdate), chunk);
            rows.addAll(query.map((rs, ctx) -> new ProfileSql.ProfileRow(rs.getString(1), rs.getLong(2),
                    (ObjectNode) Json.readStored(rs.getString(3)), rs.getLong(4), rs.getLong(5))).list());
        });
        return rows;
    }


    /** The statement of {@link #keysOf}: one index probe per id (see {@link SqlDialect#rowsPerListValue}). */
    static String keysOfSql(Handle h, String table) {
        return "select list.value, k.kind, k.value from " + SqlDialect.of(h).rowsPerListValue("ids", table, "k", "profile_id");
    }

    static Map<String, List<Key>> keysOf(Handle h, String table, List<String> ids) {
        Map<String, List<Key>> keys = new HashMap<>();
        if (ids.isEmpty()) {
            return keys;
        }
        h.createQuery(keysOfSql(h, table)).bind("ids", Json.write(ids))
                .map((rs, ctx) -> Map.entry(rs.getString(1), new Key(rs.getString(2), rs.getString(3))))
                .forEach(e -> keys.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return keys;
    }

    /** The statement of {@link #subscriptionsOf}: one index probe per id (see {@link SqlDialect#rowsPerListValue}). */
    static String subscriptionsOfSql(Handle h) {
        return "select list.value, " + ProfileSql.subscriptionColumns("s") + " from "
                + SqlDialect.of(h).rowsPerListValue("ids", "subscriptions", "s", "profile_id") + " order by s.id";
    }

    static Map<String, List<Subscription>> subscriptionsOf(Handle h, List<String> ids) {
        Map<String, List<Subscription>> subs = new HashMap<>();
        for (String id : ids) {
            subs.put(id, new ArrayList<>());
        }
        if (ids.isEmpty()) {
            return subs;
        }
        h.createQuery(subscriptionsOfSql(h)).bind("ids", Json.write(ids))
                .map((rs, ctx) -> Map.entry(rs.getString(1), ProfileSql.subscription(rs, 1)))
                .forEach(e -> subs.get(e.getKey()).add(e.getValue()));
        return subs;
    }

    /**
     * The same for a page being read (profiles/list, exports): one statement whatever the page's size, the ids bound as
     * one JSON list (a page of 1,000 was three statements of up to 400 parameters, each its own statement text).
     */
    static Map<String, List<Subscription>> subscriptionsOfPage(Handle h, List<String> ids) {
        Map<String, List<Subscription>> subs = new HashMap<>();
        if (ids.isEmpty()) {
            return subs;
        }
        h.createQuery("select s.profile_id, " + prefixed("s.", ProfileSql.SUBSCRIPTION_COLUMNS)
                        + " from subscriptions s where s.profile_id in (select list.value from "
                        + SqlDialect.of(h).jsonTextList("ids") + ") order by s.id")
                .bind("ids", Json.write(ids))
                .map((rs, ctx) -> Map.entry(rs.getString(1), ProfileSql.subscription(rs, 1)))
                .forEach(e -> subs.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return subs;
    }

    private static String prefixed(String prefix, String columns) {
        return java.util.Arrays.stream(columns.split(", ")).map(c -> prefix + c)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    static void insertProfiles(Handle h, List<NewProfile> rows) {
        MultiRow.execute(h, "insert into profiles (id, db_id, data, created_at, updated_at) values ", "(?, ?, ?, ?, ?)", "",
                rows, CHUNK, (p, r) -> p.text(r.id()).number(r.dbId()).text(Json.write(r.data())).number(r.now())
                        .number(r.now()));
    }

    static void updateProfiles(Handle h, List<ProfileUpdate> rows) {
        MultiRow.execute(h, "update profiles set data = v.column2, updated_at = v.column3 from (values ", "(?, ?, ?)",
                ") as v where profiles.id = v.column1", rows, CHUNK,
                (p, r) -> p.text(r.id()).text(Json.write(r.data())).number(r.now()));
    }

    /** Claims the keys; returns those this statement inserted (a key any profile already holds is not). */
    static List<Owned> claim(Handle h, List<Owned> keys) {
        return MultiRow.query(h, "insert into profile_keys (db_id, kind, value, profile_id) values ", "(?, ?, ?, ?)",
                " on conflict (db_id, kind, value) do nothing returning db_id, kind, value, profile_id", keys, CHUNK,
                (p, o) -> p.number(o.dbId()).text(o.key().kind()).text(o.key().value()).text(o.profileId()),
                rs -> new Owned(rs.getLong(1), new Key(rs.getString(2), rs.getString(3)), rs.getString(4)));
    }

    static void deleteKeys(Handle h, String table, List<Owned> keys) {
        chunked(keys, chunk -> {
            var update = h.createUpdate("delete from " + table + " where (db_id, kind, value, profile_id) in (values "
                    + groups(chunk.size(), "(:db#, :kind#, :value#, :id#)") + ")");
            for (int i = 0; i < chunk.size(); i++) {
                Owned o = chunk.get(i);
                update.bind("db" + i, o.dbId()).bind("kind" + i, o.key().kind()).bind("value" + i, o.key().value())
                        .bind("id" + i, o.profileId());
            }
            update.execute();
        });
    }

    static void insertLookups(Handle h, List<Owned> keys) {
        MultiRow.execute(h, "insert into profile_lookups (db_id, kind, value, profile_id) values ", "(?, ?, ?, ?)",
                " on conflict do nothing", keys, CHUNK,
                (p, o) -> p.number(o.dbId()).text(o.key().kind()).text(o.key().value()).text(o.profileId()));
    }

    static void deleteProfiles(Handle h, List<String> ids) {
        chunked(ids, chunk -> {
            var update = bindValues(h.createUpdate("delete from profiles where id in (" + groups(chunk.size(), ":v#") + ")"), chunk);
            update.execute();
        });
    }

    static void insertSubscriptions(Handle h, List<SubscriptionRow> rows) {
        MultiRow.execute(h, "insert into subscriptions (profile_id, db_id, resource_id, channel, address, hash_id, "
                + "contact, status, priority, custom_fields, cats, is_delete, created_at, updated_at) values ",
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "", rows, CHUNK, (p, row) -> {
                    Subscription s = row.subscription();
                    p.text(row.profileId()).number(row.dbId()).number(s.resourceId()).text(s.channel().wireName())
                            .text(s.address()).text(s.hashId()).text(Json.write(s.contact())).number(s.status().number())
                            .number(s.priority()).text(Json.write(s.customFields())).text(Json.write(s.cats()))
                            .bool(s.deleted()).number(s.createdAt()).number(s.updatedAt());
                });
    }

    static void updateSubscriptions(Handle h, List<Subscription> rows) {
        // few per batch in practice (a changed status, priority or fields); one statement each keeps it simple
        rows.forEach(s -> ProfileSql.updateSubscription(h, s));
    }
}
