package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.testing.TestServer.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The rule that matters most (docs/API.md, "Matching"): sending the same import twice never creates two profiles. For
 * every matching mode that creates, random bodies over a few keys, each written in varied but equivalent forms, are
 * imported twice in a row, and again all at once from 16 threads; the database then holds exactly one profile per
 * distinct key. ({@code profile_id} never creates, so it has nothing to duplicate.)
 */
class MatchingPropertyApiTest extends ProfileApiSupport {
    private static final long SEED = Long.getLong("roster.seed", System.nanoTime());
    private static final int KEYS = 5;
    private static final int BODIES = 12;

    private record Body(int key, String json) {
    }

    private interface Shape {
        String body(long db, long resource, int key, SplittableRandom random);
    }

    private static String anyCase(String text, SplittableRandom random) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        return out.toString();
    }

    private static String email(int key, SplittableRandom random) {
        return anyCase("user" + key + "@example.com", random) + (random.nextInt(4) == 0 ? " " : "");
    }

    private static String phone(int key, SplittableRandom random) {
        return switch (random.nextInt(3)) {
            case 0 -> "+7900000000" + key;
            case 1 -> "8 900 000-00-0" + key;
            default -> "+7 (900) 000 00 0" + key;
        };
    }

    private static String head(long db, String matching) {
        return "{\"db_id\":" + db + ",\"matching\":\"" + matching + "\"";
    }

    private static String name(SplittableRandom random) {
        return "\"_fname\":\"N" + random.nextInt(1000) + "\"";
    }

    private static String emailSub(long r, String email) {
        return "{\"channel\":\"email\",\"resource_id\":" + r + ",\"email\":\"" + email.strip() + "\"}";
    }

    private static String smsSub(long r, String phone) {
        return "{\"channel\":\"sms\",\"resource_id\":" + r + ",\"phone\":\"" + phone + "\"}";
    }

    private static final List<String> MODES = List.of("email", "email_profile", "email_sub", "phone", "phone_sub",
            "push_sub", "custom", "custom_sub", "email_phone", "email_phone_sub");

    private static Shape shape(String mode) {
        return switch (mode) {
            case "email", "email_profile" -> (db, r, k, rnd) -> rnd.nextBoolean()
                    ? head(db, mode) + ",\"email\":\"" + email(k, rnd) + "\",\"data\":{" + name(rnd) + "}}"
                    : head(db, mode) + ",\"data\":{\"email\":\"" + email(k, rnd) + "\"," + name(rnd) + "}}";
            case "email_sub" -> (db, r, k, rnd) -> rnd.nextBoolean()
                    ? head(db, mode) + ",\"email\":\"" + email(k, rnd) + "\",\"data\":{" + name(rnd) + "}}"
                    : head(db, mode) + ",\"email\":\"" + email(k, rnd) + "\",\"data\":{" + name(rnd)
                            + ",\"subscriptions\":[" + emailSub(r, email(k, rnd)) + "]}}";
            case "phone" -> (db, r, k, rnd) -> rnd.nextBoolean()
                    ? head(db, mode) + ",\"phone\":\"" + phone(k, rnd) + "\",\"data\":{" + name(rnd) + "}}"
                    : head(db, mode) + ",\"data\":{\"phones\":[\"" + phone(k, rnd) + "\"]," + name(rnd) + "}}";
            case "phone_sub" -> (db, r, k, rnd) -> rnd.nextBoolean()
                    ? head(db, mode) + ",\"phone\":\"" + phone(k, rnd) + "\",\"data\":{" + name(rnd) + "}}"
                    : head(db, mode) + ",\"phone\":\"" + phone(k, rnd) + "\",\"data\":{" + name(rnd)
                            + ",\"subscriptions\":[" + smsSub(r, phone(k, rnd)) + "]}}";
            case "push_sub" -> (db, r, k, rnd) -> head(db, mode) + ",\"provider\":\"fcm\",\"subscription_id\":\"tok-" + k
                    + "\",\"data\":{" + name(rnd) + ",\"subscriptions\":[{\"channel\":\"push\",\"resource_id\":" + r
                    + ",\"provider\":\"fcm\",\"subscription_id\":\"tok-" + k + "\"}]}}";
            case "custom" -> (db, r, k, rnd) -> head(db, mode) + ",\"field_name\":\"" + (rnd.nextBoolean() ? "CRM" : "crm")
                    + "\",\"field_value\":" + (rnd.nextBoolean() ? k : "\"" + k + "\"") + ",\"data\":{" + name(rnd) + "}}";
            case "custom_sub" -> (db, r, k, rnd) -> head(db, mode) + ",\"field_name\":\"telegram_bot\",\"field_value\":"
                    + (rnd.nextBoolean() ? "\"" + (9000 + k) + "\"" : Integer.toString(9000 + k)) + ",\"data\":{"
                    + name(rnd) + ",\"subscriptions\":[{\"channel\":\"telegram_bot\",\"resource_id\":" + r
                    + ",\"cc_data\":{\"id\":" + (9000 + k) + "}}]}}";
            case "email_phone", "email_phone_sub" -> (db, r, k, rnd) -> head(db, mode) + ",\"email\":\"" + email(k, rnd)
                    + "\",\"phone\":\"" + phone(k, rnd) + "\",\"data\":{" + name(rnd) + "}}";
            default -> throw new IllegalArgumentException(mode);
        };
    }

    private static long freshDatabase(long resource) {
        long db = database("\"phone_region\":\"RU\"");
        uniqueField(db, "CRM", "int");
        return db;
    }

    private static List<Body> bodies(String mode, long db, long r, SplittableRandom random) {
        List<Body> bodies = new ArrayList<>();
        Shape shape = shape(mode);
        for (int i = 0; i < BODIES; i++) {
            int key = random.nextInt(KEYS);
            bodies.add(new Body(key, shape.body(db, r, key, random)));
        }
        return bodies;
    }

    private static long distinctKeys(List<Body> bodies) {
        Set<Integer> keys = new HashSet<>();
        bodies.forEach(b -> keys.add(b.key()));
        return keys.size();
    }

    @Test
    void everyModeImportedTwiceLeavesOneProfilePerKey() {
        SplittableRandom random = new SplittableRandom(SEED);
        long r = resource("email", "sms", "push", "telegram_bot");
        for (String mode : MODES) {
            long db = freshDatabase(r);
            List<Body> bodies = bodies(mode, db, r, random);
            for (Body body : bodies) {
                for (int twice = 0; twice < 2; twice++) {
                    Response answer = call("profiles/import", body.json());
                    assertThat(answer.error()).as("seed %d, %s: %s -> %s", SEED, mode, body.json(), answer.body()).isZero();
                }
            }
            assertThat(profileCount(db)).as("seed %d, %s: profiles after %s", SEED, mode, bodies)
                    .isEqualTo(distinctKeys(bodies));
        }
    }

    @Test
    void everyModeImportedConcurrentlyLeavesOneProfilePerKey() throws Exception {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        long r = resource("email", "sms", "push", "telegram_bot");
        for (String mode : MODES) {
            long db = freshDatabase(r);
            List<Body> bodies = bodies(mode, db, r, random);
            List<String> requests = new ArrayList<>();
            bodies.forEach(b -> {
                requests.add(b.json());
                requests.add(b.json());
            });
            List<Response> answers = MatchingDefectsApiTest.concurrently(requests.size(), 16, requests::get);
            for (int i = 0; i < answers.size(); i++) {
                assertThat(answers.get(i).error()).as("seed %d, %s: %s -> %s", SEED, mode, requests.get(i),
                        answers.get(i).body()).isZero();
            }
            assertThat(profileCount(db)).as("seed %d, %s: profiles after %s", SEED, mode, bodies)
                    .isEqualTo(distinctKeys(bodies));
        }
    }
}
