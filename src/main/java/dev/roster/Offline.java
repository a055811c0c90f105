package dev.roster;

import dev.roster.access.Caller;
import dev.roster.account.Authentication;
import dev.roster.catalog.DatabaseService;
import dev.roster.profile.ProfileService;
import dev.roster.query.ProfileQueryService;
import dev.roster.segment.SegmentService;
import dev.roster.store.Store;
import dev.roster.store.StoreSettings;
import picocli.CommandLine.Option;

/** The services a command line tool uses on the store directly, without the HTTP server, acting for one user. */
final class Offline implements AutoCloseable {
    /** {@code --account} and {@code --login}: who the command acts for. */
    static final class Who {
        @Option(names = "--account", defaultValue = "default", description = "The account. Default: ${DEFAULT-VALUE}")
        String account;

        @Option(names = "--login", defaultValue = "admin", description = "The user it acts for. Default: ${DEFAULT-VALUE}")
        String login;
    }

    final Store store;
    final DatabaseService databases;
    final ProfileService profiles;
    final ProfileQueryService queries;
    final SegmentService segments;
    final Caller caller;

    private Offline(Store store, Who who) {
        this.store = store;
        this.databases = new DatabaseService(store);
        this.profiles = new ProfileService(store, databases);
        this.queries = new ProfileQueryService(store, databases);
        this.segments = new SegmentService(store, databases, queries);
        queries.useSegments(segments);
        profiles.useSegments(segments);
        this.caller = new Authentication(store, new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
                .localCaller(who.account, who.login);
    }

    static Offline open(StoreSettings settings, Who who) {
        Store store = Store.openExisting(settings, null);
        try {
            return new Offline(store, who);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            profiles.close();
        } finally {
            store.close();
        }
    }
}
