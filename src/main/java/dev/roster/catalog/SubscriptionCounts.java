package dev.roster.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns subscription counters into the answer of {@code databases/get_counters} (docs/API.md, Counters): per channel,
 * the
 * live subscriptions per status, their sum {@code all}, and the sendable ones.
 *
 * <p>Sendable, in Roster: a subscription that is not deleted, in status subscribed ({@code subscribed_sendable}) or
 * unconfirmed ({@code unconfirmed_sendable}), on a channel that its resource enables now. A channel taken off a
 * resource keeps its subscriptions (they are counted under their status) but none of them is sendable. Soft-deleted
 * subscriptions are in no status count and not in {@code all}; {@code deleted} counts them (a Roster extension).
 */
public final class SubscriptionCounts {
    /**
     * Status words by number, as in docs/COMPATIBILITY.md, Subscriptions (the profile feature's SubscriptionStatus has
     * the same table).
     */
    static final List<String> STATUSES = List.of("subscribed", "unsubscribed", "complained", "hardbounced",
            "unconfirmed", "suspended", "invalid");
    private static final int SUBSCRIBED = 0;
    private static final int UNCONFIRMED = 4;

    private SubscriptionCounts() {
    }

    /** The counters of one channel; {@code status} keeps the reference's member order. */
    public record ChannelCounts(String channel, Map<String, Long> status, long deleted) {
    }

    private static final class Tally {
        final long[] byStatus = new long[STATUSES.size()];
        long subscribedSendable;
        long unconfirmedSendable;
        long deleted;

        ChannelCounts answer(Channel channel) {
            Map<String, Long> status = new LinkedHashMap<>();
            long all = 0;
            for (long n : byStatus) {
                all += n;
            }
            status.put("all", all);
            for (int i = 0; i < STATUSES.size(); i++) {
                status.put(STATUSES.get(i), byStatus[i]);
            }
            status.put("subscribed_sendable", subscribedSendable);
            status.put("unconfirmed_sendable", unconfirmedSendable);
            return new ChannelCounts(channel.wireName(), status, deleted);
        }
    }

    /**
     * One entry per channel that a resource of {@code enabled} enables or that has subscriptions, in the order of
     * {@link Channel}.
     *
     * @param enabled the channels each resource of the counters enables now
     */
    static List<ChannelCounts> perChannel(Collection<CounterSql.SubscriptionCount> counts, Map<Long, List<String>> enabled) {
        Map<Channel, Tally> tallies = new EnumMap<>(Channel.class);
        enabled.values().forEach(channels -> channels.forEach(c -> tallies.computeIfAbsent(Channel.parse("channel", c),
                k -> new Tally())));
        for (CounterSql.SubscriptionCount c : counts) {
            Tally tally = tallies.computeIfAbsent(Channel.parse("channel", c.channel()), k -> new Tally());
            if (c.deleted()) {
                tally.deleted += c.count();
                continue;
            }
            tally.byStatus[c.status()] += c.count();
            boolean sendable = enabled.getOrDefault(c.resourceId(), List.of()).contains(c.channel());
            if (sendable && c.status() == SUBSCRIBED) {
                tally.subscribedSendable += c.count();
            } else if (sendable && c.status() == UNCONFIRMED) {
                tally.unconfirmedSendable += c.count();
            }
        }
        List<ChannelCounts> out = new ArrayList<>();
        tallies.forEach((channel, tally) -> out.add(tally.answer(channel)));
        return out;
    }
}
