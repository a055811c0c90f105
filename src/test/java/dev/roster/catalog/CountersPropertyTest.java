package dev.roster.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.json.Json;
import dev.roster.testing.Property;
import dev.roster.testing.TestServer;
import dev.roster.testing.TestServer.ApiClient;
import dev.roster.testing.TestStores;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 4: after a random mix of 10,000 operations through the HTTP API (imports and batches with subscriptions,
 * subscriptions/set with random statuses, delete and undelete, profile deletes, suspend_all and unsuspend_all,
 * channels taken off and put back, resources and databases deleted and made again) the counters equal a full
 * recount of the tables, and the API answers agree with it. Checked every few hundred operations, so a failure
 * names the stretch it happened in; the seed it reports replays the same mix (see {@link Property}).
 */
@Tag("api")
class CountersPropertyTest {
    private static final int OPERATIONS = 10_000;
    private static final int CHECK_EVERY = 1000;
    private static final int PROFILES_PER_DATABASE = 150;
    private static final List<List<String>> RESOURCE_CHANNELS = List.of(List.of("email", "sms"), List.of("email"),
            List.of("sms", "email"));

    private static TestServer server;
    private static ApiClient master;
    private static ApiClient deleter;
    private static int names;

    private final List<Long> databases = new ArrayList<>();
    private final List<Long> resources = new ArrayList<>();
    /** Profile ids by database and profile number, as imports answered them (stale after a delete: then a 404). */
    private final Map<String, String> profileIds = new HashMap<>();
    private final Map<String, Integer> answers = new HashMap<>();
    private Random random;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        master = server.master();
        deleter = server.client(master.ok("tokens/create", "{\"name\":\"deleter\",\"permissions\":[\"profiles.read\","
                + "\"profiles.write\",\"profiles.delete\",\"subscriptions.write\",\"catalog.read\",\"catalog.write\"]}")
                .path("data").path("token").asText());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void countersEqualAFullRecountAfterARandomMixOfOperations() {
        Property.forAll(1, g -> g.anyLong(), this::randomMix);
    }

    private void randomMix(long seed) {
        random = new Random(seed);
        databases.clear();
        resources.clear();
        databases.add(newDatabase());
        databases.add(newDatabase());
        for (List<String> channels : RESOURCE_CHANNELS) {
            resources.add(newResource(channels));
        }
        int done = 0;
        int nextCheck = CHECK_EVERY;
        while (done < OPERATIONS) {
            done += operation();
            if (done >= nextCheck || done >= OPERATIONS) {
                check(done);
                nextCheck += CHECK_EVERY;
            }
        }
        System.out.println("Counters property (" + TestStores.current() + ", seed " + seed + "): " + done
                + " operations, answers " + answers);
        // the mix must have done each kind of write, or the property proves little
        assertThat(answers.keySet()).contains("profiles/import_batch 0", "profiles/import 0", "subscriptions/set 0",
                "subscriptions/delete 0", "subscriptions/undelete 0", "profiles/delete 0", "subscriptions/suspend_all 0",
                "subscriptions/unsuspend_all 0");
    }

    private void check(int done) {
        try {
            CounterRecount.assertExact(server.store());
            for (long db : databases) {
                for (long resource : resources) {
                    CounterRecount.assertApiAgrees(server.store(), master, db, resource);
                }
            }
        } catch (AssertionError e) {
            throw new AssertionError("after " + done + " operations: " + e.getMessage(), e);
        }
    }

    /** Runs one randomly chosen request; how many operations it was (a batch is one per item). */
    private int operation() {
        int pick = random.nextInt(1000);
        if (pick < 300) {
            return importBatch();
        } else if (pick < 400) {
            call(master, "profiles/import", importItem(true));
        } else if (pick < 650) {
            ObjectNode body = subscriptionCall();
            if (random.nextInt(3) > 0) {
                if (random.nextBoolean()) {
                    body.put("status", random.nextInt(7));
                } else {
                    body.put("status", statusWord());
                }
            }
            if (random.nextInt(4) == 0) {
                body.set("custom_fields", Json.object().put("n", random.nextInt(5)));
            }
            call(master, "subscriptions/set", body);
        } else if (pick < 760) {
            call(master, "subscriptions/delete", subscriptionCall());
        } else if (pick < 860) {
            call(master, "subscriptions/undelete", subscriptionCall());
        } else if (pick < 920) {
            ObjectNode body = Json.object().put("db_id", database()).put("email", email(random.nextInt(PROFILES_PER_DATABASE)));
            call(deleter, "profiles/delete", body);
        } else if (pick < 950) {
            call(master, random.nextBoolean() ? "subscriptions/suspend_all" : "subscriptions/unsuspend_all", scope());
        } else if (pick < 975) {
            return addBatch();
        } else if (pick < 995) {
            int which = random.nextInt(resources.size());
            List<String> channels = new ArrayList<>(RESOURCE_CHANNELS.get(which));
            if (random.nextBoolean()) {
                channels.remove(random.nextInt(channels.size()));
            }
            if (!channels.isEmpty()) {
                call(master, "resources/update", Json.object().put("id", resources.get(which))
                        .set("channels", Json.MAPPER.valueToTree(channels)));
            }
        } else if (pick < 998) {
            int which = random.nextInt(resources.size());
            call(master, "resources/delete", Json.object().put("id", resources.get(which)));
            resources.set(which, newResource(RESOURCE_CHANNELS.get(which)));
        } else {
            int which = random.nextInt(databases.size());
            call(master, "databases/delete", Json.object().put("id", databases.get(which)));
            databases.set(which, newDatabase());
        }
        return 1;
    }

