package dev.roster.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * subscriptions/set is a profile write like any other: the same random subscription changes, sent once through
 * subscriptions/set and once as profiles/update items of data.subscriptions, leave the same subscriptions, keys and
 * history, and refuse the same changes (an address another profile holds as its key).
 */
class SubscriptionSetVersusImportApiTest extends SubscriptionApiSupport {
    private static final String[] STATUSES = {"subscribed", "unsubscribed", "suspended", "unconfirmed"};

    @Test
    void subscriptionsSetLeavesWhatAnUpdateWithTheSameSubscriptionLeaves() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long r = resource("email", "sms");
        long viaSet = database();
        long viaUpdate = database();
        String setId = profile(viaSet, "owner@example.com");
        String updateId = profile(viaUpdate, "owner@example.com");
        // another profile in each database holds this address as its email: a subscription to it is refused (409)
        String setOwner = profile(viaSet, "taken@example.com");
        String updateOwner = profile(viaUpdate, "taken@example.com");
        String[] emails = {"a@example.com", "B@Example.com", "b@example.com", "taken@example.com", "owner@example.com"};
        String[] phones = {"+79005550001", "+79005550002"};
        for (int step = 0; step < 60; step++) {
            ObjectNode sub = Json.object();
            boolean email = random.nextBoolean();
            sub.put("channel", email ? "email" : "sms");
            if (email) {
                sub.put("email", emails[random.nextInt(emails.length)]);
            } else {
                sub.put("phone", phones[random.nextInt(phones.length)]);
            }
            if (random.nextBoolean()) {
                sub.put("status", STATUSES[random.nextInt(STATUSES.length)]);
            }
            if (random.nextInt(3) == 0) {
                sub.put("priority", random.nextInt(4));
            }
            if (random.nextInt(3) == 0) {
                sub.putObject("custom_fields").put("visits", random.nextInt(3));
            }
            if (random.nextInt(4) == 0) {
                sub.putArray("cats").add("c" + random.nextInt(2));
            }
            ObjectNode setBody = sub.deepCopy();
            setBody.put("db_id", viaSet);
            setBody.put("profile_id", setId);
            setBody.put("resource_id", r);
            ObjectNode item = sub.deepCopy();
            item.put("resource_id", r);
            ObjectNode updateBody = Json.object();
            updateBody.put("db_id", viaUpdate);
            updateBody.put("profile_id", updateId);
            updateBody.putObject("data").putArray("subscriptions").add(item);

            JsonNode bySet = call("subscriptions/set", Json.write(setBody)).json();
            JsonNode byUpdate = call("profiles/update", Json.write(updateBody)).json();
            String at = "seed " + seed + ", step " + step + ": " + sub;
            assertThat(bySet.path("error").asInt()).as(at).isEqualTo(byUpdate.path("error").asInt());
            if (bySet.path("error").asInt() != 0) {
                assertThat(bySet.path("error").asInt()).as(at).isEqualTo(409);
                // the owner is named: the other database's profile of the same email
                assertThat(bySet.path("error_text").asText().replace(setOwner, "<owner>")).as(at)
                        .isEqualTo(byUpdate.path("error_text").asText().replace(updateOwner, "<owner>"));
            }
        }
        String at = "seed " + seed;
        assertThat(subscriptionsOf(viaSet, setId)).as(at).isEqualTo(subscriptionsOf(viaUpdate, updateId));
        assertThat(historyOf(viaSet, setId)).as(at).isEqualTo(historyOf(viaUpdate, updateId));
        for (String email : emails) {
            assertThat(ownerIsTheProfile(viaSet, email, setId)).as(at + ", " + email)
                    .isEqualTo(ownerIsTheProfile(viaUpdate, email, updateId));
        }
    }

    @Test
    void concurrentSetsOfOneProfileEachApplyOnceAndOneOfAnAddressCreatesIt() throws Exception {
        long db = database();
        long r = resource("email");
        String id = profile(db, "busy@example.com");
        int threads = 32;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<JsonNode>> answers = new ArrayList<>();
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            for (int i = 0; i < threads; i++) {
                // half add their own address, half set the one shared address
                String email = i % 2 == 0 ? "own" + i + "@example.com" : "shared@example.com";
                answers.add(pool.submit(() -> {
                    start.await();
                    return call("subscriptions/set", body(db, id, r, "\"channel\":\"email\",\"email\":\"" + email
                            + "\",\"status\":\"unconfirmed\"")).json();
                }));
            }
            start.countDown();
            int sharedCreated = 0;
            for (int i = 0; i < threads; i++) {
                JsonNode answer = answers.get(i).get();
                assertThat(answer.path("error").asInt()).as(answer.toString()).isZero();
                if (i % 2 == 1 && answer.path("created").asBoolean()) {
                    sharedCreated++;
                }
                if (i % 2 == 0) {
                    assertThat(answer.path("created").asBoolean()).as(answer.toString()).isTrue();
                }
            }
            assertThat(sharedCreated).as("answers that created the shared subscription").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        JsonNode all = list(db, id);
        assertThat(all.size()).isEqualTo(threads / 2 + 1);
        // each address is now a key of this profile, and history holds one added event per subscription
        assertThat(ok("profiles/get", "{\"db_id\":" + db + ",\"email\":\"shared@example.com\"}")
                .path("data").path("id").asText()).isEqualTo(id);
        assertThat(historyOf(db, id).stream().filter(e -> e.startsWith("subscription_add ")).count())
                .isEqualTo(threads / 2 + 1);
    }

    /** The profile's subscriptions as profiles/get shows them, without what depends on its id and the clock. */
    private static List<String> subscriptionsOf(long db, String id) {
        JsonNode subs = ok("profiles/get", "{\"db_id\":" + db + ",\"matching\":\"profile_id\",\"profile_id\":\"" + id + "\"}")
                .path("data").path("subscriptions");
        List<String> out = new ArrayList<>();
        for (JsonNode s : subs) {
            ObjectNode copy = s.deepCopy();
            copy.remove(List.of("hash_id", "reg_info"));
            out.add(copy.toString());
        }
        return out;
    }

    /** The actions of the profile's history with their details, in order (the first is its creation). */
    private static List<String> historyOf(long db, String id) {
        String xxh = ok("profiles/get", "{\"db_id\":" + db + ",\"matching\":\"profile_id\",\"profile_id\":\"" + id + "\"}")
                .path("data").path("_xxh").asText();
        ArrayNode rows = (ArrayNode) ok("subscribers/history_get", "{\"list_id\":" + db + ",\"xxh\":\"" + xxh + "\"}")
                .path("data");
        List<String> out = new ArrayList<>();
        for (JsonNode row : rows) {
            ObjectNode subscription = row.path("subscription").isObject()
                    ? ((ObjectNode) row.path("subscription")).deepCopy() : Json.object();
            subscription.remove(List.of("hash_id", "resource_id", "resource_name"));
            out.add(row.path("action").asText() + " " + subscription + " " + row.path("detail"));
        }
        return out;
    }

    private static boolean ownerIsTheProfile(long db, String email, String id) {
        JsonNode found = call("profiles/get", "{\"db_id\":" + db + ",\"email\":\"" + email + "\"}").json();
        return found.path("error").asInt() == 0 && found.path("data").path("id").asText().equals(id);
    }
}
