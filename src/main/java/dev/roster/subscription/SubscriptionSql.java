package dev.roster.subscription;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.catalog.Channel;
import dev.roster.json.Json;
import dev.roster.profile.ProfileSubscriptions;
import dev.roster.profile.Subscription;
import dev.roster.profile.SubscriptionStatus;
import java.util.Collection;
import java.util.List;
import dev.roster.store.SqlDialect;
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

    /** A subscription a status move changed: what its history event needs. */
    record Moved(long id, String profileId, long resourceId, String channel, String address, String hashId, ObjectNode contact) {
    }

    /**
     * Locks the profiles that have a live subscription of the database in status {@code from} (of the channel and
     * resource when given), in id order as the profile writers lock them, so that no concurrent write of a profile
     * puts back a status it read before the move. A no-op where writers are serial already (SQLite).
     */
    static void lockProfiles(Handle h, Scope scope, SubscriptionStatus from) {
        String forUpdate = SqlDialect.of(h).forUpdate();
        if (forUpdate.isEmpty()) {
            return;
        }
        scope.bind(h.createQuery("select count(*) from (select id from profiles where db_id = :db and id in (select "
                        + "profile_id from subscriptions where " + scope.where() + ") order by id" + forUpdate + ") locked"))
                .bind("from", from.number()).mapTo(Long.class).one();
    }

    /**
     * One UPDATE of at most {@code limit} subscriptions in the scope with ids above {@code afterId}, in id order, from
     * {@code from} to {@code to}; returns those it moved. Called until it moves none, after {@link #lockProfiles}.
     */
    static List<Moved> moveStatus(Handle h, Scope scope, SubscriptionStatus from, SubscriptionStatus to, long now,
                                  long afterId, int limit) {
        return scope.bind(h.createQuery("update subscriptions set status = :to, updated_at = :now where id in (select id from "
                        + "subscriptions where " + scope.where() + " and id > :after order by id limit :limit) "
                        + "returning id, profile_id, resource_id, channel, address, hash_id, contact"))
                .bind("from", from.number()).bind("to", to.number()).bind("now", now).bind("after", afterId)
                .bind("limit", limit)
                .map((rs, ctx) -> new Moved(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), (ObjectNode) Json.readStored(rs.getString(7))))
                .list();
    }

    /** The subscriptions suspend_all and unsuspend_all move: live ones of a database, of a channel and resource. */
    record Scope(long dbId, Channel channel, Long resourceId) {
        String where() {
            return "db_id = :db and status = :from and is_delete = :deleted"
                    + (channel == null ? "" : " and channel = :channel")
                    + (resourceId == null ? "" : " and resource_id = :resource");
        }

        <S extends SqlStatement<S>> S bind(S statement) {
            return statement.bind("db", dbId).bind("deleted", false)
                    .bind("channel", channel == null ? null : channel.wireName()).bind("resource", resourceId);
        }
    }
}
