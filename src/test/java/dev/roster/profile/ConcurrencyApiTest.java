package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.testing.TestServer.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Concurrent requests for one key leave one profile (docs/COMPATIBILITY.md, Identity keys and matching: keys are
 * claimed through unique indexes, never
 * check-then-insert), and concurrent updates of one profile lose nothing.
 */
class ConcurrencyApiTest extends ProfileApiSupport {

    /** Sends {@code count} requests from {@code threads} threads, all released at once by a start gate. */
    private static List<Response> concurrently(int count, int threads, String method, IntFunction<String> body)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(Math.min(count, threads));
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String request = body.apply(i);
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return call(method, request);
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).as("threads at the start gate").isTrue();
            start.countDown();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> f : futures) {
                responses.add(f.get(120, TimeUnit.SECONDS));
            }
            return responses;
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Every answer is a success naming the same profile, which exactly one of them created. */
    private static String assertOneProfile(List<Response> responses) {
        Set<String> ids = new HashSet<>();
        int created = 0;
        for (Response r : responses) {
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.error()).as(r.body()).isZero();
            ids.add(r.json().path("profile_id").asText());
            if (r.json().path("created").asBoolean()) {
                created++;
            }
        }
        assertThat(ids).hasSize(1);
        assertThat(created).isEqualTo(1);
        return ids.iterator().next();
    }

    @Test
    void concurrentImportsOfOneEmailLeaveOneProfile() throws Exception {
        long db = database();
        List<Response> responses = concurrently(64, 64, "profiles/import", i -> "{\"db_id\":" + db
                + ",\"email\":\"same@example.com\",\"data\":{\"email\":\"Same@Example.com\",\"_city\":\"City " + i + "\"}}");
        String id = assertOneProfile(responses);
        assertThat(profileCount(db)).isEqualTo(1);
        assertThat(profileIds(db)).containsExactly(id);
        assertThat(getById(db, id).path("_city").asText()).startsWith("City ");
    }

    @Test
    void parallelDistinctImportsLeaveOneProfileEach() throws Exception {
        long db = database();
        List<Response> responses = concurrently(200, 32, "profiles/import", i -> "{\"db_id\":" + db
                + ",\"email\":\"user" + i + "@example.com\",\"data\":{\"email\":\"user" + i + "@example.com\"}}");
        Set<String> ids = new HashSet<>();
        for (Response r : responses) {
            assertThat(r.error()).as(r.body()).isZero();
            assertThat(r.json().path("created").asBoolean()).isTrue();
            ids.add(r.json().path("profile_id").asText());
        }
        assertThat(ids).hasSize(200);
        assertThat(profileCount(db)).isEqualTo(200);
        assertThat(get(db, "\"email\":\"user123@example.com\"").path("id").asText()).isIn(ids);
    }

    @Test
    void concurrentImportsOfOnePhoneLeaveOneProfile() throws Exception {
        long db = database("\"phone_region\":\"RU\"");
        List<Response> responses = concurrently(64, 64, "profiles/import", i -> "{\"db_id\":" + db
                + ",\"matching\":\"phone\",\"phone\":\"" + (i % 2 == 0 ? "+79001112233" : "8 900 111-22-33")
                + "\",\"data\":{\"phones\":[\"+79001112233\"],\"_fname\":\"N" + i + "\"}}");
        String id = assertOneProfile(responses);
        assertThat(profileCount(db)).isEqualTo(1);
        assertThat(get(db, "\"matching\":\"phone\",\"phone\":\"+79001112233\"").path("id").asText()).isEqualTo(id);
    }

    @Test
    void concurrentImportsOfOneUniqueCustomValueLeaveOneProfile() throws Exception {
        long db = database();
        uniqueField(db, "CRM_ID", "string");
        List<Response> responses = concurrently(64, 64, "profiles/import", i -> "{\"db_id\":" + db
                + ",\"matching\":\"custom\",\"field_name\":\"CRM_ID\",\"field_value\":\"12345\","
                + "\"data\":{\"CRM_ID\":\"12345\",\"_fname\":\"N" + i + "\"}}");
        String id = assertOneProfile(responses);
        assertThat(profileCount(db)).isEqualTo(1);
        assertThat(get(db, "\"matching\":\"custom\",\"field_name\":\"CRM_ID\",\"field_value\":\"12345\"")
                .path("id").asText()).isEqualTo(id);
    }

    @Test
    void concurrentIncrementsAddUpExactly() throws Exception {
        long db = database();
        field(db, "VISITS", "int");
        String id = importEmail(db, "anna@example.com");
        List<Response> responses = concurrently(50, 50, "profiles/update", i -> "{\"db_id\":" + db
                + ",\"profile_id\":\"" + id + "\",\"data\":{\"VISITS\":{\"action\":\"incr\",\"value\":1}}}");
        for (Response r : responses) {
            assertThat(r.error()).as(r.body()).isZero();
            assertThat(r.json().path("profile_id").asText()).isEqualTo(id);
        }
        assertThat(getById(db, id).path("VISITS").asLong()).isEqualTo(50);
        assertThat(profileCount(db)).isEqualTo(1);
    }
}
