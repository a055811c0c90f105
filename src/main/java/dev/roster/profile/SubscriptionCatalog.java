package dev.roster.profile;

import dev.roster.catalog.CatalogModel.Field;
import dev.roster.catalog.ResourceService;
import dev.roster.catalog.SubscriptionFieldService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The resources and typed subscription fields that one transaction's subscription writes need, each read once: a
 * batch of a thousand profiles subscribing to one resource reads that resource and its fields once, not per profile.
 */
final class SubscriptionCatalog {
    private final Handle h;
    private final Map<String, Optional<List<String>>> channels = new HashMap<>();
    private final Map<String, Map<String, Field>> typed = new HashMap<>();
    private final Map<String, Boolean> serving = new HashMap<>();

    SubscriptionCatalog(Handle h) {
        this.h = h;
    }

    /** The channels the account's resource enables; empty when the account has no such resource. */
    Optional<List<String>> channels(long accountId, long resourceId) {
        return channels.computeIfAbsent(accountId + "/" + resourceId, k -> ResourceService.channelsOf(h, accountId, resourceId));
    }

    /** Whether the resource serves the database (see ResourceService#serves). */
    boolean serves(long resourceId, long dbId) {
        return serving.computeIfAbsent(resourceId + "/" + dbId, k -> ResourceService.serves(h, resourceId, dbId));
    }

    /**
     * The typed subscription fields of the sent subscription's resource and channel; none when it sends no
     * custom_fields (nothing to check).
     */
    Map<String, Field> typedFields(SubscriptionInput sent) {
        if (sent.customFields() == null) {
            return Map.of();
        }
        return typed.computeIfAbsent(sent.resourceId() + "/" + sent.channel().wireName(),
                k -> SubscriptionFieldService.typed(h, sent.resourceId(), sent.channel()));
    }
}
