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
import dev.roster.query.ProfileQueryService;
import dev.roster.query.QueryApi;
import dev.roster.segment.SegmentApi;
import dev.roster.segment.SegmentService;
import dev.roster.http.HttpServer;
import dev.roster.http.WebRoutes;
import dev.roster.bulk.FileImport;
import dev.roster.console.ConsoleRoutes;
import dev.roster.console.ImportJobs;
import dev.roster.console.ProfileSearch;
import dev.roster.console.SessionService;
import java.util.List;
import dev.roster.http.HttpSettings;
import dev.roster.store.Store;
import dev.roster.subscription.SubscriptionApi;
import dev.roster.subscription.SubscriptionService;
import dev.roster.store.StoreSettings;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
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

    /** How long export files are kept unless {@code --export-retention} says otherwise. */
    public static final Duration DEFAULT_EXPORT_RETENTION = Duration.ofHours(24);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final Thread exportCleaner;
    /** Counted down at close: the export cleaner stops between two rounds, never interrupted inside a query. */
    private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);

    private RosterApp(StoreSettings storeSettings, HttpSettings httpSettings, Options options) {
        QueueSettings queueSettings = options.queue();
        boolean allowDataWipe = options.allowDataWipe();
        EventSettings eventSettings = options.events();
        Duration exportRetention = options.exportRetention();
        boolean console = options.console();
        this.drain = Duration.ofSeconds(httpSettings.drainSeconds());
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        gcMetrics.bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new ClassLoaderMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);
        new FileDescriptorMetrics().bindTo(metrics);
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
            ProfileQueryService queries = new ProfileQueryService(store, databases);
            QueryApi.register(api, queries);
            SegmentService segments = new SegmentService(store, databases, queries);
            queries.useSegments(segments);
            profiles.useSegments(segments);
            SegmentApi.register(api, segments);
            ProfileToolsApi.register(api, new MergeService(store, databases, segments),
                    new WipeService(store, databases, allowDataWipe));
            SubscriptionService subscriptions = new SubscriptionService(store, databases, profiles);
            SubscriptionApi.register(api, subscriptions);
            HistoryService history = new HistoryService(store, databases, new HistoryProfiles(store, databases));
            HistoryApi.register(api, history);
            ProfileCatalogListener profileCleanUp = new ProfileCatalogListener(store);
            databases.addListener(profileCleanUp);
            resources.addListener(profileCleanUp);
            Exports exports = new Exports(store, databases, profiles, queries, segments);
            BulkApi.register(api, exports);
            BulkApi.registerRefreshCounters(api, exports, counters, segments);
            this.events = new Dispatcher(store, eventSettings, metrics);
            WebhookApi.register(api, new WebhookService(store, databases, eventSettings, events::wake));
            this.idempotency = new IdempotencyService(store);
            api.setIdempotency(idempotency);
            this.methods = api.permissions();

            // the console calls the same service instances as the API methods
            List<WebRoutes> web = !console ? List.of() : List.of(new ConsoleRoutes(new ConsoleRoutes.Services(
                    accounts, new SessionService(store), databases, resources, profiles, subscriptions, history,
                    counters, exports, new ImportJobs(new FileImport(profiles, store, databases), uploadsDirectory(storeSettings)),
                    ProfileSearch.over(queries), segments)));
            // messages of the import queue: held to the limits of a request body, acting as the account's queue caller
            this.queue = queueSettings == null ? null : new QueueConsumer(queueSettings, profiles, authentication::queueCaller,
                    new BodyLimits(httpSettings.maxStringChars(), httpSettings.maxArrayItems()), metrics);
            Map<String, java.util.function.BooleanSupplier> dependencies = new java.util.LinkedHashMap<>();
            dependencies.put("store", store::ping);
            if (queue != null) {
                dependencies.put("queue", queue::connected);
            }
            this.server = new HttpServer(httpSettings, api, authentication::authenticate, metrics, dependencies, web);
            server.start();
            events.start();
            if (queue != null) {
                queue.start();
            }
            this.exportCleaner = Thread.ofVirtual().name("roster-export-cleaner")
                    .start(() -> deleteExpiredExports(exports, exportRetention, closing));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Deletes exports past their retention, at start and then every minute (or every tenth of a short retention). */
    private static void deleteExpiredExports(Exports exports, Duration retention,
                                             java.util.concurrent.CountDownLatch closing) {
        Duration every = retention.dividedBy(10).compareTo(Duration.ofMinutes(1)) < 0
                ? max(retention.dividedBy(10), Duration.ofMillis(100)) : Duration.ofMinutes(1);
        try {
            do {
                try {
                    exports.deleteOlderThan(java.time.Instant.now().minus(retention));
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(RosterApp.class).warn("cannot delete expired exports: {}",
                            e.toString());
                }
            } while (!closing.await(every.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * What a server runs besides its store and HTTP settings: the import queue (null for none), whether
     * {@code databases/wipe} is allowed ({@code --allow-data-wipe}), events out, and how long export files are kept.
     */
    public record Options(QueueSettings queue, boolean allowDataWipe, EventSettings events, Duration exportRetention,
                          boolean console) {
        public static Options defaults() {
            return new Options(null, false, EventSettings.defaults(), DEFAULT_EXPORT_RETENTION, true);
        }

        /** With or without the browser console ({@code roster serve --no-console}). */
        public Options withConsole(boolean console) {
            return new Options(queue, allowDataWipe, events, exportRetention, console);
        }

        public Options withQueue(QueueSettings queue) {
            return new Options(queue, allowDataWipe, events, exportRetention, console);
        }

        public Options withDataWipe(boolean allowDataWipe) {
            return new Options(queue, allowDataWipe, events, exportRetention, console);
        }

        public Options withEvents(EventSettings events) {
            return new Options(queue, allowDataWipe, events, exportRetention, console);
        }

        public Options withExportRetention(Duration exportRetention) {
            return new Options(queue, allowDataWipe, events, exportRetention, console);
        }
    }

    /** Where console uploads wait while they are imported: beside the SQLite store, else in the temporary directory. */
    private static java.nio.file.Path uploadsDirectory(StoreSettings settings) {
        return settings.dataDir() != null ? settings.dataDir().resolve("uploads")
                : java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "roster-uploads");
    }

    public static RosterApp start(StoreSettings storeSettings, HttpSettings httpSettings) {
        return start(storeSettings, httpSettings, Options.defaults());
    }


    /** With the RabbitMQ import queue consumer, when {@code queueSettings} is not null. */
    public static RosterApp start(StoreSettings storeSettings, HttpSettings httpSettings, QueueSettings queueSettings) {
        return start(storeSettings, httpSettings, Options.defaults().withQueue(queueSettings));
    }

    public static RosterApp start(StoreSettings storeSettings, HttpSettings httpSettings, Options options) {
        return new RosterApp(storeSettings, httpSettings, options);
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
            closing.countDown();
            try {
                exportCleaner.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            gcMetrics.close();
            profiles.close();
        } finally {
            store.close();
        }
    }
}