    private int importBatch() {
        int n = 1 + random.nextInt(24);
        ArrayNode items = Json.array();
        for (int i = 0; i < n; i++) {
            items.add(importItem(false).path("data"));
        }
        ObjectNode body = Json.object().put("db_id", database()).put("skip_invalid_subscriptions", random.nextBoolean());
        body.set("data", items);
        call(master, "profiles/import_batch", body);
        return n;
    }

    /** add_batch makes new profiles: those whose email another profile holds fail on their own (409). */
    private int addBatch() {
        int n = 1 + random.nextInt(4);
        ArrayNode items = Json.array();
        for (int i = 0; i < n; i++) {
            items.add(importItem(false).path("data"));
        }
        ObjectNode body = Json.object().put("db_id", database());
        body.set("data", items);
        call(master, "profiles/add_batch", body);
        return n;
    }

    /** A profile import: the profile's email and a few subscriptions at its own addresses, statuses random. */
    private ObjectNode importItem(boolean topLevel) {
        int profile = random.nextInt(PROFILES_PER_DATABASE);
        long db = database();
        ObjectNode data = Json.object().put("email", email(profile));
        ArrayNode subscriptions = data.putArray("subscriptions");
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            ObjectNode sub = subscriptions.addObject();
            addressOf(sub, profile, db);
            if (random.nextBoolean()) {
                sub.put("status", random.nextInt(7));
            }
        }
        ObjectNode body = Json.object().put("db_id", db).put("email", email(profile))
                .put("skip_invalid_subscriptions", random.nextBoolean());
        body.set("data", data);
        return topLevel ? body : Json.object().set("data", data);
    }

    /** db_id, profile_id (of an imported profile, maybe deleted since) and a subscription's resource and address. */
    private ObjectNode subscriptionCall() {
        long db = database();
        int profile = random.nextInt(PROFILES_PER_DATABASE);
        String id = profileIds.getOrDefault(db + "/" + profile, "0123456789abcdef01234567");
        ObjectNode body = Json.object().put("db_id", db).put("profile_id", id);
        addressOf(body, profile, db);
        return body;
    }

    /**
     * resource_id, channel and an address of the profile: one of two emails or two phones of its own, mostly the
     * first, so that later calls often find the subscriptions that imports made.
     */
    private void addressOf(ObjectNode sub, int profile, long db) {
        int k = random.nextInt(6) == 0 ? 1 : 0;
        sub.put("resource_id", resources.get(random.nextInt(resources.size())));
        if (random.nextBoolean()) {
            sub.put("channel", "email").put("email", k == 0 ? email(profile) : "p" + profile + ".alt@example.com");
        } else {
            sub.put("channel", "sms").put("phone", String.format("+790012%d%03d%d", db % 10, profile, k));
        }
    }

    private ObjectNode scope() {
        ObjectNode body = Json.object().put("db_id", database());
        if (random.nextBoolean()) {
            body.put("channel", random.nextBoolean() ? "email" : "sms");
        }
        if (random.nextBoolean()) {
            body.put("resource_id", resources.get(random.nextInt(resources.size())));
        }
        return body;
    }

    private String statusWord() {
        return SubscriptionCounts.STATUSES.get(random.nextInt(SubscriptionCounts.STATUSES.size()));
    }

    private long database() {
        return databases.get(random.nextInt(databases.size()));
    }

    private static String email(int profile) {
        return "p" + profile + "@example.com";
    }

    private void call(ApiClient client, String method, ObjectNode body) {
        TestServer.Response response = client.call(method, body);
        int error = response.error();
        assertThat(error).as("%s %s -> %s", method, body, response.body()).isIn(0, 400, 404, 409);
        answers.merge(method + " " + error, 1, Integer::sum);
        if (error == 0) {
            remember(method, body, response.json());
        }
    }

    /** The profile ids that imports answer, so later calls can name them. */
    private void remember(String method, ObjectNode body, JsonNode answer) {
        long db = body.path("db_id").asLong();
        if (method.equals("profiles/import")) {
            profileIds.put(db + "/" + profileNumber(body.path("email").asText()), answer.path("profile_id").asText());
        } else if (method.equals("profiles/import_batch") || method.equals("profiles/add_batch")) {
            JsonNode result = answer.path("result");
            for (int i = 0; i < result.size(); i++) {
                if (result.get(i).path("error").asInt() == 0) {
                    String email = body.path("data").get(i).path("email").asText();
                    profileIds.put(db + "/" + profileNumber(email), result.get(i).path("profile_id").asText());
                }
            }
        }
    }

    private static int profileNumber(String email) {
        return Integer.parseInt(email.substring(1, email.indexOf('@')));
    }

    private static long newDatabase() {
        return master.ok("databases/create", "{\"name\":\"prop-db-" + (++names) + "\",\"phone_region\":\"RU\"}")
                .path("data").path("id").asLong();
    }

    private static long newResource(List<String> channels) {
        return master.ok("resources/create", "{\"name\":\"prop-res-" + (++names) + "\",\"channels\":"
                + Json.write(channels) + "}").path("data").path("id").asLong();
    }
}
