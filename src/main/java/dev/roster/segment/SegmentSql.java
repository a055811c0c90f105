package dev.roster.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The SQL of segments and their static members. */
final class SegmentSql {
    private static final int CHUNK = 500;

    private SegmentSql() {
    }

    record SegmentRow(long id, long accountId, long dbId, String name, String type, String query, long createdAt,
                      long updatedAt) {
        boolean isStatic() {
            return type.equals("static");
        }
    }

    private static final String COLUMNS = "id, account_id, db_id, name, type, query, created_at, updated_at";

    private static SegmentRow row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new SegmentRow(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getLong(7), rs.getLong(8));
    }

    static long insert(Handle h, long accountId, long dbId, String name, String type, String query, long now) {
        return h.createQuery("insert into segments (account_id, db_id, name, type, query, created_at, updated_at) "
                        + "values (:account, :db, :name, :type, :query, :now, :now) returning id")
                .bind("account", accountId).bind("db", dbId).bind("name", name).bind("type", type)
                .bind("query", query).bind("now", now).mapTo(Long.class).one();
    }

    static Optional<SegmentRow> find(Handle h, long accountId, long id) {
        return h.createQuery("select " + COLUMNS + " from segments where id = :id and account_id = :account")
                .bind("id", id).bind("account", accountId).map((rs, ctx) -> row(rs)).findOne();
    }

    static List<SegmentRow> list(Handle h, long accountId, Long dbId) {
        return h.createQuery("select " + COLUMNS + " from segments where account_id = :account"
                        + (dbId == null ? "" : " and db_id = :db") + " order by id")
                .bind("account", accountId).bind("db", dbId).map((rs, ctx) -> row(rs)).list();
    }

    static void update(Handle h, long id, String name, String query, long now) {
        h.createUpdate("update segments set name = :name, query = :query, updated_at = :now where id = :id")
                .bind("id", id).bind("name", name).bind("query", query).bind("now", now).execute();
    }

    static void delete(Handle h, long id) {
        h.createUpdate("delete from segment_members where segment_id = :id").bind("id", id).execute();
        h.createUpdate("delete from segments where id = :id").bind("id", id).execute();
    }

    static long memberCount(Handle h, long id) {
        return h.createQuery("select count(*) from segment_members where segment_id = :id").bind("id", id)
                .mapTo(Long.class).one();
    }

    /** The ids among {@code ids} that are profiles of the database. */
    static java.util.Set<String> existing(Handle h, long dbId, List<String> ids) {
        java.util.Set<String> found = new java.util.HashSet<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            found.addAll(h.createQuery("select id from profiles where db_id = :db and id in (<ids>)")
                    .bind("db", dbId).bindList("ids", chunk).mapTo(String.class).list());
        }
        return found;
    }

    /** True when this call made the profile a member. */
    static boolean add(Handle h, long segmentId, String profileId, long now) {
        return h.createUpdate("insert into segment_members (segment_id, profile_id, added_at) values (:s, :p, :now) "
                        + "on conflict (segment_id, profile_id) do nothing")
                .bind("s", segmentId).bind("p", profileId).bind("now", now).execute() > 0;
    }

    /** The profiles this call added (those not members already). */
    static java.util.Set<String> addAll(Handle h, long segmentId, List<String> profileIds, long now) {
        return new java.util.HashSet<>(dev.roster.store.MultiRow.query(h,
                "insert into segment_members (segment_id, profile_id, added_at) values ", "(?, ?, ?)",
                " on conflict (segment_id, profile_id) do nothing returning profile_id", profileIds, CHUNK,
                (p, id) -> p.number(segmentId).text(id).number(now), rs -> rs.getString(1)));
    }

    /** The profiles this call removed (those that were members). */
    static java.util.Set<String> removeAll(Handle h, long segmentId, List<String> profileIds) {
        return new java.util.HashSet<>(dev.roster.store.MultiRow.query(h,
                "delete from segment_members where segment_id = " + segmentId + " and profile_id in (", "?",
                ") returning profile_id", profileIds, CHUNK, (p, id) -> p.text(id), rs -> rs.getString(1)));
    }

    /** The static segments the profiles belong to. */
    static List<Long> segmentsOf(Handle h, List<String> profileIds) {
        List<Long> out = new ArrayList<>();
        for (int from = 0; from < profileIds.size(); from += CHUNK) {
            out.addAll(h.createQuery("select distinct segment_id from segment_members where profile_id in (<ids>)")
                    .bindList("ids", profileIds.subList(from, Math.min(profileIds.size(), from + CHUNK)))
                    .mapTo(Long.class).list());
        }
        return out.stream().distinct().toList();
    }

    static void deleteMembers(Handle h, List<String> profileIds) {
        for (int from = 0; from < profileIds.size(); from += CHUNK) {
            h.createUpdate("delete from segment_members where profile_id in (<ids>)")
                    .bindList("ids", profileIds.subList(from, Math.min(profileIds.size(), from + CHUNK))).execute();
        }
    }
}
