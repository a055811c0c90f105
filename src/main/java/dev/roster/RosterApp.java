package dev.roster;

import dev.roster.account.AccountApi;
import dev.roster.account.AccountModel.Bootstrap;
import dev.roster.account.AccountService;
import dev.roster.catalog.CatalogApi;
import dev.roster.catalog.DatabaseService;
import dev.roster.catalog.ResourceService;
import dev.roster.http.ApiRegistry;
import dev.roster.profile.ProfileApi;
import dev.roster.profile.ProfileCatalogListener;
import dev.roster.profile.ProfileService;
import dev.roster.http.HttpServer;
import dev.roster.http.HttpSettings;
import dev.roster.store.Store;
import dev.roster.store.StoreSettings;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** One running Roster: the store, the services wired by hand, and the HTTP server. */
public final class RosterApp implements AutoCloseable {
    private final Store store;
    private final HttpServer server;
    private final Optional<Bootstrap> bootstrap;
    private final ProfileService profiles;
    private final AtomicBoolean accepting = new AtomicBoolean(true);

    private RosterApp(StoreSettings storeSettings, HttpSettings httpSettings) {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        this.store = Store.open(storeSettings, metrics);
        try {
            DatabaseService databases = new DatabaseService(store);
            ResourceService resources = new ResourceService(store);
            AccountService accounts = new AccountService(store, databases::exists, metrics);
            this.bootstrap = accounts.bootstrapIfEmpty();

            ApiRegistry api = new ApiRegistry();
            AccountApi.register(api, accounts);
            CatalogApi.register(api, databases, resources);
            this.profiles = new ProfileService(store, databases);
            ProfileApi.register(api, profiles);
            ProfileCatalogListener profileCleanUp = new ProfileCatalogListener(store);
            databases.addListener(profileCleanUp);
            resources.addListener(profileCleanUp);

            this.server = new HttpServer(httpSettings, api, accounts::authenticate, metrics,
                    () -> accepting.get() && store.ping(), List.of());
            server.start();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public static RosterApp start(StoreSettings storeSettings, HttpSettings httpSettings) {
        return new RosterApp(storeSettings, httpSettings);
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

    @Override
    public void close() {
        accepting.set(false);
        server.stop();
        profiles.close();
        store.close();
    }
}
