package dev.roster.catalog;

import java.util.List;
import org.jdbi.v3.core.Handle;

/** The SQL of a resource's custom subscription fields. */
final class SubscriptionFieldSql {
    private SubscriptionFieldSql() {
    }

    record FieldRecord(String name, String type, String title, String options) {
        List<String> optionList() {
            return CatalogSql.options(options);
        }
    }

    static void insert(Handle h, long resourceId, String channel, String name, String type, String title,
                       String options, long now) {
        h.createUpdate("insert into resource_fields (resource_id, channel, name, type, title, options, created_at) "
                        + "values (:resource, :channel, :name, :type, :title, :options, :now)")
                .bind("resource", resourceId).bind("channel", channel).bind("name", name).bind("type", type)
                .bind("title", title).bind("options", options).bind("now", now).execute();
    }

    static List<FieldRecord> fields(Handle h, long resourceId, String channel) {
        return h.createQuery("select name, type, title, options from resource_fields where resource_id = :resource "
                        + "and channel = :channel order by created_at, name")
                .bind("resource", resourceId).bind("channel", channel)
                .map((rs, ctx) -> new FieldRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list();
    }
}
