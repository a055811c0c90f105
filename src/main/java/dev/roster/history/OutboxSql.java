package dev.roster.history;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The outbox's SQL: the events of history_events, and of event_retained (events of deleted profiles and databases
 * that readers are still owed), in commit order (tx, id).
 */
final class OutboxSql {
    private static final String COLUMNS = "id, tx, db_id, profile_id, at, action, token_name, resource_id, channel, "
            + "hash_id, contact, detail";

    private OutboxSql() {
    }

    /**
     * Up to {@code limit} events after the cursor and below the horizon, of one account (or all when null), of these
     * databases and types (all when null), in commit order.
     */
    static List<Outbox.Event> after(Handle h, long horizon, Long accountId, List<Long> dbIds, List<String> types,
                                    long tx, long id, int limit) {
        String filter = " and (tx, id) > (:tx, :id) and tx < :horizon"
                + (dbIds == null ? "" : " and db_id in (" + numbers(dbIds) + ")")
                + (types == null ? "" : " and action in (<types>)");
        String live = "select " + COLUMNS + " from history_events where 1 = 1" + filter
                + (accountId == null ? "" : " and db_id in (select id from databases where account_id = :account)")
                + " order by tx, id limit :limit";
        String retained = "select " + COLUMNS + " from event_retained where 1 = 1" + filter
                + (accountId == null ? "" : " and account_id = :account") + " order by tx, id limit :limit";
        var query = h.createQuery("select * from (" + live + ") a union all select * from (" + retained + ") b "
                        + "order by tx, id limit :limit")
                .bind("tx", tx).bind("id", id).bind("horizon", horizon).bind("account", accountId)
                .bind("limit", limit);
        if (types != null) {
            query.bindList("types", types.isEmpty() ? List.of("") : types);
        }
        return query.map((rs, ctx) -> new Outbox.Event(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                rs.getLong(5), rs.getString(6), rs.getString(7), dev.roster.store.Rows.nullableLong(rs, 8),
                rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12))).list();
    }

    private static String numbers(List<Long> ids) {
        if (ids.isEmpty()) {
            return "-1";
        }
        StringBuilder out = new StringBuilder();
        for (Long v : ids) {
            out.append(out.isEmpty() ? "" : ",").append(v.longValue());
        }
        return out.toString();
    }

    /** The place of the last event below the horizon: a new reader starts after it. */
    static long[] end(Handle h, long horizon) {
        long[] best = {0, 0};
        for (String table : new String[] {"history_events", "event_retained"}) {
            h.createQuery("select tx, id from " + table + " where tx < :horizon order by tx desc, id desc limit 1")
                    .bind("horizon", horizon)
                    .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).findOne()
                    .ifPresent(p -> {
                        if (p[0] > best[0] || (p[0] == best[0] && p[1] > best[1])) {
                            best[0] = p[0];
                            best[1] = p[1];
                        }
                    });
        }
        return best;
    }

    /** Moves a profile's events to event_retained when some reader of its account may still be owed them. */
    static void retainProfile(Handle h, long dbId, String xxh) {
        h.createUpdate("insert into event_retained (id, tx, account_id, db_id, profile_id, at, action, token_name, "
                        + "resource_id, channel, hash_id, contact, detail) select e.id, e.tx, d.account_id, e.db_id, "
                        + "e.profile_id, e.at, e.action, e.token_name, e.resource_id, e.channel, e.hash_id, e.contact, "
                        + "e.detail from history_events e join databases d on d.id = e.db_id where e.db_id = :db "
                        + "and e.xxh = :xxh and " + READERS)
                .bind("db", dbId).bind("xxh", xxh).execute();
    }

    static void retainDatabase(Handle h, long dbId) {
        h.createUpdate("insert into event_retained (id, tx, account_id, db_id, profile_id, at, action, token_name, "
                        + "resource_id, channel, hash_id, contact, detail) select e.id, e.tx, d.account_id, e.db_id, "
                        + "e.profile_id, e.at, e.action, e.token_name, e.resource_id, e.channel, e.hash_id, e.contact, "
                        + "e.detail from history_events e join databases d on d.id = e.db_id where e.db_id = :db and "
                        + READERS)
                .bind("db", dbId).execute();
    }

    /** Some reader exists that may still be owed events of the account: a webhook of it, or the events exchange. */
    private static final String READERS = "(exists (select 1 from webhooks w where w.account_id = d.account_id) "
            + "or exists (select 1 from event_consumers))";

    /** Drops retained events that every reader has passed. */
    static int dropDelivered(Handle h) {
        return h.createUpdate("delete from event_retained where not exists (select 1 from webhooks w where "
                + "w.account_id = event_retained.account_id and (w.cursor_tx < event_retained.tx or (w.cursor_tx = "
                + "event_retained.tx and w.cursor_id < event_retained.id))) and not exists (select 1 from "
                + "event_consumers c where c.cursor_tx < event_retained.tx or (c.cursor_tx = event_retained.tx and "
                + "c.cursor_id < event_retained.id))").execute();
    }
}
