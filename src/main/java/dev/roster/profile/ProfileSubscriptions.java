package dev.roster.profile;

import dev.roster.catalog.CatalogModel.Schema;
import dev.roster.catalog.Channel;
import dev.roster.catalog.ResourceService;
import dev.roster.error.RosterException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * What the subscription methods read of a profile, inside the caller's transaction: its subscriptions, and the checks
 * of a request's profile id and resource. Their writes go through ProfileService#writeSubscription, the pipeline every
 * profile write takes.
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

    /** The result of ProfileService#writeSubscription: the subscription as stored, and whether it is new. */
    public record Written(Subscription subscription, boolean created) {
    }

    /** A profile id must be 24 lowercase hex characters (400 otherwise). */
    public static void checkProfileId(String profileId) {
        if (!ObjectIds.isValid(profileId)) {
            throw RosterException.invalid("profile_id", "24 lowercase hex characters", "\"" + profileId + "\"");
        }
    }

    /**
     * The resource must be the account's (404 otherwise, as for ids of another account), serve the database when one is
     * named (404, docs/API.md, Matching) and enable the channel when one is named (400).
     */
    public static void checkResource(Handle h, long accountId, Long dbId, long resourceId, Channel channel) {
        List<String> channels = ResourceService.channelsOf(h, accountId, resourceId)
                .orElseThrow(() -> RosterException.notFound("resource " + resourceId + " not found"));
        if (dbId != null) {
            ResourceService.requireServes(h, resourceId, dbId);
        }
        if (channel != null && !channels.contains(channel.wireName())) {
            throw RosterException.badRequest("channel '" + channel.wireName() + "' is not enabled on resource "
                    + resourceId + " (it has " + channels + ")");
        }
    }

    /** Every subscription of the profile, soft-deleted ones included, in the order they were added; 404 without it. */
    public static List<Subscription> of(Handle h, Schema schema, String profileId) {
        checkProfileId(profileId);
        if (!ProfileSql.profileExists(h, schema.dbId(), profileId)) {
            throw profileNotFound(schema.dbId(), profileId);
        }
        return ProfileSql.subscriptionsOf(h, profileId);
    }

    /** The subscription at that address of a profile known to exist (just written, in the same transaction). */
    static Subscription stored(Handle h, String profileId, SubscriptionInput sent) {
        return find(ProfileSql.subscriptionsOf(h, profileId), sent).orElseThrow();
    }

    /** The subscription of the profile at that (resource, channel, address), or 404. */
    public static Subscription find(Handle h, Schema schema, String profileId, SubscriptionInput sent) {
        return find(of(h, schema, profileId), sent).orElseThrow(() -> subscriptionNotFound(schema, profileId, sent));
    }

    private static Optional<Subscription> find(List<Subscription> all, SubscriptionInput sent) {
        return all.stream().filter(s -> s.key().equals(sent.key())).findFirst();
    }

    static RosterException profileNotFound(long dbId, String profileId) {
        return RosterException.notFound("profile " + profileId + " not found in database " + dbId);
    }

    static RosterException subscriptionNotFound(Schema schema, String profileId, SubscriptionInput sent) {
        return RosterException.notFound("subscription not found: profile " + profileId + " of database " + schema.dbId()
                + " has no " + sent.channel().wireName() + " subscription at that address on resource "
                + sent.resourceId());
    }
}
