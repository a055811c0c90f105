package dev.roster.event;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.roster.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The SQL of webhooks, their deliveries and the other outbox readers' cursors (event_consumers). */
final class WebhookSql {
    private static final String COLUMNS = "id, account_id, url, secret, events, db_ids, enabled, failing, cursor_tx, "
            + "cursor_id, attempts, first_failure_at, next_attempt_at, lease_owner, lease_until, created_at, updated_at";

    private WebhookSql() {
    }

    /** A webhook as stored. {@code events} and {@code dbIds} are null for "all". */
    record Webhook(long id, long accountId, String url, String secret, List<String> events, List<Long> dbIds,
                   boolean enabled, boolean failing, long cursorTx, long cursorId, int attempts, Long firstFailureAt,
                   long nextAttemptAt, String leaseOwner, long leaseUntil, long createdAt, long updatedAt) {
        /** As {@link #acknowledged} leaves it: the cursor past the batch, no failures. */
        Webhook acknowledgedTo(long tx, long eventId) {
            return new Webhook(id, accountId, url, secret, events, dbIds, enabled, failing, tx, eventId, 0, null, 0,
                    leaseOwner, leaseUntil, createdAt, updatedAt);
        }
    }

    /** One attempt to deliver a batch. */
    record Delivery(long id, long webhookId, String deliveryId, long at, String node, int events, long firstEvent,
                    long lastEvent, Integer status, String error, long millis) {
    }

    static long insert(Handle h, long accountId, String url, String secret, List<String> events, List<Long> dbIds,
                       long[] cursor, long now) {
        return h.createQuery("insert into webhooks (account_id, url, secret, events, db_ids, enabled, failing, cursor_tx, "
                        + "cursor_id, created_at, updated_at) values (:a, :url, :secret, :events, :dbs, true, false, "
                        + ":tx, :id, :now, :now) returning id")
                .bind("a", accountId).bind("url", url).bind("secret", secret)
                .bind("events", events == null ? null : Json.write(events))
                .bind("dbs", dbIds == null ? null : Json.write(dbIds))
                .bind("tx", cursor[0]).bind("id", cursor[1]).bind("now", now)
                .mapTo(Long.class).one();
    }

    static Optional<Webhook> get(Handle h, long accountId, long id) {
        return h.createQuery("select " + COLUMNS + " from webhooks where account_id = :a and id = :id")
                .bind("a", accountId).bind("id", id).map((rs, ctx) -> row(rs)).findOne();
    }

    static Optional<Webhook> get(Handle h, long id) {
        return h.createQuery("select " + COLUMNS + " from webhooks where id = :id")
                .bind("id", id).map((rs, ctx) -> row(rs)).findOne();
    }

    static List<Webhook> list(Handle h, long accountId) {
        return h.createQuery("select " + COLUMNS + " from webhooks where account_id = :a order by id")
                .bind("a", accountId).map((rs, ctx) -> row(rs)).list();
    }

    static void update(Handle h, Webhook w, long now) {
        h.createUpdate("update webhooks set url = :url, events = :events, db_ids = :dbs, enabled = :enabled, "
                        + "failing = :failing, attempts = :attempts, first_failure_at = :ff, next_attempt_at = :next, "
                        + "updated_at = :now where id = :id")
                .bind("url", w.url()).bind("events", w.events() == null ? null : Json.write(w.events()))
                .bind("dbs", w.dbIds() == null ? null : Json.write(w.dbIds())).bind("enabled", w.enabled())
                .bind("failing", w.failing()).bind("attempts", w.attempts()).bind("ff", w.firstFailureAt())
                .bind("next", w.nextAttemptAt()).bind("now", now).bind("id", w.id()).execute();
    }

    static boolean delete(Handle h, long accountId, long id) {
        h.createUpdate("delete from webhook_deliveries where webhook_id = :id").bind("id", id).execute();
        return h.createUpdate("delete from webhooks where account_id = :a and id = :id")
                .bind("a", accountId).bind("id", id).execute() > 0;
    }

