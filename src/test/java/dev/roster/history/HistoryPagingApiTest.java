package dev.roster.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import dev.roster.testing.TestStores;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/** history_get_all's cursor (issue 4, item 5): never skips or repeats a row while others write during paging. */
class HistoryPagingApiTest extends HistoryApiSupport {

    @Test
    void everyEventThatExistedThroughoutIsSeenExactlyOnceWhileOthersInsertUpdateAndDelete() throws Exception {
        long db = database();
        long r = resource(unique("paging"), "email");
        List<String> stay = new ArrayList<>();
        List<String> doomed = new ArrayList<>();
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            String email = unique("p" + i) + "@example.com";
            items.append(i == 0 ? "" : ",").append("{\"email\":\"").append(email).append("\",\"_fname\":\"n").append(i)
                    .append("\",\"subscriptions\":[{\"channel\":\"email\",\"email\":\"").append(email)
                    .append("\",\"resource_id\":").append(r).append("}]}");
            (i % 3 == 0 ? doomed : stay).add(email);
        }
        master().ok("profiles/import_batch", "{\"db_id\":" + db + ",\"data\":[" + items + "]}");

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String period = "\"list_id\":" + db + ",\"date_from\":\"" + today + "\",\"date_to\":\"" + today + "\"";
        Map<Long, String> before = eventsById(master().ok("subscribers/history_get_all", "{" + period
                + ",\"limit\":10000}").path("data"));
        assertThat(before).hasSize(120);

        // a writer running beside the pager: new profiles and changed fields, a round while each next page is read
        AtomicBoolean paging = new AtomicBoolean(true);
        AtomicInteger concurrentWrites = new AtomicInteger();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Semaphore turns = new Semaphore(0); // a round of writes per page read, running while the next page is read
        Future<?> writes = writer.submit(() -> {
            for (int n = 0; ; n++) {
                turns.acquire();
                if (!paging.get()) {
                    return null;
                }
                master().ok("profiles/import", "{\"db_id\":" + db + ",\"data\":{\"email\":\"" + unique("new")
                        + "@example.com\"}}");
                String someone = stay.get(n % stay.size());
                master().ok("profiles/import", "{\"db_id\":" + db + ",\"data\":{\"email\":\"" + someone
                        + "\",\"_lname\":\"v" + n + "\"}}");
                concurrentWrites.addAndGet(2);
            }
        });

        // the pager, which also deletes a profile and suspends subscriptions between its pages
        Set<String> deletedProfiles = new HashSet<>();
        long lastBefore = before.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
        var deleter = token(unique("deleter"), "profiles.delete");
        SeenCounts seen = new SeenCounts();
        String cursor = null;
        int pages = 0;
        while (true) {
            JsonNode page = master().ok("subscribers/history_get_all", "{" + period + ",\"limit\":7"
                    + (cursor == null ? "" : ",\"from_id\":\"" + cursor + "\"") + "}");
            JsonNode rows = page.path("data");
            if (rows.isEmpty() && !paging.get()) {
                break; // the end, with nobody writing any more
            }
            rows.forEach(row -> seen.add(row.path("id").asLong()));
            cursor = page.path("next_from_id").asText();
            pages++;
            turns.release();
            if (pages <= doomed.size()) {
                String email = doomed.get(pages - 1);
                JsonNode got = master().ok("profiles/get", "{\"db_id\":" + db + ",\"email\":\"" + email + "\"}");
                deletedProfiles.add(got.path("data").path("id").asText());
                deleter.ok("profiles/delete", "{\"db_id\":" + db + ",\"email\":\""
                        + email + "\"}");
            }
            if (pages == 3 || pages == 9) {
                master().ok("subscriptions/suspend_all", "{\"db_id\":" + db + "}");
                master().ok("subscriptions/unsuspend_all", "{\"db_id\":" + db + "}");
            }
            long cursorId = Long.parseLong(cursor.substring(cursor.indexOf(':') + 1));
            if (paging.get() && pages >= doomed.size() && cursorId > lastBefore) {
                // past every event of the start, all deletes done: stop the writer, then read on to the end
                paging.set(false);
                turns.release();
                writes.get();
                assertThat(concurrentWrites.get()).as("writes made while paging").isPositive();
            }
            if (pages > 10_000) {
                throw new AssertionError("the cursor never reached the end");
            }
        }
        writer.shutdown();

