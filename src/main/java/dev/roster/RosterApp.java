package dev.roster;

import dev.roster.account.AccountApi;
import dev.roster.account.AccountModel.Bootstrap;
import dev.roster.account.AccountService;
import dev.roster.account.Authentication;
import dev.roster.bulk.BulkApi;
import dev.roster.bulk.Exports;
import dev.roster.catalog.CatalogApi;
import dev.roster.catalog.CounterService;
import dev.roster.catalog.SubscriptionFieldService;
import dev.roster.catalog.DatabaseService;
import dev.roster.catalog.ResourceService;
import dev.roster.event.Dispatcher;
import dev.roster.event.EventSettings;
import dev.roster.event.WebhookApi;
import dev.roster.event.WebhookService;
import dev.roster.history.HistoryApi;
import dev.roster.idempotency.IdempotencyService;
import dev.roster.history.HistoryService;
import dev.roster.http.ApiRegistry;
import dev.roster.request.BodyLimits;
import dev.roster.queue.QueueConsumer;
import dev.roster.queue.QueueSettings;
import dev.roster.profile.HistoryProfiles;
import dev.roster.profile.ProfileApi;
import dev.roster.profile.ProfileCatalogListener;
import dev.roster.profile.ProfileService;
import dev.roster.profile.MergeService;
import dev.roster.profile.ProfileToolsApi;
import dev.roster.profile.WipeService;
import dev.roster.http.HttpServer;
import dev.roster.http.HttpSettings;
import dev.roster.store.Store;
import dev.roster.subscription.SubscriptionApi;
import dev.roster.subscription.SubscriptionService;
import dev.roster.store.StoreSettings;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.roster.access.Permission;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** One running Roster: the store, the services wired by hand, and the HTTP server. */
public final class RosterApp implements AutoCloseable {
    private final Store store;
    private final HttpServer server;
    private final Optional<Bootstrap> bootstrap;
    private final ProfileService profiles;
    private final Map<String, Permission> methods;
    private final Duration drain;
    private final QueueConsumer queue;
    private final Dispatcher events;
    private final IdempotencyService idempotency;

    private RosterApp(StoreSettings storeSettings, HttpSettings httpSettings, QueueSettings queueSettings,
                      boolean allowDataWipe, EventSettings eventSettings) {
        this.drain = Duration.ofSeconds(httpSettings.drainSeconds());
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        this.store = Store.open(storeSettings, metrics);
        try {
            DatabaseService databases = new DatabaseService(store);
            ResourceService resources = new ResourceService(store);
            Authentication authentication = new Authentication(store, metrics);
            AccountService accounts = new AccountService(store, databases::exists, authentication);
            this.bootstrap = accounts.bootstrapIfEmpty();

            ApiRegistry api = new ApiRegistry();
            AccountApi.register(api, accounts);
            CounterService counters = new CounterService(store);
            CatalogApi.register(api, databases, resources, counters, new SubscriptionFieldService(store));
            this.profiles = new ProfileService(store, databases);
            ProfileApi.register(api, profiles);
            ProfileToolsApi.register(api, new MergeService(store, databases),
                    new WipeService(store, databases, allowDataWipe));
            SubscriptionService subscriptions = new SubscriptionService(store, databases);
            SubscriptionApi.register(api, subscriptions);
            HistoryApi.register(api, new HistoryService(store, databases, new HistoryProfiles(store, databases)));
            ProfileCatalogListener profileCleanUp = new ProfileCatalogListener(store);
            databases.addListener(profileCleanUp);
            resources.addListener(profileCleanUp);
            Exports exports = new Exports(store, databases, profiles, exportsDirectory(storeSettings));
            BulkApi.register(api, exports);
            BulkApi.registerRefreshCounters(api, exports, counters);
            this.events = new Dispatcher(store, eventSettings, metrics);
            WebhookApi.register(api, new WebhookService(store, databases, eventSettings, events::wake));
            this.idempotency = new IdempotencyService(store);
            api.setIdempotency(idempotency);
            this.methods = api.permissions();

            this.server = new HttpServer(httpSettings, api, authentication::authenticate, metrics, store::ping);
            server.start();
            events.start();
            // messages of the import queue: held to the limits of a request body, acting as the account's queue caller
            this.queue = queueSettings == null ? null : new QueueConsumer(queueSettings, profiles, authentication::queueCaller,
                    new BodyLimits(httpSettings.maxStringChars(), httpSettings.maxArrayItems()), metrics).start();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Export files go beside the SQLite store, or under the temporary directory when there is none. */
    private static java.nio.file.Path exportsDirectory(StoreSettings settings) {
        return settings.dataDir() != null ? settings.dataDir().resolve("exports")
                : java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "roster-exports");
    }

    public static RosterApp start(StoreSettings storeSettings, HttpSettings httpSettings) {
        return new RosterApp(storeSettings, httpSettings, null, false, EventSettings.defaults());
    }

    /** With the RabbitMQ import queue consumer, when {@code queueSettings} is not null. */
    public static RosterApp start(StoreSettings storeSettings, HttpSettings httpSettings, QueueSettings queueSettings) {
        return new RosterApp(storeSettings, httpSettings, queueSettings, false, EventSettings.defaults());
    }

    /**
     * With the import queue when {@code queueSettings} is not null, and {@code databases/wipe} allowed when
     * {@code allowDataWipe} ({@code --allow-data-wipe}).
     */
    public static RosterApp start(StoreSettings storeSettings, HttpSettings httpSettings, QueueSettings queueSettings,
                                  boolean allowDataWipe) {
        return new RosterApp(storeSettings, httpSettings, queueSettings, allowDataWipe, EventSettings.defaults());
    }

    /** With events settings (webhooks, the events exchange) and the import queue when {@code queueSettings} is set. */
    public static RosterApp start(StoreSettings storeSettings, HttpSettings httpSettings, QueueSettings queueSettings,
                                  EventSettings eventSettings) {
        return new RosterApp(storeSettings, httpSettings, queueSettings, false, eventSettings);
    }

    /** All of the above. */
    public static RosterApp start(StoreSettings storeSettings, HttpSettings httpSettings, QueueSettings queueSettings,
                                  boolean allowDataWipe, EventSettings eventSettings) {
        return new RosterApp(storeSettings, httpSettings, queueSettings, allowDataWipe, eventSettings);
    }

    /** Every API method ({@code group/method}) with the permission it needs; read-only. */
    public Map<String, Permission> methods() {
        return methods;
    }

    public int port() {
        return server.port();
    }

    /** The admin password and master token, when this start bootstrapped an empty store. */
    public Optional<Bootstrap> bootstrap() {
        return bootstrap;
    }

    public Store store() {
        return store;
    }

    /**
     * Drains first (/ready turns 503, requests and queue messages in flight finish, bounded; the queue stops taking
     * messages at once), then stops the server and the store.
     */
    @Override
    public void close() {
        try {
            Thread queueDrain = queue == null ? null : Thread.ofVirtual().name("roster-queue-drain").start(queue::close);
            server.drain(drain);
            if (queueDrain != null) {
                try {
                    queueDrain.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            server.stop();
            events.close();
            idempotency.close();
            profiles.close();
        } finally {
            store.close();
        }
    }
}
