package dev.roster.catalog;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Reads of the counters that the V5 migration's triggers keep: each counter is the sum of its shard rows, so a read
 * costs a sum over a few rows per counter, never a scan of profiles or subscriptions.
 */
final class CounterSql {
    private CounterSql() {
    }

    /** The sum of the shards of one subscription counter. */
    record SubscriptionCount(long dbId, long resourceId, String channel, int status, boolean deleted, long count) {
    }

    /** Profiles per database, for the databases given (absent from the map: none). */
    static Map<Long, Long> profiles(Handle h, Collection<Long> dbIds) {
        Map<Long, Long> counts = new HashMap<>();
        if (dbIds.isEmpty()) {
            return counts;
        }
        h.createQuery("select db_id, sum(profiles) from profile_counters where db_id in (<dbs>) group by db_id")
                .bindList("dbs", List.copyOf(dbIds))
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2)))
                .forEach(e -> counts.put(e.getKey(), e.getValue()));
        return counts;
    }

    /**
     * The subscription counters of one database or one resource (or both): {@code dbIds}, when not null, limits them
     * to those databases.
     */
    static List<SubscriptionCount> subscriptions(Handle h, Long dbId, Long resourceId, Collection<Long> dbIds) {
        String where = " where 1 = 1" + (dbId == null ? "" : " and db_id = :db")
                + (resourceId == null ? "" : " and resource_id = :resource")
                + (dbIds == null ? "" : " and db_id in (<dbs>)");
        if (dbIds != null && dbIds.isEmpty()) {
            return List.of();
        }
        var query = h.createQuery("select db_id, resource_id, channel, status, is_delete, sum(subscriptions) "
                        + "from subscription_counters" + where
                        + " group by db_id, resource_id, channel, status, is_delete having sum(subscriptions) <> 0")
                .bind("db", dbId).bind("resource", resourceId);
        if (dbIds != null) {
            query.bindList("dbs", List.copyOf(dbIds));
        }
        return query.map((rs, ctx) -> new SubscriptionCount(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4),
                rs.getBoolean(5), rs.getLong(6))).list();
    }
}
