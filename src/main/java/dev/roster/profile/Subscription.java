package dev.roster.profile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.catalog.Channel;
import java.util.List;

/**
 * A stored subscription of a profile.
 *
 * @param id null until inserted
 */
public record Subscription(Long id, long resourceId, Channel channel, String address, String hashId, ObjectNode contact,
                           SubscriptionStatus status, Integer priority, ObjectNode customFields, List<String> cats,
                           boolean deleted, long createdAt, long updatedAt) {

    /** Identity of a subscription within its profile. */
    public String key() {
        return key(resourceId, channel, address);
    }

    /** The identity of the subscription at that address, as {@link #key()} gives it. */
    static String key(long resourceId, Channel channel, String address) {
        return resourceId + "/" + channel.wireName() + "/" + address;
    }

    Subscription with(SubscriptionStatus newStatus, Integer newPriority, ObjectNode newFields, List<String> newCats,
                      long now) {
        return new Subscription(id, resourceId, channel, address, hashId, contact, newStatus, newPriority, newFields,
                newCats, deleted, createdAt, now);
    }

    Subscription withDeleted(boolean newDeleted, long now) {
        return new Subscription(id, resourceId, channel, address, hashId, contact, status, priority, customFields, cats,
                newDeleted, createdAt, now);
    }
}
