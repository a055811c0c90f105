package dev.roster.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.RosterApp;
import dev.roster.http.HttpSettings;
import dev.roster.json.Json;
import dev.roster.testing.ApiTest;
import dev.roster.testing.StoreRows;
import dev.roster.testing.TestServer.Response;
import dev.roster.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Idempotency keys on write methods (docs/API.md, "Idempotency keys"). */
class IdempotencyApiTest extends ApiTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static String unique(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet() + "-" + System.nanoTime();
    }

    /** A database with an int field {@code visits}, which a keyed import increments. */
    private static long database() {
        long db = createDatabase(unique("db"));
        master().ok("databases/fields_add", "{\"db_id\":" + db + ",\"name\":\"visits\",\"type\":\"int\"}");
        return db;
    }

    private static String visit(long db, String email) {
        return "{\"db_id\":" + db + ",\"data\":{\"email\":\"" + email + "\",\"visits\":{\"action\":\"incr\",\"value\":1}}}";
    }

    private static Response keyed(int port, String token, String method, String key, String body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1.1/"
                            + method)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (key != null) {
                request.header("Idempotency-Key", key);
            }
            HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response keyed(String method, String key, String body) {
        return keyed(port(), server.masterToken(), method, key, body);
    }

    private static int port() {
        return URI.create(server.url("/")).getPort();
    }

    private static boolean replayed(Response r) {
        return r.headers().firstValue("Idempotent-Replayed").map("true"::equals).orElse(false);
    }

    private static long visits(int port, String token, long db, String email) {
        return keyed(port, token, "profiles/get", null, "{\"db_id\":" + db + ",\"email\":\"" + email + "\"}")
                .data().path("visits").asLong();
    }

    @Test
    void sixtyFourConcurrentRepeatsOfOneKeyedImportApplyOnceAndAllGetTheSameAnswer() throws Exception {
        long db = database();
        String email = unique("c") + "@example.com";
        String key = unique("key");
        int n = 64;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Response>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return keyed("profiles/import", key, visit(db, email));
                }));
            }
            go.countDown();
            Set<String> bodies = new HashSet<>();
            int fresh = 0;
            for (Future<Response> f : answers) {
                Response r = f.get();
                assertThat(r.error()).as(r.body()).isEqualTo(0);
                bodies.add(r.body());
                fresh += replayed(r) ? 0 : 1;
            }
            assertThat(bodies).as("every answer the same").hasSize(1);
            assertThat(fresh).as("answers not replayed").isEqualTo(1);
        }
        assertThat(visits(port(), server.masterToken(), db, email)).isEqualTo(1);
        // without a key the same request applies again
        master().ok("profiles/import", visit(db, email));
        assertThat(visits(port(), server.masterToken(), db, email)).isEqualTo(2);
    }

    @Test
    void theSameKeyWithAnotherBodyIsAConflictAndChangesNothing() {
        long db = database();
        String key = unique("key");
        String email = unique("a") + "@example.com";
        assertThat(keyed("profiles/import", key, visit(db, email)).error()).isEqualTo(0);
        Map<String, List<String>> before = StoreRows.rows(server.store());
        Response other = keyed("profiles/import", key, visit(db, unique("b") + "@example.com"));
        assertThat(other.error()).as(other.body()).isEqualTo(409);
        assertThat(other.errorText()).contains("idempotency key", "another request");
        assertThat(replayed(other)).isFalse();
        // the same key on another method is another request too
        assertThat(keyed("profiles/update", key, visit(db, email)).error()).isEqualTo(409);
        assertThat(StoreRows.rows(server.store())).isEqualTo(before);
    }

    @Test
    void theKeyInTheBodyWorksLikeTheHeaderAndErrorsAreKeptToo() {
        long db = database();
        String email = unique("body") + "@example.com";
        String body = "{\"idempotency_key\":\"" + unique("k") + "\"," + visit(db, email).substring(1);
        Response first = keyed("profiles/import", null, body);
        assertThat(first.error()).as(first.body()).isEqualTo(0);
        assertThat(replayed(first)).isFalse();
        Response again = keyed("profiles/import", null, body);
        assertThat(replayed(again)).isTrue();
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(visits(port(), server.masterToken(), db, email)).isEqualTo(1);

        // an answer with an error is the answer: kept and replayed as well
        String bad = "{\"db_id\":" + db + ",\"data\":{\"email\":\"x@example.com\",\"visits\":\"many\"}}";
        String key = unique("bad");
        Response refused = keyed("profiles/import", key, bad);
        assertThat(refused.error()).isEqualTo(400);
        Response refusedAgain = keyed("profiles/import", key, bad);
        assertThat(replayed(refusedAgain)).isTrue();
        assertThat(refusedAgain.body()).isEqualTo(refused.body());
    }

    @Test
    void aKeyMustBeOneTo255PrintableCharactersAndAgreeBetweenHeaderAndBody() {
        long db = database();
        Map<String, List<String>> before = StoreRows.rows(server.store());
        Response tooLong = keyed("profiles/import", "k".repeat(256), visit(db, unique("l") + "@example.com"));
        assertThat(tooLong.error()).isEqualTo(400);
        assertThat(tooLong.errorText()).contains("Idempotency-Key", "255");
        Response control = keyed("profiles/import", null, "{\"idempotency_key\":\"a\\u0001b\"," + visit(db,
                unique("c") + "@example.com").substring(1));
        assertThat(control.error()).isEqualTo(400);
        assertThat(control.errorText()).contains("idempotency_key", "printable");
        Response empty = keyed("profiles/import", null, "{\"idempotency_key\":\"\"," + visit(db,
                unique("e") + "@example.com").substring(1));
        assertThat(empty.error()).isEqualTo(400);
        Response differ = keyed("profiles/import", "one", "{\"idempotency_key\":\"two\"," + visit(db,
                unique("d") + "@example.com").substring(1));
        assertThat(differ.error()).isEqualTo(400);
        assertThat(differ.errorText()).contains("differ");
        assertThat(StoreRows.rows(server.store())).isEqualTo(before);
        // 255 characters are fine
        assertThat(keyed("profiles/import", "k".repeat(255), visit(db, unique("ok") + "@example.com")).error()).isZero();
    }

    @Test
    void readsIgnoreTheKey() {
        long db = database();
        String email = unique("r") + "@example.com";
        master().ok("profiles/import", visit(db, email));
        String key = unique("read");
        Response first = keyed("profiles/get", key, "{\"db_id\":" + db + ",\"email\":\"" + email + "\"}");
        master().ok("profiles/import", visit(db, email));
        Response second = keyed("profiles/get", key, "{\"db_id\":" + db + ",\"email\":\"" + email + "\"}");
        assertThat(replayed(second)).isFalse();
        assertThat(first.data().path("visits").asLong()).isEqualTo(1);
        assertThat(second.data().path("visits").asLong()).isEqualTo(2);
    }

    @Test
    void aRepeatAfterARestartAndOnAnotherNodeReplays() throws Exception {
        TestStores.FreshStore store = TestStores.fresh();
        try {
            String token;
            long db;
            String email = unique("restart") + "@example.com";
            String key = unique("restart");
            Response first;
            try (RosterApp a = RosterApp.start(store.settings(), HttpSettings.defaults(0))) {
                token = a.bootstrap().orElseThrow().token();
                db = keyed(a.port(), token, "databases/create", null, "{\"name\":\"restart\"}").data().path("id").asLong();
                keyed(a.port(), token, "databases/fields_add", null, "{\"db_id\":" + db
                        + ",\"name\":\"visits\",\"type\":\"int\"}");
                first = keyed(a.port(), token, "profiles/import", key, visit(db, email));
                assertThat(first.error()).as(first.body()).isZero();
            }
            // a new server on the same store
            try (RosterApp b = RosterApp.start(store.settings(), HttpSettings.defaults(0))) {
                Response again = keyed(b.port(), token, "profiles/import", key, visit(db, email));
                assertThat(replayed(again)).isTrue();
                assertThat(again.body()).isEqualTo(first.body());
                assertThat(visits(b.port(), token, db, email)).isEqualTo(1);

                // two servers on one store: a key used on one replays on the other
                try (RosterApp c = RosterApp.start(store.settings(), HttpSettings.defaults(0))) {
                    String other = unique("other") + "@example.com";
                    String key2 = unique("node");
                    Response onB = keyed(b.port(), token, "profiles/import", key2, visit(db, other));
                    assertThat(replayed(onB)).isFalse();
                    Response onC = keyed(c.port(), token, "profiles/import", key2, visit(db, other));
                    assertThat(replayed(onC)).isTrue();
                    assertThat(onC.body()).isEqualTo(onB.body());
                    assertThat(visits(c.port(), token, db, other)).isEqualTo(1);
                }
            }
        } finally {
            store.cleanup().close();
        }
    }

    @Test
    void theAnswerIsValidJsonOfTheEnvelope() {
        long db = database();
        Response r = keyed("profiles/import", unique("j"), visit(db, unique("j") + "@example.com"));
        JsonNode json = Json.readStored(r.body());
        assertThat(json.path("error").asInt()).isZero();
        assertThat(json.path("profile_id").asText()).hasSize(24);
    }
}