        // every event of the start that no delete removed: seen exactly once; no event at all seen twice
        Set<Long> throughout = new HashSet<>();
        before.forEach((id, profile) -> {
            if (!deletedProfiles.contains(profile)) {
                throughout.add(id);
            }
        });
        assertThat(throughout).hasSize(80);
        for (long id : throughout) {
            assertThat(seen.count(id)).as("times event %d was seen", id).isEqualTo(1);
        }
        assertThat(seen.repeated()).as("events seen twice").isEmpty();
        assertThat(seen.size()).as("events written while paging were seen too").isGreaterThan(throughout.size());
        assertThat(pages).isGreaterThan(doomed.size());
    }

    private static Map<Long, String> eventsById(JsonNode rows) {
        Map<Long, String> out = new HashMap<>();
        rows.forEach(row -> out.put(row.path("id").asLong(), row.path("profile_id").asText()));
        return out;
    }

    /** How many times each event id was seen. */
    private static final class SeenCounts {
        private final Map<Long, Integer> counts = new HashMap<>();

        void add(long id) {
            counts.merge(id, 1, Integer::sum);
        }

        int count(long id) {
            return counts.getOrDefault(id, 0);
        }

        int size() {
            return counts.size();
        }

        List<Long> repeated() {
            return counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        }
    }

    /**
     * On PostgreSQL transactions commit out of id order: an event whose transaction is still open when a page is read
     * has a lower id than events committed after it. The cursor must not pass it: it is seen once it commits. SQLite
     * has one writer, so there the other profile is written after the slow transaction commits (an API write would
     * wait for it); the cursor must still return every event once.
     */
    @Test
    void anEventOfATransactionStillOpenWhileAPageIsReadIsSeenOnceItCommits() {
        long db = database();
        String otherImport = "{\"db_id\":" + db + ",\"data\":{\"email\":\"" + unique("b") + "@example.com\"}}";
        master().ok("profiles/import", "{\"db_id\":" + db + ",\"data\":{\"email\":\"" + unique("a") + "@example.com\"}}");
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String period = "\"list_id\":" + db + ",\"date_from\":\"" + today + "\",\"date_to\":\"" + today + "\"";
        long slowId;
        Set<Long> seen = new HashSet<>();
        String cursor;
        try (Handle slow = server.openHandle()) {
            slow.begin();
            if (TestStores.isPostgres()) {
                // a Roster writer registers first, as Store.write does: the cursor waits for writers only
                slow.createQuery("select roster_register_writer()").mapTo(String.class).list();
            }
            // a slow writer: its event's id is taken now, its commit comes later
            slowId = slow.createQuery("insert into history_events (db_id, profile_id, xxh, at, action, token_name) "
                            + "values (:db, 'slowprofile', '0000000000000000', :at, 'fields_update', 'slow') returning id")
                    .bind("db", db).bind("at", System.currentTimeMillis()).mapTo(Long.class).one();
            if (TestStores.isPostgres()) {
                master().ok("profiles/import", otherImport); // committed while the slow one is open, with a higher id
            }
            JsonNode page = master().ok("subscribers/history_get_all", "{" + period + "}");
            page.path("data").forEach(row -> assertThat(seen.add(row.path("id").asLong())).isTrue());
            assertThat(seen).doesNotContain(slowId);
            cursor = page.path("next_from_id").asText();
            slow.commit();
        }
        if (!TestStores.isPostgres()) {
            master().ok("profiles/import", otherImport);
        }
        JsonNode rest = master().ok("subscribers/history_get_all", "{" + period + ",\"from_id\":\"" + cursor + "\"}");
        rest.path("data").forEach(row -> assertThat(seen.add(row.path("id").asLong())).as("seen twice").isTrue());
        JsonNode all = master().ok("subscribers/history_get_all", "{" + period + "}");
        Set<Long> every = new HashSet<>();
        all.path("data").forEach(row -> every.add(row.path("id").asLong()));
        assertThat(every).contains(slowId).hasSize(3);
        assertThat(seen).isEqualTo(every);
    }
}
