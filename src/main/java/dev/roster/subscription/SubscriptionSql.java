package dev.roster.subscription;

import dev.roster.catalog.Channel;
import dev.roster.profile.ProfileSubscriptions;
import dev.roster.profile.Subscription;
import dev.roster.profile.SubscriptionStatus;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

/** The SQL over many profiles' subscriptions: the list_all cursor and the set-based suspend/unsuspend. */
final class SubscriptionSql {
    private SubscriptionSql() {
    }

    record Row(long dbId, String profileId, Subscription subscription) {
    }

    /** Filters of list_all; {@code dbIds} null means every database (the resource is the account's). */
    record Filter(long resourceId, Long dbId, Collection<Long> dbIds, Channel channel, SubscriptionStatus status) {
        String where() {
            return " where resource_id = :resource and is_delete = :deleted"
                    + (dbId == null ? "" : " and db_id = :db")
                    + (dbIds == null ? "" : " and db_id in (<dbs>)")
                    + (channel == null ? "" : " and channel = :channel")
                    + (status == null ? "" : " and status = :status");
        }

        <S extends SqlStatement<S>> S bind(S statement) {
            statement.bind("resource", resourceId).bind("deleted", false).bind("db", dbId)
                    .bind("channel", channel == null ? null : channel.wireName())
                    .bind("status", status == null ? null : status.number());
            return dbIds == null ? statement : statement.bindList("dbs", List.copyOf(dbIds));
        }
    }

    /** Up to {@code limit} subscriptions with id >= {@code fromId}, in id order: a keyset cursor. */
    static List<Row> page(Handle h, Filter filter, long fromId, int limit) {
        return filter.bind(h.createQuery("select db_id, profile_id, " + ProfileSubscriptions.COLUMNS
                        + " from subscriptions" + filter.where() + " and id >= :from order by id limit :limit"))
                .bind("from", fromId).bind("limit", limit)
                .map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2), ProfileSubscriptions.read(rs, 2))).list();
    }

    static long count(Handle h, Filter filter) {
        return filter.bind(h.createQuery("select count(*) from subscriptions" + filter.where()))
                .mapTo(Long.class).one();
    }

    /**
     * One UPDATE: every live subscription of the database in status {@code from} (of the channel and resource when
     * given) moves to {@code to}. Where rows are locked (PostgreSQL) the profiles concerned are locked first, in id
     * order as the profile writers lock them, so that no concurrent write of a profile puts back a status it read
     * before this statement.
     */
    static int moveStatus(Handle h, String forUpdate, long dbId, Channel channel, Long resourceId,
                          SubscriptionStatus from, SubscriptionStatus to, long now) {
        String scope = "db_id = :db and status = :from and is_delete = :deleted"
                + (channel == null ? "" : " and channel = :channel")
                + (resourceId == null ? "" : " and resource_id = :resource");
        String lockProfiles = forUpdate.isEmpty() ? ""
                : " and profile_id in (select id from profiles where db_id = :db and id in (select profile_id from "
                        + "subscriptions where " + scope + ") order by id" + forUpdate + ")";
        return h.createUpdate("update subscriptions set status = :to, updated_at = :now where " + scope + lockProfiles)
                .bind("db", dbId).bind("from", from.number()).bind("to", to.number()).bind("deleted", false)
                .bind("channel", channel == null ? null : channel.wireName()).bind("resource", resourceId)
                .bind("now", now)
                .execute();
    }
}
