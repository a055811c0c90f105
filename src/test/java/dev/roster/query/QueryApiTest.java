package dev.roster.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.catalog.CatalogModel.Field;
import dev.roster.catalog.CatalogModel.Schema;
import dev.roster.catalog.FieldType;
import dev.roster.json.Json;
import dev.roster.store.StoreSettings;
import dev.roster.testing.ApiTest;
import dev.roster.testing.StoreRows;
import dev.roster.testing.TestServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** profiles/list and profiles/count: paging, projection, refusals, time limit, and the indexes the stores use. */
class QueryApiTest extends ApiTest {
    private static final JsonNodeFactory N = JsonNodeFactory.instance;
    private static final AtomicInteger NAMES = new AtomicInteger();

    /** The answer carries that error code in its envelope, and each fragment in its text. */
    static void assertAnswer(TestServer.Response response, int code, String... fragments) {
        assertThat(response.error()).as("error of %s", response.body()).isEqualTo(code);
        for (String fragment : fragments) {
            assertThat(response.errorText()).as("error_text of %s", response.body()).contains(fragment);
        }
    }

    private static long database() {
        long db = createDatabase("q-" + NAMES.incrementAndGet());
        master().ok("databases/fields_add", "{\"db_id\":" + db + ",\"name\":\"age\",\"type\":\"int\",\"indexed\":true}");
        return db;
    }

    /** Adds profiles {i, email, _city, age} and returns their ids in order of creation. */
    private static List<String> add(long db, int from, int count, java.util.function.IntFunction<ObjectNode> data) {
        List<String> ids = new ArrayList<>();
        ArrayNode items = N.arrayNode();
        for (int i = from; i < from + count; i++) {
            items.add(data.apply(i));
        }
        for (JsonNode r : master().ok("profiles/add_batch", N.objectNode().put("db_id", db).set("data", items)).path("result")) {
            assertThat(r.path("error").asInt()).as("%s", r).isZero();
            ids.add(r.path("profile_id").asText());
        }
        return ids;
    }

    private static ObjectNode person(int i) {
        return N.objectNode().put("email", "p" + i + "@Example.com").put("_city", i % 2 == 0 ? "Moscow" : "Kazan")
                .put("age", 20 + i % 30);
    }

    private static ObjectNode list(long db, JsonNode query, int limit, String from, String... fields) {
        ObjectNode body = N.objectNode().put("db_id", db).put("limit", limit);
        if (query != null) {
            body.set("query", query);
        }
        if (from != null) {
            body.put("from_id", from);
        }
        if (fields.length > 0) {
            ArrayNode f = body.putArray("fields");
            for (String name : fields) {
                f.add(name);
            }
        }
        return body;
    }

