package dev.roster.event;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.roster.history.Outbox;
import dev.roster.json.Json;
import dev.roster.store.Store;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox to the webhooks (docs/API.md, "Webhooks"): per webhook, batches of up to 100 events in commit
 * order, one batch at a time, each signed; the cursor in the store moves only after a 2xx, so a crash resends the
 * batch (at least once). A lease in the store makes one node at a time send a webhook's batches. Woken at commit on
 * this node; other nodes' writes are found by polling every {@link EventSettings#poll}.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    static final int BATCH = 100;
    private static final int KEPT_DELIVERIES = 1000;
    private static final long MAINTENANCE_MILLIS = 60_000;
    /** An events exchange that no server published to for a week is forgotten (see docs/API.md). */
    private static final long CONSUMER_IDLE_MILLIS = 7L * 24 * 3600 * 1000;

    private final Store store;
    private final EventSettings settings;
    private final Semaphore wakeups = new Semaphore(0);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "roster-webhook-timer");
        t.setDaemon(true);
        return t;
    });
    private final Map<Long, Work> work = new ConcurrentHashMap<>();
    /** Per webhook, the time of the oldest event not yet acknowledged that this node saw (for the lag gauge). */
    private final Map<Long, Long> oldestPending = new ConcurrentHashMap<>();
    private final HttpClient http;
    private final Counter sent;
    private final Counter failed;
    private final ExchangeRelay exchange;
    private Thread loop;
    private long lastMaintenance;
    private long lastCycle;
    /**
     * The commit horizon shared by the round's webhooks: read by the first that needs it after the round began (it
     * reads pg_locks, about 1 ms), then reused. An older horizon is safe, it only moves forward and leaves the newest
     * events to the next round; one read after the round began sees every commit that woke the round.
     */
    private final Object horizonLock = new Object();
    private long horizon = -1;
    private static final long CYCLE_MILLIS = 50;

    public Dispatcher(Store store, EventSettings settings, MeterRegistry metrics) {
        this.store = store;
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.sent = Counter.builder("roster.webhook.events.sent")
                .description("events acknowledged by webhook receivers").register(metrics);
        this.failed = Counter.builder("roster.webhook.deliveries.failed")
                .description("webhook deliveries not acknowledged (each is retried)").register(metrics);
        Gauge.builder("roster.webhook.lag.seconds", this, Dispatcher::lagSeconds)
                .description("age of the oldest event a webhook has not acknowledged yet").register(metrics);
        this.exchange = settings.exchange() == null || settings.exchange().isBlank() ? null
                : new ExchangeRelay(store, settings, metrics);
    }

    public Dispatcher start() {
        store.onCommit(this::wake);
        loop = Thread.ofPlatform().daemon().name("roster-events").start(this::run);
        return this;
    }

    /** Something may have been committed: look for work now. Cheap; called after every write. */
    public void wake() {
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    private void run() {
        while (running.get()) {
            try {
                wakeups.tryAcquire(settings.poll().toMillis(), TimeUnit.MILLISECONDS);
                // under a stream of commits, one round every CYCLE_MILLIS: fuller batches, fewer queries
                long since = System.currentTimeMillis() - lastCycle;
                if (since < CYCLE_MILLIS) {
                    Thread.sleep(CYCLE_MILLIS - since);
                }
                lastCycle = System.currentTimeMillis();
                synchronized (horizonLock) {
                    horizon = -1;
                }
                wakeups.drainPermits();
                if (!running.get()) {
                    return;
                }
                for (long id : store.read(h -> WebhookSql.due(h, settings.node(), System.currentTimeMillis()))) {
                    schedule(id);
                }
                if (exchange != null) {
                    schedule(-1L);
                }
                maintain();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("events: {}", e.toString());
                sleepQuietly(settings.poll().toMillis());
            }
        }
    }

    private static final class Work {
        final AtomicBoolean active = new AtomicBoolean();
        final AtomicBoolean again = new AtomicBoolean();
    }

    /** Runs the webhook's sending on a worker unless one runs already; then that one goes round again. */
    private void schedule(long id) {
        Work w = work.computeIfAbsent(id, k -> new Work());
        w.again.set(true);
        if (w.active.compareAndSet(false, true)) {
            workers.submit(() -> drive(id, w));
        }
    }

    private void drive(long id, Work w) {
        try {
            while (running.get() && w.again.getAndSet(false)) {
                if (id < 0) {
                    exchange.relay();
                } else {
                    sendAll(id);
                }
            }
        } catch (RuntimeException e) {
            log.warn("events: webhook {}: {}", id, e.toString());
        } finally {
            w.active.set(false);
            if (w.again.get() && running.get() && w.active.compareAndSet(false, true)) {
                workers.submit(() -> drive(id, w));
            }
        }
    }

    /**
     * Sends the webhook's batches while it has events, holds the lease and receivers acknowledge, below the round's
     * horizon (see {@link #horizon}). A batch shorter
     * than {@link #BATCH} ends the round and the lease is kept (each acknowledgement extends it), so that under a
     * stream of commits a round costs one read of the webhook, one of the events and one acknowledgement; the lease is
     * given back when a round finds nothing to send.
     */
    private void sendAll(long id) {
        WebhookSql.Webhook hook = null; // as this node left it, while it holds the lease
        while (running.get()) {
            List<Outbox.Event> batch;
            if (hook != null) {
                batch = pending(hook);
            } else {
                WebhookSql.Webhook seen = store.read(h -> WebhookSql.get(h, id)).orElse(null);
                if (seen == null || !seen.enabled()) {
                    oldestPending.remove(id);
                    return;
                }
                long now = System.currentTimeMillis();
                // held with time to spare: no other node can have moved the cursor since (see WebhookSql.lease)
                boolean held = settings.node().equals(seen.leaseOwner()) && seen.nextAttemptAt() <= now
                        && seen.leaseUntil() > now + settings.lease().toMillis() / 2;
                List<Outbox.Event> peek = pending(seen);
                if (peek.isEmpty()) {
                    oldestPending.remove(id);
                    if (held) {
                        release(id);
                    }
                    return;
                }
                if (held) {
                    hook = seen;
                    batch = peek;
                } else {
                    long leaseUntil = now + settings.lease().toMillis();
                    if (!store.write(h -> WebhookSql.lease(h, id, settings.node(), now, leaseUntil))) {
                        return;
                    }
                    // under the lease, the cursor again: another node may have moved it before this node took the lease
                    hook = store.read(h -> WebhookSql.get(h, id)).orElse(null);
                    batch = hook == null ? List.of()
                            : hook.cursorTx() == seen.cursorTx() && hook.cursorId() == seen.cursorId()
                            && java.util.Objects.equals(hook.events(), seen.events())
                            && java.util.Objects.equals(hook.dbIds(), seen.dbIds()) ? peek : pending(hook);
                }
            }
            if (batch.isEmpty()) {
                oldestPending.remove(id);
                release(id);
                return;
            }
            oldestPending.putIfAbsent(id, batch.get(0).at());
            if (!deliver(hook, batch)) {
                return;
            }
            oldestPending.remove(id);
            if (batch.size() < BATCH) {
                return;
            }
            Outbox.Event last = batch.get(batch.size() - 1);
            hook = hook.acknowledgedTo(last.tx(), last.id());
        }
    }

    private long horizon() {
        synchronized (horizonLock) {
            if (horizon < 0) {
                horizon = store.read(store::commitHorizon);
            }
            return horizon;
        }
    }

    private void release(long id) {
        store.write(h -> {
            WebhookSql.release(h, id, settings.node());
            return null;
        });
    }

    /** The next batch after the webhook's cursor, of events committed below the horizon. */
    private List<Outbox.Event> pending(WebhookSql.Webhook hook) {
        long below = horizon();
        return store.read(h -> Outbox.after(h, below, hook.accountId(), hook.dbIds(), hook.events(),
                hook.cursorTx(), hook.cursorId(), BATCH));
    }

    /** One POST of the batch; true when acknowledged and the cursor moved. */
    private boolean deliver(WebhookSql.Webhook hook, List<Outbox.Event> batch) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        batch.forEach(e -> array.add(e.json()));
        byte[] body = Json.write(array).getBytes(StandardCharsets.UTF_8);
        String deliveryId = UUID.randomUUID().toString();
        long start = System.currentTimeMillis();
        Integer status = null;
        String error = null;
        try {
            URI uri = URI.create(hook.url());
            if (!settings.allowPrivate()) {
                String refused = AddressGuard.refusedAddress(uri.getHost());
                if (refused != null) {
                    throw new IllegalStateException("the URL resolves to " + refused + ", a private address");
                }
            }
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(settings.timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Roster-Webhook")
                    .header("X-Roster-Delivery", deliveryId)
                    .header("X-Roster-Signature", "sha256=" + sign(hook.secret(), body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            status = response.statusCode();
            if (status < 200 || status > 299) {
                error = "HTTP " + status;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        long end = System.currentTimeMillis();
        Outbox.Event last = batch.get(batch.size() - 1);
        WebhookSql.Delivery record = new WebhookSql.Delivery(0, hook.id(), deliveryId, start, settings.node(),
                batch.size(), batch.get(0).id(), last.id(), status, error, end - start);
        if (error == null) {
            boolean moved = store.write(h -> {
                boolean ok = WebhookSql.acknowledged(h, hook.id(), settings.node(), last.tx(), last.id(), end,
                        end + settings.lease().toMillis());
                WebhookSql.insertDelivery(h, record);
                return ok;
            });
            sent.increment(batch.size());
            return moved;
        }
        failed.increment();
        int attempts = hook.attempts() + 1;
        long firstFailure = hook.firstFailureAt() == null ? start : hook.firstFailureAt();
        boolean failing = end - firstFailure >= settings.retryWindow().toMillis();
        long delay = settings.backoff(attempts).toMillis();
        store.write(h -> {
            WebhookSql.failed(h, hook.id(), settings.node(), attempts, firstFailure, end + delay, failing);
            WebhookSql.insertDelivery(h, record);
            return null;
        });
        if (failing) {
            log.warn("webhook {} marked failing: no delivery acknowledged for {} s; events wait until it is enabled "
                    + "again", hook.id(), settings.retryWindow().toSeconds());
        } else {
            timers.schedule(this::wake, delay, TimeUnit.MILLISECONDS);
        }
        return false;
    }

    static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Drops retained events every reader has passed and old delivery records, once a minute. */
    private void maintain() {
        long now = System.currentTimeMillis();
        if (now - lastMaintenance < MAINTENANCE_MILLIS) {
            return;
        }
        lastMaintenance = now;
        store.write(h -> {
            WebhookSql.forgetIdleConsumers(h, now - CONSUMER_IDLE_MILLIS);
            Outbox.dropDelivered(h);
            return null;
        });
        for (long id : store.read(WebhookSql::allIds)) {
            store.write(h -> {
                WebhookSql.trimDeliveries(h, id, KEPT_DELIVERIES);
                return null;
            });
        }
    }

    private double lagSeconds() {
        long now = System.currentTimeMillis();
        return oldestPending.values().stream().mapToLong(at -> now - at).max().orElse(0) / 1000.0;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running.set(false);
        wake();
        if (loop != null) {
            try {
                loop.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.shutdown();
        try {
            workers.awaitTermination(settings.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        try { // a node that stops hands its webhooks over now rather than when their leases run out
            store.write(h -> {
                WebhookSql.releaseAll(h, settings.node());
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("events: the webhook leases of this node were not given back ({}); they run out", e.toString());
        }
        if (exchange != null) {
            exchange.close();
        }
    }
}
