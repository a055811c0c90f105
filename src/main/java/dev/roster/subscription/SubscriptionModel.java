package dev.roster.subscription;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.catalog.Channel;
import dev.roster.profile.SubscriptionStatus;
import java.util.List;

/** The commands and answers of the subscription methods. */
public final class SubscriptionModel {
    private SubscriptionModel() {
    }

    /**
     * One subscription of one profile, as a request names it.
     *
     * @param members the identification (and for set the changes) as sent, parsed in the transaction with the
     *                database's phone region
     */
    public record One(long dbId, String profileId, ObjectNode members) {
    }

    public record OfProfile(long dbId, String profileId) {
    }

    /** {@code subscriptions/list_all}: a null filter does not filter. */
    public record ListAll(long resourceId, Long dbId, Channel channel, SubscriptionStatus status, long fromId,
                          int limit) {
    }

    public record Page(List<ObjectNode> rows, long nextFromId, long totalCount) {
    }

    /** suspend_all / unsuspend_all: a null filter does not filter. */
    public record Scope(long dbId, Channel channel, Long resourceId) {
    }

    public record Written(ObjectNode subscription, boolean created) {
    }
}
