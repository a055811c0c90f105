package dev.roster.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.store.Store;
import dev.roster.testing.TestServer.ApiClient;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counters as the triggers keep them, next to a full recount of the tables (a GROUP BY), and what the API should
 * answer computed from that recount.
 */
final class CounterRecount {
    private CounterRecount() {
    }

    /** "db/resource/channel/status/deleted" to count, from the subscriptions themselves. */
    static Map<String, Long> subscriptionsRecounted(Store store) {
        return grouped(store, "select db_id, resource_id, channel, status, is_delete, count(*) from subscriptions "
                + "group by db_id, resource_id, channel, status, is_delete");
    }

    /** The same from the counters: the sum of the shards of each counter, zero sums left out. */
    static Map<String, Long> subscriptionsCounted(Store store) {
        return grouped(store, "select db_id, resource_id, channel, status, is_delete, sum(subscriptions) "
                + "from subscription_counters group by db_id, resource_id, channel, status, is_delete "
                + "having sum(subscriptions) <> 0");
    }

    static Map<String, Long> profilesRecounted(Store store) {
        return grouped(store, "select db_id, count(*) from profiles group by db_id");
    }

    static Map<String, Long> profilesCounted(Store store) {
        return grouped(store, "select db_id, sum(profiles) from profile_counters group by db_id having sum(profiles) <> 0");
    }

    /** Counter rows of databases or resources that no longer exist: none may be left. */
    static long orphans(Store store) {
        return store.read(h -> h.createQuery("select (select count(*) from profile_counters c where not exists "
                + "(select 1 from databases d where d.id = c.db_id)) + (select count(*) from subscription_counters c "
                + "where not exists (select 1 from databases d where d.id = c.db_id) or not exists "
                + "(select 1 from resources r where r.id = c.resource_id))").mapTo(Long.class).one());
    }

    /** The counters equal a full recount, and none is left of a deleted database or resource. */
    static void assertExact(Store store) {
        assertThat(subscriptionsCounted(store)).as("subscription counters against a recount")
                .isEqualTo(subscriptionsRecounted(store));
        assertThat(profilesCounted(store)).as("profile counters against a recount").isEqualTo(profilesRecounted(store));
        assertThat(orphans(store)).as("counter rows of deleted databases or resources").isZero();
    }

    /**
     * databases/get_counters of the database and resource, and profiles_count of databases/get, against the recount.
     */
    static void assertApiAgrees(Store store, ApiClient client, long db, long resource) {
        JsonNode answer = client.ok("databases/get_counters", "{\"id\":" + db + ",\"resource_id\":" + resource + "}")
                .path("data");
        List<String> enabled = store.read(h -> h.createQuery("select channels from resources where id = :id")
                .bind("id", resource).mapTo(String.class).one()).lines().flatMap(l -> List.of(l.split(",")).stream()).toList();
        Map<String, Long> recount = subscriptionsRecounted(store);
        for (JsonNode channel : answer) {
            String name = channel.path("channel").asText();
            long all = 0;
            for (int status = 0; status < SubscriptionCounts.STATUSES.size(); status++) {
                long n = recount.getOrDefault(key(db, resource, name, status, false), 0L);
                all += n;
                assertThat(channel.path("status").path(SubscriptionCounts.STATUSES.get(status)).asLong())
                        .as("%s %s of db %d resource %d", name, SubscriptionCounts.STATUSES.get(status), db, resource)
                        .isEqualTo(n);
            }
            long deleted = 0;
            for (int status = 0; status < SubscriptionCounts.STATUSES.size(); status++) {
                deleted += recount.getOrDefault(key(db, resource, name, status, true), 0L);
            }
            assertThat(channel.path("status").path("all").asLong()).as("all of " + name).isEqualTo(all);
            assertThat(channel.path("deleted").asLong()).as("deleted of " + name).isEqualTo(deleted);
            boolean on = enabled.contains(name);
            assertThat(channel.path("status").path("subscribed_sendable").asLong()).as("subscribed_sendable of " + name)
                    .isEqualTo(on ? recount.getOrDefault(key(db, resource, name, 0, false), 0L) : 0L);
            assertThat(channel.path("status").path("unconfirmed_sendable").asLong()).as("unconfirmed_sendable of " + name)
                    .isEqualTo(on ? recount.getOrDefault(key(db, resource, name, 4, false), 0L) : 0L);
        }
        long profiles = profilesRecounted(store).getOrDefault(String.valueOf(db), 0L);
        assertThat(client.ok("databases/get", "{\"id\":" + db + "}").path("data").path("profiles_count").asLong())
                .as("profiles_count of db " + db).isEqualTo(profiles);
    }

    static String key(long db, long resource, String channel, int status, boolean deleted) {
        return db + "/" + resource + "/" + channel + "/" + status + "/" + (deleted ? 1 : 0);
    }

    private static Map<String, Long> grouped(Store store, String sql) {
        return store.read(h -> {
            Map<String, Long> out = new TreeMap<>();
            h.createQuery(sql).map((rs, ctx) -> {
                int columns = rs.getMetaData().getColumnCount();
                StringBuilder key = new StringBuilder();
                for (int i = 1; i < columns; i++) {
                    if (i > 1) {
                        key.append('/');
                    }
                    // is_delete is a boolean on PostgreSQL and 0/1 on SQLite
                    String value = rs.getString(i);
                    key.append("t".equals(value) || "true".equals(value) ? "1" : "f".equals(value) || "false".equals(value) ? "0" : value);
                }
                return Map.entry(key.toString(), rs.getLong(columns));
            }).forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
    }
}
