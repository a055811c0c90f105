package dev.roster.event;

import dev.roster.access.Caller;
import dev.roster.access.Permission;
import dev.roster.catalog.DatabaseService;
import dev.roster.error.RosterException;
import dev.roster.history.Outbox;
import dev.roster.store.Store;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** {@code webhooks/*} (docs/API.md, "Webhooks"): managing an account's webhooks and reading their deliveries. */
public final class WebhookService {
    private static final SecureRandom RANDOM = new SecureRandom();
    static final int DELIVERIES_PAGE = 100;

    private final Store store;
    private final DatabaseService databases;
    private final AddressGuard guard;
    private final Runnable wake;

    public WebhookService(Store store, DatabaseService databases, EventSettings settings, Runnable wake) {
        this.store = store;
        this.databases = databases;
        this.guard = new AddressGuard(settings.allowPrivate());
        this.wake = wake;
    }

    public record NewWebhook(String url, List<String> events, List<Long> dbIds) {
    }

    public record Changes(long id, String url, List<String> events, boolean eventsSent, List<Long> dbIds,
                          boolean dbIdsSent, Boolean enabled) {
    }

    public record Created(long id, String secret) {
    }

    /** A webhook as the API shows it (never its secret). */
    public record View(long id, String url, List<String> events, List<Long> dbIds, boolean enabled, String status,
                       String cursor, int attempts, String nextAttemptAt, String failingSince, String createdAt,
                       String updatedAt) {
    }

    public record DeliveryView(long id, String deliveryId, String time, String node, int events, long firstEvent,
                               long lastEvent, Integer httpStatus, String error, long millis) {
    }

    public record DeliveryPage(List<DeliveryView> rows, Long nextFromId) {
    }

    /** Master users or tokens with catalog.write. */
    private static void requireManager(Caller caller) {
        if (!caller.master() && !caller.can(Permission.CATALOG_WRITE)) {
            throw RosterException.forbidden("managing webhooks needs a master user's token or the permission "
                    + "'catalog.write'");
        }
    }

    public Created create(Caller caller, NewWebhook command) {
        requireManager(caller);
        String url = guard.check(command.url()).toString();
        List<String> events = types(command.events());
        String secret = HexFormat.of().formatHex(randomBytes(32));
        long id = store.write(h -> {
            List<Long> dbIds = reachable(h, caller, command.dbIds());
            long now = System.currentTimeMillis();
            // a new webhook gets the events committed from now on
            long[] end = Outbox.end(h, Long.MAX_VALUE);
            return WebhookSql.insert(h, caller.accountId(), url, secret, events, dbIds, end, now);
        });
        return new Created(id, secret);
    }

    public List<View> list(Caller caller) {
        requireManager(caller);
        return store.read(h -> WebhookSql.list(h, caller.accountId()).stream().map(WebhookService::view).toList());
    }

    public View get(Caller caller, long id) {
        requireManager(caller);
        return store.read(h -> view(require(h, caller, id)));
    }

    public View update(Caller caller, Changes changes) {
        requireManager(caller);
        String url = changes.url() == null ? null : guard.check(changes.url()).toString();
        List<String> events = changes.eventsSent() ? types(changes.events()) : null;
        View out = store.write(h -> {
            WebhookSql.Webhook w = require(h, caller, changes.id());
            List<Long> dbIds = changes.dbIdsSent() ? reachable(h, caller, changes.dbIds()) : w.dbIds();
            boolean enabled = changes.enabled() == null ? w.enabled() : changes.enabled();
            boolean reenabled = Boolean.TRUE.equals(changes.enabled());
            WebhookSql.Webhook next = new WebhookSql.Webhook(w.id(), w.accountId(), url == null ? w.url() : url,
                    w.secret(), changes.eventsSent() ? events : w.events(), dbIds, enabled,
                    !reenabled && w.failing(), w.cursorTx(), w.cursorId(), reenabled ? 0 : w.attempts(),
                    reenabled ? null : w.firstFailureAt(), reenabled ? 0 : w.nextAttemptAt(), w.leaseOwner(),
                    w.leaseUntil(), w.createdAt(), w.updatedAt());
            long now = System.currentTimeMillis();
            WebhookSql.update(h, next, now);
            return view(WebhookSql.get(h, w.id()).orElseThrow());
        });
        wake.run();
        return out;
    }

    public void delete(Caller caller, long id) {
        requireManager(caller);
        store.write(h -> {
            require(h, caller, id);
            WebhookSql.delete(h, caller.accountId(), id);
            return null;
        });
    }

    public DeliveryPage deliveries(Caller caller, long id, Long fromId) {
        requireManager(caller);
        return store.read(h -> {
            require(h, caller, id);
            List<WebhookSql.Delivery> rows = WebhookSql.deliveries(h, id, fromId == null ? Long.MAX_VALUE : fromId,
                    DELIVERIES_PAGE);
            List<DeliveryView> out = rows.stream().map(d -> new DeliveryView(d.id(), d.deliveryId(), time(d.at()),
                    d.node(), d.events(), d.firstEvent(), d.lastEvent(), d.status(), d.error(), d.millis())).toList();
            Long next = rows.size() < DELIVERIES_PAGE ? null : rows.get(rows.size() - 1).id();
            return new DeliveryPage(out, next);
        });
    }

    private static WebhookSql.Webhook require(Handle h, Caller caller, long id) {
        return WebhookSql.get(h, caller.accountId(), id)
                .orElseThrow(() -> RosterException.notFound("webhook " + id + " not found"));
    }

    /** The event types, checked against the history actions; null (every type) when not sent. */
    private static List<String> types(List<String> sent) {
        if (sent == null) {
            return null;
        }
        if (sent.isEmpty()) {
            throw RosterException.invalid("events", "a non-empty array of event types (omit it for every type)", "[]");
        }
        List<String> known = Outbox.types();
        for (String t : sent) {
            if (!known.contains(t)) {
                throw RosterException.invalid("events", "event types among " + String.join(", ", known),
                        "\"" + t + "\"");
            }
        }
        return List.copyOf(new LinkedHashSet<>(sent));
    }

    /**
     * The databases, each of the account (404) and reached by the token (403). A token limited to some databases gets
     * those when it sends none: it never subscribes to events it could not read.
     */
    private List<Long> reachable(Handle h, Caller caller, List<Long> dbIds) {
        if (dbIds == null) {
            return caller.dbIds() == null ? null : new ArrayList<>(caller.dbIds());
        }
        if (dbIds.isEmpty()) {
            throw RosterException.invalid("db_ids", "a non-empty array of database ids (omit it for every database)",
                    "[]");
        }
        for (long db : dbIds) {
            databases.schema(h, caller, db);
        }
        return List.copyOf(new LinkedHashSet<>(dbIds));
    }

    private static View view(WebhookSql.Webhook w) {
        String status = w.failing() ? "failing" : w.enabled() ? "active" : "disabled";
        return new View(w.id(), w.url(), w.events(), w.dbIds(), w.enabled(), status, w.cursorTx() + ":" + w.cursorId(),
                w.attempts(), w.nextAttemptAt() > 0 ? time(w.nextAttemptAt()) : null,
                w.firstFailureAt() == null ? null : time(w.firstFailureAt()), time(w.createdAt()), time(w.updatedAt()));
    }

    private static String time(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
