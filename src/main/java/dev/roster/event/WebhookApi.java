package dev.roster.event;

import dev.roster.access.Permission;
import dev.roster.http.ApiRegistry;
import dev.roster.request.Params;
import dev.roster.http.Reply;
import java.util.List;

/**
 * {@code webhooks/*}. Registered with catalog.read so that a master user's token without catalog.write passes the
 * registry's check; the service then requires a master user or catalog.write.
 */
public final class WebhookApi {
    private WebhookApi() {
    }

    public static void register(ApiRegistry api, WebhookService webhooks) {
        api.add("webhooks/create", Permission.CATALOG_READ,
                p -> new WebhookService.NewWebhook(p.requiredNonBlank("url"), p.optionalStringList("events"),
                        p.optionalIdList("db_ids")),
                (caller, command) -> Reply.data(webhooks.create(caller, command)));
        api.add("webhooks/list", Permission.CATALOG_READ, p -> null,
                (caller, none) -> Reply.data(webhooks.list(caller)));
        api.add("webhooks/get", Permission.CATALOG_READ, p -> p.requiredId("id"),
                (caller, id) -> Reply.data(webhooks.get(caller, id)));
        api.add("webhooks/update", Permission.CATALOG_READ,
                p -> new WebhookService.Changes(p.requiredId("id"), p.optionalString("url"), strings(p, "events"),
                        p.names().contains("events"), ids(p, "db_ids"), p.names().contains("db_ids"), p.optionalBool("enabled")),
                (caller, changes) -> Reply.data(webhooks.update(caller, changes)));
        api.add("webhooks/delete", Permission.CATALOG_READ, p -> p.requiredId("id"),
                (caller, id) -> {
                    webhooks.delete(caller, id);
                    return Reply.data(new Id(id));
                });
        api.add("webhooks/deliveries", Permission.CATALOG_READ,
                p -> new DeliveriesQuery(p.requiredId("id"), p.optionalId("from_id")),
                (caller, q) -> {
                    WebhookService.DeliveryPage page = webhooks.deliveries(caller, q.id(), q.fromId());
                    return Reply.data(page.rows()).with("next_from_id", page.nextFromId());
                });
    }

    record Id(long id) {
    }

    record DeliveriesQuery(long id, Long fromId) {
    }

    /** An explicit null resets the filter to "all". */
    private static List<String> strings(Params p, String name) {
        var raw = p.raw(name);
        return raw == null || raw.isNull() ? null : p.optionalStringList(name);
    }

    private static List<Long> ids(Params p, String name) {
        var raw = p.raw(name);
        return raw == null || raw.isNull() ? null : p.optionalIdList(name);
    }
}