    @Test
    void pagesOfAQueryWithProjectionEndWithoutACursor() {
        long db = database();
        List<String> ids = add(db, 0, 23, QueryApiTest::person);
        List<String> moscow = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += 2) {
            moscow.add(ids.get(i));
        }
        moscow.sort(null);
        List<String> seen = new ArrayList<>();
        String from = null;
        int pages = 0;
        do {
            JsonNode page = master().ok("profiles/list", list(db, Json.readStored("{\"_city\":\"Moscow\"}"), 5, from, "_city"));
            for (JsonNode p : page.path("data")) {
                assertThat(p.size()).as("only id and the projected field: %s", p).isEqualTo(2);
                assertThat(p.path("_city").asText()).isEqualTo("Moscow");
                seen.add(p.path("id").asText());
            }
            from = page.has("next_from_id") ? page.get("next_from_id").asText() : null;
            pages++;
        } while (from != null);
        assertThat(seen).containsExactlyElementsOf(moscow);
        assertThat(pages).isEqualTo(3); // 12 profiles: 5, 5, 2 and no cursor on the last
        JsonNode count = master().ok("profiles/count", "{\"db_id\":" + db + ",\"query\":{\"_city\":\"Moscow\"}}");
        assertThat(count.path("data").path("count").asLong()).isEqualTo(12);
        // without a query: every profile, in the profiles/get shape
        JsonNode all = master().ok("profiles/list", "{\"db_id\":" + db + "}");
        assertThat(all.path("data")).hasSize(23);
        assertThat(all.has("next_from_id")).isFalse();
        JsonNode one = all.path("data").get(0);
        JsonNode got = master().ok("profiles/get", "{\"db_id\":" + db + ",\"matching\":\"profile_id\",\"profile_id\":\""
                + one.path("id").asText() + "\"}").path("data");
        assertThat(one).isEqualTo(got);
    }

    @Test
    void listedProfilesAreWhatProfilesGetShowsAlsoWithSubscriptionsAndInXml() {
        long db = database();
        long resource = master().ok("resources/create", "{\"name\":\"qr" + NAMES.incrementAndGet()
                + "\",\"channels\":[\"email\",\"sms\"],\"db_ids\":[" + db + "]}").path("data").path("id").asLong();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // a second address of the same domain in a subscription (two email keys of the domain for one profile),
            // and text that JSON must escape
            ids.add(master().ok("profiles/import", "{\"db_id\":" + db + ",\"email\":\"Ann" + i + "@Example.com\","
                    + "\"data\":{\"email\":\"Ann" + i + "@Example.com\",\"_fname\":\"\\\"Ann\\\" \\\\ Ли\",\"age\":" + (20 + i)
                    + ",\"subscriptions\":[{\"resource_id\":" + resource + ",\"channel\":\"email\",\"email\":\"other" + i
                    + "@example.com\"},{\"resource_id\":" + resource + ",\"channel\":\"sms\",\"phone\":\"+7900000000" + i
                    + "\"}]}}").path("profile_id").asText());
        }
        // a profile whose subscription has the domain, but its own email another: not a match of _emaildomain
        master().ok("profiles/import", "{\"db_id\":" + db + ",\"email\":\"x@other.org\",\"data\":{\"email\":"
                + "\"x@other.org\",\"subscriptions\":[{\"resource_id\":" + resource + ",\"channel\":\"email\","
                + "\"email\":\"x@example.com\"}]}}");
        for (String query : List.of("{}", "{\"_emaildomain\":\"example.com\"}")) {
            List<String> listed = new ArrayList<>();
            String from = null;
            do {
                JsonNode page = master().ok("profiles/list", "{\"db_id\":" + db + ",\"query\":" + query + ",\"limit\":2"
                        + (from == null ? "" : ",\"from_id\":\"" + from + "\"") + "}");
                for (JsonNode one : page.path("data")) {
                    listed.add(one.path("id").asText());
                    JsonNode got = master().ok("profiles/get", "{\"db_id\":" + db + ",\"matching\":\"profile_id\","
                            + "\"profile_id\":\"" + one.path("id").asText() + "\"}").path("data");
                    assertThat(one).as("listed with %s", query).isEqualTo(got);
                }
                from = page.has("next_from_id") ? page.get("next_from_id").asText() : null;
            } while (from != null);
            if (query.equals("{}")) {
                assertThat(listed).hasSize(4).containsAll(ids);
            } else {
                assertThat(listed).containsExactlyElementsOf(ids);
            }
        }
        TestServer.Response xml = server.send(server.request("/api/v1.1/profiles/list?format=xml")
                .header("Authorization", "Bearer " + server.masterToken()).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"db_id\":" + db + "}")));
        assertThat(xml.status()).isEqualTo(200);
        assertThat(xml.body()).contains("<error>0</error>").contains(ids.get(0)).contains("other0@example.com");
    }

    @Test
    void keysetPagingShowsEveryLastingProfileOnceWhateverIsWrittenMeanwhile() {
        long db = database();
        List<String> lasting = add(db, 1000, 120, QueryApiTest::person);
        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        String from = null;
        int round = 0;
        do {
            JsonNode page = master().ok("profiles/list", list(db, null, 7, from, "id"));
            page.path("data").forEach(p -> order.add(p.path("id").asText()));
            page.path("data").forEach(p -> seen.add(p.path("id").asText()));
            from = page.has("next_from_id") ? page.get("next_from_id").asText() : null;
            // between pages: new profiles, updates of lasting ones, and deletion of the new ones
            List<String> added = add(db, 5000 + round * 10, 3, QueryApiTest::person);
            master().ok("profiles/update", "{\"db_id\":" + db + ",\"profile_id\":\"" + lasting.get(round % lasting.size())
                    + "\",\"data\":{\"_city\":\"Omsk\"}}");
            round++;
            assertThat(added).hasSize(3);
        } while (from != null);
        assertThat(order).doesNotHaveDuplicates();
        assertThat(seen).containsAll(lasting);
        assertThat(order).isSorted();
    }

    @Test
    void badQueriesAreRefusedNamingWhatIsWrong() {
        long db = database();
        add(db, 0, 3, QueryApiTest::person);
        StringBuilder deep = new StringBuilder("{\"_city\":");
        for (int i = 0; i < 40; i++) {
            deep.append("{\"$not\":");
        }
        deep.append("{\"$eq\":\"x\"}").append("}".repeat(41));
        StringBuilder large = new StringBuilder("{\"$or\":[");
        for (int i = 0; i < 600; i++) {
            large.append(i == 0 ? "" : ",").append("{\"_city\":\"c").append(i).append("\"}");
        }
        large.append("]}");
        Map<String, String> refusals = new java.util.LinkedHashMap<>();
        refusals.put("{\"nope\":1}", "unknown field 'nope'");
        refusals.put("{\"_city\":{\"$foo\":1}}", "unknown operator '$foo'");
        refusals.put("{\"$where\":\"1\"}", "unknown operator '$where'");
        refusals.put("{\"age\":\"abc\"}", "'age'");
        refusals.put("{\"age\":{\"$regex\":\"1\"}}", "not text");
        refusals.put("{\"_bdate\":{\"$gt\":\"01/02/2023\"}}", "_bdate");
        refusals.put("{\"email\":\"not an email\"}", "email");
        refusals.put("{\"_city\":{\"$regex\":\"(\"}}", "$regex");
        refusals.put("{\"_city\":{\"$in\":\"Moscow\"}}", "$in");
        refusals.put("{\"_md5\":\"x\"}", "_md5");
        refusals.put("{\"subscriptions\":{\"$elemMatch\":{\"nope\":1}}}", "unknown subscription field 'nope'");
        refusals.put("{\"phones\":\"12\"}", "phones");
        refusals.put(deep.toString(), "deeper than the limit of 32");
        refusals.put(large.toString(), "more than the limit of 1000 nodes");
        refusals.put("[1]", "query");
        Map<String, List<String>> before = StoreRows.rows(server.store());
        refusals.forEach((query, fragment) -> {
            assertAnswer(master().call("profiles/list", "{\"db_id\":" + db + ",\"query\":" + query + "}"), 400, fragment);
            assertAnswer(master().call("profiles/count", "{\"db_id\":" + db + ",\"query\":" + query + "}"), 400, fragment);
        });
        assertAnswer(master().call("profiles/list", "{\"db_id\":" + db + ",\"limit\":0}"), 400, "limit");
        assertAnswer(master().call("profiles/list", "{\"db_id\":" + db + ",\"limit\":1001}"), 400, "limit");
        assertAnswer(master().call("profiles/list", "{\"db_id\":" + db + ",\"from_id\":\"garbage\"}"), 400, "from_id");
        assertAnswer(master().call("profiles/list", "{\"db_id\":" + db + ",\"fields\":[\"nope\"]}"), 400, "nope");
        assertAnswer(master().call("profiles/list", "{\"db_id\":999999}"), 404);
        assertThat(StoreRows.rows(server.store())).isEqualTo(before);
    }

    @Test
    void aHostileRegexStopsAtTheTimeLimitWhileOtherRequestsAreServed() throws Exception {
        try (TestServer slow = TestServer.startWithStore(s -> new StoreSettings(s.dbUrl(), s.dataDir(), s.poolSize(), 1500))) {
            TestServer.ApiClient api = slow.master();
            long db = api.ok("databases/create", "{\"name\":\"regex\"}").path("data").path("id").asLong();
            ArrayNode items = N.arrayNode();
            for (int i = 0; i < 400; i++) {
                items.addObject().put("email", "r" + i + "@example.com").put("_fname", "a".repeat(30) + "!");
            }
            api.ok("profiles/add_batch", N.objectNode().put("db_id", db).set("data", items));
            long start = System.nanoTime();
            CompletableFuture<TestServer.Response> hostile = CompletableFuture.supplyAsync(() -> api.call("profiles/count",
                    "{\"db_id\":" + db + ",\"query\":{\"_fname\":{\"$regex\":\"^(a|aa)+$\"}}}"));
            int served = 0;
            while (!hostile.isDone()) {
                long asked = System.nanoTime();
                api.ok("databases/list", "{}");
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked)).as("a request during the query")
                        .isLessThan(1000);
                served++;
            }
            TestServer.Response answer = hostile.get();
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(took).as("the hostile query's answer").isLessThan(1500 + 3000);
            if (answer.error() != 0) {
                assertAnswer(answer, 400, "longer than the limit of 1500 ms", "--query-timeout");
            } else {
                assertThat(answer.data().path("count").asLong()).isZero();
            }
            assertThat(served).isPositive();
            // the server goes on answering queries
            assertThat(api.ok("profiles/count", "{\"db_id\":" + db + ",\"query\":{\"_fname\":{\"$regex\":\"^a\"}}}")
                    .path("data").path("count").asLong()).isEqualTo(400);
        }
    }

    @Test
    void equalityAndRangeFiltersUseIndexes() {
        long db = database();
        master().ok("databases/fields_add", "{\"db_id\":" + db + ",\"name\":\"visit\",\"type\":\"date\",\"indexed\":true}");
        master().ok("databases/fields_add", "{\"db_id\":" + db + ",\"name\":\"crm\",\"type\":\"string\",\"unique\":true}");
        add(db, 0, 50, i -> person(i).put("visit", "2024-01-" + String.format("%02d", 1 + i % 28)).put("crm", "c" + i)
                .set("phones", N.arrayNode().add(String.format("+7900%07d", i))));
        JsonNode fields = master().ok("databases/fields_get", "{\"db_id\":" + db + "}").path("data");
        for (JsonNode f : fields) {
            if (f.path("name").asText().matches("age|visit|crm")) {
                assertThat(f.path("indexed").asBoolean()).as("%s", f).isTrue();
            }
        }
        Schema schema = new Schema(db, null, true, Map.of("age", new Field("age", FieldType.INT, false, null),
                "visit", new Field("visit", FieldType.DATE, false, null),
                "crm", new Field("crm", FieldType.STRING, true, null)));
        Map<String, String> queries = new java.util.LinkedHashMap<>();
        queries.put("{\"age\":30}", "profiles_f" + db + "_");
        queries.put("{\"age\":{\"$gte\":25,\"$lt\":28}}", "profiles_f" + db + "_");
        queries.put("{\"visit\":{\"$gt\":\"2024-01-20\",\"$lte\":\"2024-01-22\"}}", "profiles_f" + db + "_");
        queries.put("{\"crm\":\"c7\"}", "profiles_f" + db + "_");
        queries.put("{\"email\":\"P7@example.com\"}", "profile_keys");
        queries.put("{\"email\":{\"$gte\":\"p3\",\"$lt\":\"p4\"}}", "profile_keys");
        queries.put("{\"phones\":\"+79000000007\"}", "profile_keys");
        queries.put("{\"phones\":{\"$gt\":\"+79000000040\",\"$lt\":\"+79000000045\"}}", "profile_keys");
        queries.put("{\"_createtime\":{\"$gte\":\"2024-01-01\",\"$lt\":\"2024-02-01\"}}", "profiles_db_created");
        queries.put("{\"_createtime\":\"2024-01-01T00:00:00Z\"}", "profiles_db_created");
        queries.forEach((query, index) -> {
            List<String> plan = server.store().read(h -> {
                if (server.store().querySyntax().explain("").startsWith("explain ") && !server.store().querySyntax()
                        .explain("").contains("query plan")) {
                    h.execute("set enable_seqscan = off"); // a tiny table: show that the index can serve the filter
                }
                h.execute("analyze profiles");
                return QuerySql.explain(h, server.store().querySyntax(), new QuerySql.Scope(db, null),
                        QueryParser.parse(Json.readStored(query), schema));
            });
            String text = String.join("\n", plan);
            assertThat(text).as("plan of %s", query).containsIgnoringCase(index);
            assertThat(text).as("plan of %s", query).containsPattern("(?i)(using (covering )?index|index (only )?scan|bitmap index)");
        });
    }
}