    static List<Long> allIds(Handle h) {
        return h.createQuery("select id from webhooks order by id").mapTo(Long.class).list();
    }

    /** Enabled webhooks whose next attempt is due and that no other node holds. */
    static List<Long> due(Handle h, String node, long now) {
        return h.createQuery("select id from webhooks where enabled = true and next_attempt_at <= :now and "
                        + "(lease_until < :now or lease_owner = :node) order by id")
                .bind("now", now).bind("node", node).mapTo(Long.class).list();
    }

    /** Takes (or renews) the webhook's lease for this node; false when another node holds it or it is not due. */
    static boolean lease(Handle h, long id, String node, long now, long until) {
        return h.createUpdate("update webhooks set lease_owner = :node, lease_until = :until where id = :id and "
                        + "enabled = true and next_attempt_at <= :now and (lease_until < :now or lease_owner = :node)")
                .bind("node", node).bind("until", until).bind("id", id).bind("now", now).execute() == 1;
    }

    static void release(Handle h, long id, String node) {
        h.createUpdate("update webhooks set lease_until = 0 where id = :id and lease_owner = :node")
                .bind("id", id).bind("node", node).execute();
    }

    /** Gives back every webhook lease the node holds (it stops). */
    static void releaseAll(Handle h, String node) {
        h.createUpdate("update webhooks set lease_until = 0 where lease_owner = :node and lease_until > 0")
                .bind("node", node).execute();
    }

    /** Moves the cursor past an acknowledged batch and clears the failures, if this node still holds the lease. */
    static boolean acknowledged(Handle h, long id, String node, long tx, long eventId, long now, long leaseUntil) {
        return h.createUpdate("update webhooks set cursor_tx = :tx, cursor_id = :eid, attempts = 0, "
                        + "first_failure_at = null, next_attempt_at = 0, lease_until = :until where id = :id and "
                        + "lease_owner = :node and lease_until >= :now")
                .bind("tx", tx).bind("eid", eventId).bind("id", id).bind("node", node).bind("now", now)
                .bind("until", leaseUntil).execute() == 1;
    }

    /** Records a failed attempt: the next one's time, or the webhook marked failing (and disabled). */
    static void failed(Handle h, long id, String node, int attempts, long firstFailureAt, long nextAttemptAt,
                       boolean failing) {
        h.createUpdate("update webhooks set attempts = :attempts, first_failure_at = :ff, next_attempt_at = :next, "
                        + "failing = :failing, enabled = :enabled, lease_until = 0 where id = :id and lease_owner = :node")
                .bind("attempts", attempts).bind("ff", firstFailureAt).bind("next", nextAttemptAt)
                .bind("failing", failing).bind("enabled", !failing).bind("id", id).bind("node", node).execute();
    }

    static void insertDelivery(Handle h, Delivery d) {
        h.createUpdate("insert into webhook_deliveries (webhook_id, delivery_id, at, node, events, first_event, "
                        + "last_event, status, error, millis) values (:w, :d, :at, :node, :n, :first, :last, :status, "
                        + ":error, :millis)")
                .bind("w", d.webhookId()).bind("d", d.deliveryId()).bind("at", d.at()).bind("node", d.node())
                .bind("n", d.events()).bind("first", d.firstEvent()).bind("last", d.lastEvent())
                .bind("status", d.status()).bind("error", d.error()).bind("millis", d.millis()).execute();
    }

