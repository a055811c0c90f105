package dev.roster.catalog;

import dev.roster.access.Caller;
import dev.roster.catalog.SubscriptionCounts.ChannelCounts;
import dev.roster.store.Store;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * {@code databases/get_counters} and {@code resources/get_counters}: exact counts read from the counters that the
 * store's triggers keep in the same transaction as every write (migration V5), so a read never scans.
 */
public final class CounterService {
    private final Store store;

    public CounterService(Store store) {
        this.store = store;
    }

    /** The database's subscriptions per channel and status, of one resource or (without it) of every resource. */
    public List<ChannelCounts> ofDatabase(Caller caller, long dbId, Long resourceId) {
        return store.read(h -> {
            DatabaseService.require(h, caller, dbId);
            Map<Long, List<String>> enabled = new HashMap<>();
            if (resourceId != null) {
                enabled.put(resourceId, ResourceService.channelList(ResourceService.require(h, caller, resourceId).channels()));
                ResourceService.requireServes(h, resourceId, dbId);
            }
            List<CounterSql.SubscriptionCount> counts = CounterSql.subscriptions(h, dbId, resourceId, null);
            return SubscriptionCounts.perChannel(counts, withChannelsOf(h, caller, counts, enabled));
        });
    }

    /** The resource's subscriptions per channel and status, in one database or in every database the token reaches. */
    public List<ChannelCounts> ofResource(Caller caller, long resourceId, Long dbId) {
        return store.read(h -> {
            CatalogSql.ResourceRecord resource = ResourceService.require(h, caller, resourceId);
            if (dbId != null) {
                DatabaseService.require(h, caller, dbId);
                ResourceService.requireServes(h, resourceId, dbId);
            }
            List<CounterSql.SubscriptionCount> counts = CounterSql.subscriptions(h, dbId, resourceId,
                    dbId == null ? caller.dbIds() : null);
            return SubscriptionCounts.perChannel(counts, Map.of(resourceId, ResourceService.channelList(resource.channels())));
        });
    }

    /** The channels each resource of the counters enables now, added to those already known. */
    private static Map<Long, List<String>> withChannelsOf(Handle h, Caller caller,
                                                          List<CounterSql.SubscriptionCount> counts,
                                                          Map<Long, List<String>> known) {
        for (CounterSql.SubscriptionCount c : counts) {
            known.computeIfAbsent(c.resourceId(), id -> CatalogSql.resource(h, caller.accountId(), id)
                    .map(r -> ResourceService.channelList(r.channels())).orElse(List.of()));
        }
        return known;
    }

    /** Subscriptions of some profiles of a resource, by channel, status and soft deletion (e.g. a segment's). */
    public record Count(String channel, int status, boolean deleted, long count) {
    }

    /**
     * The counters of {@code databases/get_counters} for counts another feature read (segments/get_counters): one
     * entry per channel the resource enables or that has subscriptions.
     */
    public static List<Object> tally(Handle h, Caller caller, long resourceId, long dbId, List<Count> counts) {
        List<String> channels = ResourceService.channelList(ResourceService.require(h, caller, resourceId).channels());
        ResourceService.requireServes(h, resourceId, dbId);
        List<CounterSql.SubscriptionCount> rows = counts.stream().map(c -> new CounterSql.SubscriptionCount(0,
                resourceId, c.channel(), c.status(), c.deleted(), c.count())).toList();
        return new java.util.ArrayList<>(SubscriptionCounts.perChannel(rows, Map.of(resourceId, channels)));
    }
}
