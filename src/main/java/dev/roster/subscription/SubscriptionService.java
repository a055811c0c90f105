package dev.roster.subscription;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Caller;
import dev.roster.catalog.CatalogModel.Schema;
import dev.roster.catalog.DatabaseService;
import dev.roster.history.History;
import dev.roster.history.HistoryModel.Event;
import dev.roster.profile.ProfileHistory;
import dev.roster.profile.ProfileService;
import dev.roster.profile.ProfileSubscriptions;
import dev.roster.profile.SubscriptionInput;
import dev.roster.profile.SubscriptionStatus;
import dev.roster.store.Store;
import dev.roster.subscription.SubscriptionModel.ListAll;
import dev.roster.subscription.SubscriptionModel.OfProfile;
import dev.roster.subscription.SubscriptionModel.One;
import dev.roster.subscription.SubscriptionModel.Page;
import dev.roster.subscription.SubscriptionModel.Scope;
import dev.roster.subscription.SubscriptionModel.Written;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The {@code subscriptions/*} methods (docs/API.md, Subscriptions). Each request is one transaction; a write of one
 * subscription is a profile write (ProfileService#writeSubscription), through the pipeline import takes.
 */
public final class SubscriptionService {
    /** Subscriptions one UPDATE of suspend_all moves: bounds the memory their history events take. */
    private static final int MOVE_CHUNK = 1000;

    private final Store store;
    private final DatabaseService databases;
    private final ProfileService profiles;

    public SubscriptionService(Store store, DatabaseService databases, ProfileService profiles) {
        this.store = store;
        this.databases = databases;
        this.profiles = profiles;
    }

    /** Adds the subscription, or updates the one the profile has at that address. */
    public Written set(Caller caller, One command) {
        ProfileSubscriptions.Written written = profiles.writeSubscription(caller, command.dbId(), command.profileId(),
                command.members(), null);
        return new Written(SubscriptionView.one(written.subscription()), written.created());
    }

    /** The profile's subscriptions that are not deleted, in the order they were added. */
    public List<ObjectNode> list(Caller caller, OfProfile command) {
        return store.read(h -> {
            Schema schema = databases.schema(h, caller, command.dbId());
            return ProfileSubscriptions.of(h, schema, command.profileId()).stream()
                    .filter(s -> !s.deleted()).map(SubscriptionView::flat).toList();
        });
    }

    /** One subscription, deleted or not. */
    public ObjectNode get(Caller caller, One command) {
        return store.read(h -> {
            Schema schema = databases.schema(h, caller, command.dbId());
            SubscriptionInput sent = SubscriptionInput.parseRequest(command.members(), schema.phoneRegion());
            ProfileSubscriptions.checkResource(h, caller.accountId(), command.dbId(), sent.resourceId(), null);
            return SubscriptionView.one(ProfileSubscriptions.find(h, schema, command.profileId(), sent));
        });
    }

    /** Sets ({@code deleted} true) or clears the soft-delete flag. */
    public ObjectNode setDeleted(Caller caller, One command, boolean deleted) {
        return SubscriptionView.one(profiles.writeSubscription(caller, command.dbId(), command.profileId(),
                command.members(), deleted).subscription());
    }

    /** A page of the resource's live subscriptions in id order, within the databases the token reaches. */
    public Page listAll(Caller caller, ListAll command) {
        return store.read(h -> {
            if (command.dbId() != null) {
                databases.schema(h, caller, command.dbId()); // the database first: an unknown one is named as such
            }
            ProfileSubscriptions.checkResource(h, caller.accountId(), command.dbId(), command.resourceId(), null);
            if (command.dbId() == null && caller.dbIds() != null && caller.dbIds().isEmpty()) {
                return new Page(List.of(), command.fromId(), 0);
            }
            SubscriptionSql.Filter filter = new SubscriptionSql.Filter(command.resourceId(), command.dbId(),
                    command.dbId() == null ? caller.dbIds() : null, command.channel(), command.status());
            List<SubscriptionSql.Row> rows = SubscriptionSql.page(h, filter, command.fromId(), command.limit());
            long next = rows.isEmpty() ? command.fromId() : rows.get(rows.size() - 1).subscription().id() + 1;
            return new Page(rows.stream().map(r -> SubscriptionView.row(r.dbId(), r.profileId(), r.subscription()))
                    .toList(), next, SubscriptionSql.count(h, filter));
        });
    }

    /**
     * subscribed → suspended ({@code suspend}) or suspended → subscribed in the scope; how many changed. Each change
     * is recorded in its profile's history, one multi-row insert per chunk of moved subscriptions.
     */
    public int suspendAll(Caller caller, Scope scope, boolean suspend) {
        return store.write(h -> {
            Schema schema = databases.schema(h, caller, scope.dbId());
            if (scope.resourceId() != null) {
                ProfileSubscriptions.checkResource(h, caller.accountId(), scope.dbId(), scope.resourceId(), null);
            }
            return move(h, caller, schema, scope, suspend);
        });
    }

    private int move(Handle h, Caller caller, Schema schema, Scope scope, boolean suspend) {
        SubscriptionStatus from = suspend ? SubscriptionStatus.SUBSCRIBED : SubscriptionStatus.SUSPENDED;
        SubscriptionStatus to = suspend ? SubscriptionStatus.SUSPENDED : SubscriptionStatus.SUBSCRIBED;
        String by = suspend ? "suspend_all" : "unsuspend_all";
        SubscriptionSql.Scope where = new SubscriptionSql.Scope(schema.dbId(), scope.channel(), scope.resourceId());
        SubscriptionSql.lockProfiles(h, where, from);
        long now = System.currentTimeMillis();
        int count = 0;
        long afterId = 0;
        while (true) {
            List<SubscriptionSql.Moved> moved = SubscriptionSql.moveStatus(h, where, from, to, now, afterId, MOVE_CHUNK);
            if (moved.isEmpty()) {
                return count;
            }
            count += moved.size();
            List<Event> events = new ArrayList<>(moved.size());
            for (SubscriptionSql.Moved m : moved) {
                afterId = Math.max(afterId, m.id());
                events.add(ProfileHistory.statusMoved(caller.tokenName(), schema.dbId(), m.profileId(), m.resourceId(),
                        m.channel(), m.address(), m.hashId(), m.contact(), from, to, by, now));
            }
            History.record(h, events);
        }
    }
}