    /** The newest attempts first, those with an id below {@code beforeId}. */
    static List<Delivery> deliveries(Handle h, long webhookId, long beforeId, int limit) {
        return h.createQuery("select id, webhook_id, delivery_id, at, node, events, first_event, last_event, status, "
                        + "error, millis from webhook_deliveries where webhook_id = :w and id < :before "
                        + "order by id desc limit :limit")
                .bind("w", webhookId).bind("before", beforeId).bind("limit", limit)
                .map((rs, ctx) -> new Delivery(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4),
                        rs.getString(5), rs.getInt(6), rs.getLong(7), rs.getLong(8),
                        rs.getObject(9) == null ? null : rs.getInt(9), rs.getString(10), rs.getLong(11)))
                .list();
    }

    /** Keeps the newest {@code keep} delivery records of the webhook. */
    static void trimDeliveries(Handle h, long webhookId, int keep) {
        h.createUpdate("delete from webhook_deliveries where webhook_id = :w and id <= (select id from "
                        + "webhook_deliveries where webhook_id = :w order by id desc limit 1 offset :keep)")
                .bind("w", webhookId).bind("keep", keep).execute();
    }

    // event_consumers: the events exchange's cursor and lease

    static void ensureConsumer(Handle h, String name, long[] end, long now) {
        h.createUpdate("insert into event_consumers (name, cursor_tx, cursor_id, lease_until, updated_at) values "
                        + "(:name, :tx, :id, 0, :now) on conflict (name) do nothing")
                .bind("name", name).bind("tx", end[0]).bind("id", end[1]).bind("now", now).execute();
    }

    static boolean leaseConsumer(Handle h, String name, String node, long now, long until) {
        return h.createUpdate("update event_consumers set lease_owner = :node, lease_until = :until where name = :name "
                        + "and (lease_until < :now or lease_owner = :node)")
                .bind("node", node).bind("until", until).bind("name", name).bind("now", now).execute() == 1;
    }

    static java.util.Optional<long[]> consumerCursor(Handle h, String name) {
        return h.createQuery("select cursor_tx, cursor_id from event_consumers where name = :name")
                .bind("name", name).map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).findOne();
    }

    /** Marks the reader as in use (see {@link #forgetIdleConsumers}). */
    static void touchConsumer(Handle h, String name, long now) {
        h.createUpdate("update event_consumers set updated_at = :now where name = :name")
                .bind("now", now).bind("name", name).execute();
    }

    static boolean advanceConsumer(Handle h, String name, String node, long tx, long id, long now, long until) {
        return h.createUpdate("update event_consumers set cursor_tx = :tx, cursor_id = :id, lease_until = :until, "
                        + "updated_at = :now where name = :name and lease_owner = :node and lease_until >= :now")
                .bind("tx", tx).bind("id", id).bind("name", name).bind("node", node).bind("now", now)
                .bind("until", until).execute() == 1;
    }

    /**
     * Forgets readers other than webhooks that have not moved for {@code before} (an events exchange no server
     * publishes to any more), so that the events they would be owed are not retained for ever.
     */
    static int forgetIdleConsumers(Handle h, long before) {
        return h.createUpdate("delete from event_consumers where updated_at < :before and lease_until < :before")
                .bind("before", before).execute();
    }

    static void releaseConsumer(Handle h, String name, String node) {
        h.createUpdate("update event_consumers set lease_until = 0 where name = :name and lease_owner = :node")
                .bind("name", name).bind("node", node).execute();
    }

    private static Webhook row(ResultSet rs) throws SQLException {
        String events = rs.getString(5);
        String dbs = rs.getString(6);
        return new Webhook(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                events == null ? null : Json.MAPPER.convertValue(Json.readStored(events), new TypeReference<List<String>>() { }),
                dbs == null ? null : Json.MAPPER.convertValue(Json.readStored(dbs), new TypeReference<List<Long>>() { }),
                rs.getBoolean(7), rs.getBoolean(8), rs.getLong(9), rs.getLong(10), rs.getInt(11),
                rs.getObject(12) == null ? null : rs.getLong(12), rs.getLong(13), rs.getString(14), rs.getLong(15),
                rs.getLong(16), rs.getLong(17));
    }
}
