package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The same random writes sent one by one (profiles/import) and as one batch (profiles/import_batch) into two
 * databases set up alike: the answers and the stored profiles are the same, whichever way they went in. Seeded; the
 * seed is in every failure message.
 */
class SingleVersusBatchApiTest extends ProfileApiSupport {
    private static final int ROUNDS = 4;
    private static final int ITEMS = 40;

    /** An item of {@link #item}, or for matching by phone: phones always, the email only every other time. */
    private static ObjectNode item(SplittableRandom random, long resource, boolean byPhone) {
        ObjectNode data = item(random, resource);
        if (byPhone) {
            if (!data.has("phones")) {
                String email = data.path("email").asText().toLowerCase(java.util.Locale.ROOT);
                int who = email.startsWith("p") ? Integer.parseInt(email.substring(1, email.indexOf('@')))
                        : Integer.parseInt(email.substring(email.lastIndexOf('-') + 1));
                data.putArray("phones").add(String.format("+7900%07d", who * 10 + random.nextInt(2)));
            }
            if (random.nextBoolean()) {
                data.remove("email");
            }
        }
        return data;
    }

    private static ObjectNode item(SplittableRandom random, long resource) {
        ObjectNode data = Json.object();
        int who = random.nextInt(15); // few people: later items update earlier ones
        String email = "p" + who + "@example.com";
        if (random.nextInt(10) == 0) {
            email = "broken-" + who; // a bad item: 400, the others go on
        }
        data.put("email", random.nextBoolean() ? email : email.toUpperCase());
        if (random.nextBoolean()) {
            data.put("_fname", "Name" + random.nextInt(3));
        }
        if (random.nextInt(3) == 0) {
            data.putArray("phones").add(String.format("+7900%07d", who * 10 + random.nextInt(2)));
        }
        if (random.nextInt(4) == 0) {
            data.put("CRM", "c" + random.nextInt(20));
        }
        if (random.nextInt(3) == 0) {
            ObjectNode s = data.putArray("subscriptions").addObject().put("channel", "email").put("email", email)
                    .put("resource_id", resource);
            if (random.nextBoolean()) {
                s.put("status", random.nextBoolean() ? "subscribed" : "unsubscribed");
            }
        }
        return data;
    }

    /** The answer without what differs between two databases by nature (ids, times). */
    private static JsonNode comparable(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode o) {
            Iterator<String> names = o.fieldNames();
            List<String> drop = new ArrayList<>();
            names.forEachRemaining(n -> {
                if (n.equals("id") || n.equals("profile_id") || n.equals("db_id") || n.equals("batch_duplicates")
                        || n.equals("_xxh") || n.equals("hash_id") || n.equals("date") // derived from the id, or a time
                        || n.contains("time") || n.endsWith("_at")) {
                    drop.add(n);
                }
            });
            o.remove(drop);
            o.forEach(SingleVersusBatchApiTest::strip);
        } else if (node instanceof ArrayNode a) {
            a.forEach(SingleVersusBatchApiTest::strip);
        }
    }

    @Test
    void theSameItemsOneByOneAndAsABatchGiveTheSameAnswersAndProfiles() {
        compare(resource -> "\"matching\":\"email\"");
    }

    /**
     * Matching narrowed to a resource: every item is looked up (no unique key answers it), and the batch keeps together
     * the items whose emails and phones no earlier item of it carries.
     */
    @Test
    void itemsMatchedByALookupGiveTheSameAnswersAndProfilesToo() {
        compare(resource -> "\"matching\":\"email\",\"resource_id\":" + resource);
    }

    /**
     * Phones that are not unique, matched by phone: a lookup, which finds the profiles of earlier items only once they
     * are written (no key claim catches two items of one number), so the batch must stop before such an item.
     */
    @Test
    void itemsMatchedByAPhoneThatIsNotUniqueGiveTheSameAnswersAndProfiles() {
        compare(resource -> "\"matching\":\"phone\"", "\"unique_phones\":false");
    }

    private void compare(java.util.function.LongFunction<String> matching) {
        compare(matching, "\"unique_phones\":true");
    }

    private void compare(java.util.function.LongFunction<String> matching, String databaseOptions) {
        long seed = Long.getLong("roster.test.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        long single = database(databaseOptions);
        long batch = database(databaseOptions);
        for (long db : List.of(single, batch)) {
            uniqueField(db, "CRM", "string");
        }
        long resource = resource("email");
        for (int round = 0; round < ROUNDS; round++) {
            List<ObjectNode> items = new ArrayList<>();
            for (int i = 0; i < ITEMS; i++) {
                items.add(item(random, resource, databaseOptions.contains("false")));
            }
            List<JsonNode> one = new ArrayList<>();
            for (ObjectNode data : items) {
                JsonNode answer = call("profiles/import", "{\"db_id\":" + single + "," + matching.apply(resource)
                        + ",\"data\":" + data + "}").json();
                one.add(comparable(answer));
            }
            JsonNode all = ok("profiles/import_batch", "{\"db_id\":" + batch + "," + matching.apply(resource)
                    + ",\"data\":" + Json.write(items) + "}").path("result");
            for (int i = 0; i < ITEMS; i++) {
                JsonNode a = one.get(i);
                JsonNode b = comparable(all.get(i));
                assertThat(b.path("error").asInt()).as("seed %d round %d item %d %s: %s / %s; items %s", seed, round, i,
                        items.get(i), a, b, items.subList(0, i + 1)).isEqualTo(a.path("error").asInt());
                if (a.path("error").asInt() == 0) {
                    assertThat(b.path("created")).as("seed %d round %d item %d %s", seed, round, i, items.get(i))
                            .isEqualTo(a.path("created"));
                } else {
                    // the texts may name a profile, whose id differs between the two databases
                    assertThat(b.path("error_text").asText().replaceAll("[0-9a-f]{24}", "<id>"))
                            .as("seed %d round %d item %d", seed, round, i)
                            .isEqualTo(a.path("error_text").asText().replaceAll("[0-9a-f]{24}", "<id>"));
                }
            }
            assertThat(profiles(batch)).as("seed %d round %d: profiles", seed, round).isEqualTo(profiles(single));
            assertThat(profileCount(batch)).as("seed %d round %d: how many", seed, round).isEqualTo(profileCount(single));
            assertThat(profilesByPhone(batch)).as("seed %d round %d: by phone", seed, round)
                    .isEqualTo(profilesByPhone(single));
        }
    }

    /** Every profile's phones, email and name, sorted: profiles known only by a phone included. */
    private static List<String> profilesByPhone(long db) {
        return server.store().read(h -> h.createQuery("select data from profiles where db_id = :db").bind("db", db)
                        .mapTo(String.class).list()).stream().map(Json::readStored)
                .map(d -> d.path("phones") + "|" + d.path("email").asText() + "|" + d.path("_fname").asText()
                        + "|" + d.path("CRM").asText()).sorted().toList();
    }

    private static List<JsonNode> profiles(long db) {
        List<JsonNode> out = new ArrayList<>();
        for (int who = 0; who < 15; who++) {
            var response = getCall(db, "\"email\":\"p" + who + "@example.com\"");
            out.add(response.error() == 0 ? comparable(response.data()) : Json.object().put("error", response.error()));
        }
        return out;
    }
}
