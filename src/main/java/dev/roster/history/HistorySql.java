package dev.roster.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.history.HistoryModel.Cursor;
import dev.roster.history.HistoryModel.Event;
import dev.roster.history.HistoryModel.SubscriptionRef;
import dev.roster.json.Json;
import dev.roster.store.MultiRow;
import dev.roster.store.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import dev.roster.store.SqlDialect;
import org.jdbi.v3.core.Handle;

/** The SQL of the history_events table. */
final class HistorySql {
    /** Events per insert statement: 12 parameters a row stays well under the bind limits of both databases. */
    static final int CHUNK = 400;
    private static final String COLUMNS = "id, db_id, profile_id, xxh, at, action, token_name, resource_id, channel, "
            + "hash_id, contact, detail, tx";

    private HistorySql() {
    }

    /** An event as stored. */
    record Row(long id, long dbId, String profileId, String xxh, long at, String action, String tokenName,
               Long resourceId, String channel, String hashId, ObjectNode contact, ObjectNode detail, long tx) {
    }

    /** One multi-row insert per chunk of events, never one statement per event. */
    static void insert(Handle h, List<Event> events) {
        MultiRow.execute(h, "insert into history_events (db_id, profile_id, xxh, at, action, token_name, resource_id, "
                + "channel, address, hash_id, contact, detail) values ", "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "",
                events, CHUNK, (p, e) -> {
                    SubscriptionRef s = e.subscription();
                    p.number(e.dbId()).text(e.profileId()).text(e.xxh()).number(e.at()).text(e.action().wireName())
                            .text(e.tokenName()).number(s == null ? null : s.resourceId())
                            .text(s == null ? null : s.channel()).text(s == null ? null : s.address())
                            .text(s == null ? null : s.hashId()).text(s == null ? null : Json.write(s.contact()))
                            .text(e.detail() == null ? null : Json.write(e.detail()));
                });
    }

    static void deleteProfile(Handle h, long dbId, String xxh) {
        h.createUpdate("delete from history_events where db_id = :db and xxh = :xxh")
                .bind("db", dbId).bind("xxh", xxh).execute();
    }

    static void deleteDatabase(Handle h, long dbId) {
        h.createUpdate("delete from history_events where db_id = :db").bind("db", dbId).execute();
    }

    static void moveProfile(Handle h, long dbId, String fromXxh, String toProfileId, String toXxh) {
        h.createUpdate("update history_events set profile_id = :to, xxh = :toXxh where db_id = :db and xxh = :from")
                .bind("db", dbId).bind("from", fromXxh).bind("to", toProfileId).bind("toXxh", toXxh).execute();
    }

    static void copyProfile(Handle h, long dbId, String fromXxh, String toProfileId, String toXxh) {
        h.createUpdate("insert into history_events (db_id, profile_id, xxh, at, action, token_name, resource_id, channel, "
                        + "address, hash_id, contact, detail) select db_id, :to, :toXxh, at, action, token_name, "
                        + "resource_id, channel, address, hash_id, contact, detail from history_events "
                        + "where db_id = :db and xxh = :from order by id")
                .bind("db", dbId).bind("from", fromXxh).bind("to", toProfileId).bind("toXxh", toXxh).execute();
    }

    static long countDatabase(Handle h, long dbId) {
        return h.createQuery("select count(*) from history_events where db_id = :db").bind("db", dbId)
                .mapTo(Long.class).one();
    }

    /** The profile whose events carry this xxh, if it has any. */
    static Optional<String> profileOf(Handle h, long dbId, String xxh) {
        return h.createQuery("select profile_id from history_events where db_id = :db and xxh = :xxh limit 1")
                .bind("db", dbId).bind("xxh", xxh).mapTo(String.class).findOne();
    }

    /**
     * Up to {@code limit} events of one profile from the cursor on, in commit order, within the period. Only events of
     * finished transactions ({@code finishedBelow}, see {@link dev.roster.store.Store#commitHorizon}): an
     * event can never appear behind a cursor a client already holds.
     */
    static List<Row> ofProfile(Handle h, long finishedBelow, long dbId, String xxh, Long fromMs, Long toMs,
                               Cursor from, int limit) {
        return h.createQuery("select " + COLUMNS + " from history_events where db_id = :db and xxh = :xxh"
                        + (fromMs == null ? "" : " and at >= :fromMs") + (toMs == null ? "" : " and at < :toMs")
                        + " and (tx, id) >= (:tx, :id) and tx < :below order by tx, id limit :limit")
                .bind("below", finishedBelow)
                .bind("db", dbId).bind("xxh", xxh).bind("fromMs", fromMs).bind("toMs", toMs)
                .bind("tx", from.tx()).bind("id", from.id()).bind("limit", limit)
                .map((rs, ctx) -> row(rs)).list();
    }

    /**
     * Up to {@code limit} events of the database from the cursor on, in commit order, within the period: a keyset
     * cursor over finished transactions only (see {@link #ofProfile}), so events written, inserted or deleted while a
     * client pages never make it skip or repeat one.
     */
    static List<Row> ofDatabase(Handle h, long finishedBelow, long dbId, long fromMs, long toMs, Cursor from, int limit) {
        return h.createQuery("select " + COLUMNS + " from history_events where db_id = :db and (tx, id) >= (:tx, :id) "
                        + "and tx < :below and at >= :fromMs and at < :toMs order by tx, id limit :limit")
                .bind("below", finishedBelow)
                .bind("db", dbId).bind("tx", from.tx()).bind("id", from.id()).bind("fromMs", fromMs)
                .bind("toMs", toMs).bind("limit", limit)
                .map((rs, ctx) -> row(rs)).list();
    }

    private static Row row(ResultSet rs) throws SQLException {
        String contact = rs.getString(11);
        String detail = rs.getString(12);
        return new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getString(6),
                rs.getString(7), Rows.nullableLong(rs, 8), rs.getString(9), rs.getString(10),
                contact == null ? null : (ObjectNode) Json.readStored(contact),
                detail == null ? null : (ObjectNode) Json.readStored(detail), rs.getLong(13));
    }
}
