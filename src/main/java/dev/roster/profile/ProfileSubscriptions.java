package dev.roster.profile;

import dev.roster.access.Caller;
import dev.roster.catalog.CatalogModel.Schema;
import dev.roster.catalog.Channel;
import dev.roster.catalog.ResourceService;
import dev.roster.error.RosterException;
import dev.roster.history.History;
import dev.roster.history.HistoryModel.Event;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * What the subscription methods need of a profile, inside the caller's transaction: its subscriptions, and writes of
 * one subscription that lock the profile and keep its identity keys in step (the same rules as import).
 */
public final class ProfileSubscriptions {
    /** The columns {@link #read} maps, in order, for SQL over the {@code subscriptions} table. */
    public static final String COLUMNS = ProfileSql.SUBSCRIPTION_COLUMNS;

    private ProfileSubscriptions() {
    }

    /** A subscription from {@link #COLUMNS} starting after {@code offset} other columns. */
    public static Subscription read(ResultSet rs, int offset) throws SQLException {
        return ProfileSql.subscription(rs, offset);
    }

    /** The result of {@link #set}: the subscription as stored, and whether it is new. */
    public record Written(Subscription subscription, boolean created) {
    }

    /** A profile id must be 24 lowercase hex characters (400 otherwise). */
    public static void checkProfileId(String profileId) {
        if (!ObjectIds.isValid(profileId)) {
            throw RosterException.invalid("profile_id", "24 lowercase hex characters", "\"" + profileId + "\"");
        }
    }

    /**
     * The resource must be the account's (404 otherwise, as for ids of another account) and enable the channel (400).
     */
    public static void checkResource(Handle h, long accountId, long resourceId, Channel channel) {
        List<String> channels = ResourceService.channelsOf(h, accountId, resourceId)
                .orElseThrow(() -> RosterException.notFound("resource " + resourceId + " not found"));
        if (channel != null && !channels.contains(channel.wireName())) {
            throw RosterException.badRequest("channel '" + channel.wireName() + "' is not enabled on resource "
                    + resourceId + " (it has " + channels + ")");
        }
    }

    /** Every subscription of the profile, soft-deleted ones included, in the order they were added; 404 without it. */
    public static List<Subscription> of(Handle h, Schema schema, String profileId) {
        checkProfileId(profileId);
        if (!ProfileSql.profileExists(h, schema.dbId(), profileId)) {
            throw profileNotFound(schema, profileId);
        }
        return ProfileSql.subscriptionsOf(h, profileId);
    }

    /** The subscription of the profile at that (resource, channel, address), or 404. */
    public static Subscription find(Handle h, Schema schema, String profileId, SubscriptionInput sent) {
        return find(of(h, schema, profileId), sent).orElseThrow(() -> subscriptionNotFound(schema, profileId, sent));
    }

    /**
     * Adds the subscription or updates the one at that address: status, priority, custom_fields (merged) and cats
     * as sent, the rest kept. Locks the profile and syncs its identity keys (409 for a key another profile holds).
     * Records the change in the profile's history, as the caller's token.
     */
    public static Written set(Handle h, Caller caller, Schema schema, String profileId,
                              SubscriptionInput sent) {
        checkProfileId(profileId);
        checkResource(h, caller.accountId(), sent.resourceId(), sent.channel());
        ProfileSql.ProfileRow row = lock(h, schema, profileId);
        long now = System.currentTimeMillis();
        List<Subscription> all = new ArrayList<>(ProfileSql.subscriptionsOf(h, profileId));
        Optional<Subscription> known = find(all, sent);
        Subscription next = SubscriptionMerge.applyTo(known.orElse(null), sent, profileId, now,
                new SubscriptionCatalog(h).typedFields(sent), schema.zone());
        if (known.isPresent() && SubscriptionMerge.sameState(known.get(), next)) {
            return new Written(known.get(), false);
        }
        known.ifPresent(all::remove);
        all.add(next);
        syncKeys(h, schema, row, all);
        if (known.isPresent()) {
            ProfileSql.updateSubscription(h, next);
        } else {
            ProfileSql.insertSubscription(h, profileId, schema.dbId(), next);
        }
        ProfileSql.updateProfile(h, profileId, row.data(), now);
        Subscription stored = find(ProfileSql.subscriptionsOf(h, profileId), sent).orElseThrow();
        record(h, caller, schema, profileId, known.orElse(null), stored, now);
        return new Written(stored, known.isEmpty());
    }

    /** Sets or clears the soft-delete flag of the subscription (404 when the profile has none at that address). */
    public static Subscription setDeleted(Handle h, Caller caller, Schema schema, String profileId,
                                          SubscriptionInput sent, boolean deleted) {
        checkProfileId(profileId);
        checkResource(h, caller.accountId(), sent.resourceId(), null);
        ProfileSql.ProfileRow row = lock(h, schema, profileId);
        List<Subscription> all = new ArrayList<>(ProfileSql.subscriptionsOf(h, profileId));
        Subscription known = find(all, sent).orElseThrow(() -> subscriptionNotFound(schema, profileId, sent));
        if (known.deleted() == deleted) {
            return known;
        }
        long now = System.currentTimeMillis();
        Subscription next = known.withDeleted(deleted, now);
        all.set(all.indexOf(known), next);
        syncKeys(h, schema, row, all);
        ProfileSql.updateSubscription(h, next);
        ProfileSql.updateProfile(h, profileId, row.data(), now);
        record(h, caller, schema, profileId, known, next, now);
        return next;
    }

    private static void record(Handle h, Caller caller, Schema schema, String profileId, Subscription before,
                               Subscription after, long now) {
        List<Event> events = new ArrayList<>(1);
        ProfileHistory.subscriptionChanged(events, caller.tokenName(), schema.dbId(), profileId, before, after, now);
        History.record(h, events);
    }

    private static ProfileSql.ProfileRow lock(Handle h, Schema schema, String profileId) {
        return ProfileSql.lockProfile(h, schema.dbId(), profileId)
                .orElseThrow(() -> profileNotFound(schema, profileId));
    }

    private static void syncKeys(Handle h, Schema schema, ProfileSql.ProfileRow row, List<Subscription> all) {
        try {
            ProfileKeys.sync(h, schema.dbId(), row.id(), ProfileKeys.derive(row.data(), all, schema));
        } catch (ProfileKeys.KeyTaken taken) {
            throw taken.conflict();
        }
    }

    private static Optional<Subscription> find(List<Subscription> all, SubscriptionInput sent) {
        String key = sent.resourceId() + "/" + sent.channel().wireName() + "/" + sent.address();
        return all.stream().filter(s -> s.key().equals(key)).findFirst();
    }

    private static RosterException profileNotFound(Schema schema, String profileId) {
        return RosterException.notFound("profile " + profileId + " not found in database " + schema.dbId());
    }

    private static RosterException subscriptionNotFound(Schema schema, String profileId, SubscriptionInput sent) {
        return RosterException.notFound("subscription not found: profile " + profileId + " of database " + schema.dbId()
                + " has no " + sent.channel().wireName() + " subscription at that address on resource "
                + sent.resourceId());
    }
}
