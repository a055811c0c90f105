package dev.roster.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.json.Json;
import dev.roster.query.ReferenceEvaluator.FieldType;
import dev.roster.query.ReferenceEvaluator.Type;
import dev.roster.testing.ApiTest;
import dev.roster.testing.TestServer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SQL of profiles/list and profiles/count against {@link ReferenceEvaluator}: random profiles (every field type,
 * missing fields, arrays, several subscriptions) and random queries over every operator. Each failure names the
 * seed of its query; {@code -Droster.query.seed=N} replays a run.
 */
class QueryDifferentialApiTest extends ApiTest {
    private static final int PROFILES = 240;
    private static final int QUERIES = Integer.getInteger("roster.query.count", 2_000);
    private static final JsonNodeFactory N = JsonNodeFactory.instance;

    private static long db;
    private static long r1;
    private static long r2;
    private static final List<JsonNode> profiles = new ArrayList<>();
    private static final Map<String, FieldType> types = new LinkedHashMap<>();
    private static ReferenceEvaluator evaluator;

    private static final String[] CITIES = {"Moscow", "Kazan", "Omsk", "moscow", "Ёлки", "Zürich"};
    private static final String[] NAMES = {"Anna", "Ivan", "Olga", "Пётр", "anna", "Ann"};
    private static final String[] DOMAINS = {"example.com", "Mail.RU", "shop.io", "gmail.com"};
    private static final String[] TAGS = {"a", "b", "vip", "new", "Sale", "sale"};
    private static final String[] LEVELS = {"bronze", "silver", "gold"};
    private static final String[] IPS = {"10.0.0.1", "192.168.1.5", "2001:db8::1", "10.0.0.10"};
    private static final String[] CODES = {"A1", "a1", "B2", "C-3", "Z", "10", "9"};
    private static final String[] CATS = {"news", "promo", "Sale"};
    private static final String[] PROVIDERS = {"Firebase", "Huawei"};
    private static final String[] STATUSES = {"subscribed", "unsubscribed", "suspended"};
    private static final String[] PATTERNS = {"^a", "an", "^A", "[0-9]", "mos", ".*k.*", "^$", "ru$", "a|o", "\\d+",
            "^\\+79", "i", "^[a-c]", "e.c", "00"};

    @BeforeAll
    static void profiles() {
        TestServer.ApiClient api = master();
        db = api.ok("databases/create", "{\"name\":\"diff\",\"phone_region\":\"RU\"}").path("data").path("id").asLong();
        field("age", "int", ",\"indexed\":true");
        field("score", "float", "");
        field("level", "enum", ",\"options\":[\"bronze\",\"silver\",\"gold\"]");
        field("vip", "bool", "");
        field("last_order", "date", ",\"indexed\":true");
        field("tags", "tags", "");
        field("ip", "ip", "");
        field("meta", "object", "");
        field("items", "arr_object", "");
        field("code", "string", ",\"indexed\":true");
        r1 = api.ok("resources/create", "{\"name\":\"r1\",\"channels\":[\"email\",\"sms\",\"push\"],\"db_ids\":[" + db
                + "]}").path("data").path("id").asLong();
        r2 = api.ok("resources/create", "{\"name\":\"r2\",\"channels\":[\"email\",\"sms\"],\"db_ids\":[" + db
                + "]}").path("data").path("id").asLong();
        types.put("id", new FieldType(Type.TEXT, false, null));
        types.put("_createtime", new FieldType(Type.MILLIS, false, null));
        types.put("_updatetime", new FieldType(Type.MILLIS, false, null));
        types.put("email", new FieldType(Type.EMAIL, false, null));
        types.put("_emaildomain", new FieldType(Type.TEXT, false, null));
        types.put("phones", new FieldType(Type.PHONE, true, null));
        types.put("_fname", new FieldType(Type.TEXT, false, null));
        types.put("_city", new FieldType(Type.TEXT, false, null));
        types.put("_bdate", new FieldType(Type.DATE, false, null));
        types.put("_sex", new FieldType(Type.ENUM, false, List.of("male", "female")));
        types.put("age", new FieldType(Type.NUMBER, false, null));
        types.put("score", new FieldType(Type.NUMBER, false, null));
        types.put("level", new FieldType(Type.ENUM, false, List.of(LEVELS)));
        types.put("vip", new FieldType(Type.BOOL, false, null));
        types.put("last_order", new FieldType(Type.DATE, false, null));
        types.put("tags", new FieldType(Type.TEXT, true, null));
        types.put("ip", new FieldType(Type.TEXT, false, null));
        types.put("meta", new FieldType(Type.OPAQUE, false, null));
        types.put("items", new FieldType(Type.OPAQUE, true, null));
        types.put("code", new FieldType(Type.TEXT, false, null));
        evaluator = new ReferenceEvaluator(types, "RU");

        SplittableRandom random = new SplittableRandom(20261201L);
        List<String> ids = new ArrayList<>();
        for (int chunk = 0; chunk < PROFILES; chunk += 80) {
            ArrayNode batch = N.arrayNode();
            for (int i = chunk; i < Math.min(PROFILES, chunk + 80); i++) {
                batch.add(profile(random, i));
            }
            ObjectNode body = N.objectNode().put("db_id", db).set("data", batch);
            for (JsonNode result : api.ok("profiles/add_batch", body).path("result")) {
                assertThat(result.path("error").asInt()).as("%s", result).isZero();
                ids.add(result.path("profile_id").asText());
            }
        }
        for (int i = 0; i < ids.size(); i += 5) { // a later _updatetime for some
            api.ok("profiles/update", "{\"db_id\":" + db + ",\"profile_id\":\"" + ids.get(i)
                    + "\",\"data\":{\"_fname\":\"" + NAMES[i % NAMES.length] + "\"}}");
        }
        for (String id : ids) {
            profiles.add(api.ok("profiles/get", "{\"db_id\":" + db + ",\"matching\":\"profile_id\",\"profile_id\":\""
                    + id + "\"}").path("data"));
        }
    }

    private static void field(String name, String type, String extra) {
        master().ok("databases/fields_add", "{\"db_id\":" + db + ",\"name\":\"" + name + "\",\"type\":\"" + type + "\""
                + extra + "}");
    }

    private static <T> T pick(SplittableRandom r, T[] values) {
        return values[r.nextInt(values.length)];
    }

    private static ObjectNode profile(SplittableRandom r, int i) {
        ObjectNode p = N.objectNode();
        boolean hasEmail = r.nextInt(10) < 8;
        if (hasEmail) {
            String local = pick(r, NAMES).equals("Пётр") ? "petr" + i : pick(r, new String[] {"anna", "Ivan", "OLGA", "k"}) + i;
            p.put("email", local + "@" + pick(r, DOMAINS));
        }
        int phones = hasEmail ? r.nextInt(3) : 1 + r.nextInt(2);
        if (phones > 0) {
            ArrayNode a = p.putArray("phones");
            for (int k = 0; k < phones; k++) {
                a.add(String.format("+7900%07d", i * 10 + k));
            }
        }
        maybe(r, p, "_fname", () -> N.textNode(pick(r, NAMES)));
        maybe(r, p, "_city", () -> N.textNode(pick(r, CITIES)));
        maybe(r, p, "_bdate", () -> N.textNode(String.format("%04d-%02d-%02d", 1950 + r.nextInt(60), 1 + r.nextInt(12),
                1 + r.nextInt(28))));
        maybe(r, p, "_sex", () -> N.textNode(r.nextBoolean() ? "male" : "female"));
        maybe(r, p, "age", () -> N.numberNode(18 + r.nextInt(20)));
        maybe(r, p, "score", () -> N.numberNode(r.nextInt(8) / 2.0));
        maybe(r, p, "level", () -> N.textNode(pick(r, LEVELS)));
        maybe(r, p, "vip", () -> N.booleanNode(r.nextBoolean()));
        maybe(r, p, "last_order", () -> N.textNode(Instant.ofEpochMilli(1_700_000_000_000L
                + r.nextLong(5_000_000_000L) / (r.nextBoolean() ? 1000 : 1) * (r.nextBoolean() ? 1000 : 1)).toString()));
        maybe(r, p, "tags", () -> {
            ArrayNode a = N.arrayNode();
            for (int k = r.nextInt(4); k > 0; k--) {
                a.add(pick(r, TAGS));
            }
            return a;
        });
        maybe(r, p, "ip", () -> N.textNode(pick(r, IPS)));
        maybe(r, p, "meta", () -> N.objectNode().put("k", r.nextInt(3)));
        maybe(r, p, "items", () -> {
            ArrayNode a = N.arrayNode();
            for (int k = r.nextInt(3); k > 0; k--) {
                a.addObject().put("sku", "s" + r.nextInt(5));
            }
            return a;
        });
        maybe(r, p, "code", () -> N.textNode(pick(r, CODES)));
        int subs = r.nextInt(4);
        if (subs > 0) {
            ArrayNode a = p.putArray("subscriptions");
            for (int k = 0; k < subs; k++) {
                ObjectNode s = a.addObject();
                long resource = r.nextBoolean() ? r1 : r2;
                int channel = r.nextInt(resource == r1 ? 3 : 2);
                s.put("resource_id", resource);
                switch (channel) {
                    case 0 -> s.put("channel", "email").put("email", k == 0 && p.has("email") ? p.get("email").asText()
                            : "s" + i + "_" + k + "@Subs.example");
                    case 1 -> s.put("channel", "sms").put("phone", String.format("+7911%07d", i * 10 + k));
                    default -> s.put("channel", "push").put("provider", pick(r, PROVIDERS))
                            .put("subscription_id", "tok" + i + "_" + k);
                }
                s.put("status", pick(r, STATUSES));
                if (r.nextBoolean()) {
                    s.put("priority", r.nextInt(4));
                }
                ArrayNode cats = s.putArray("cats");
                for (int c = r.nextInt(3); c > 0; c--) {
                    cats.add(pick(r, CATS));
                }
            }
        }
        return p;
    }

    private static void maybe(SplittableRandom r, ObjectNode p, String name, java.util.function.Supplier<JsonNode> value) {
        if (r.nextInt(4) != 0) {
            JsonNode v = value.get();
            if (!(v.isArray() && v.isEmpty() && name.equals("tags"))) {
                p.set(name, v);
            }
        }
    }

    // ---------------------------------------------------------------- queries

    private static final String[] FIELDS = types().toArray(new String[0]);

    private static List<String> types() {
        return List.of("id", "_createtime", "_updatetime", "email", "_emaildomain", "phones", "_fname", "_city", "_bdate",
                "_sex", "age", "score", "level", "vip", "last_order", "tags", "ip", "meta", "items", "code");
    }

    private static ObjectNode document(SplittableRandom r, int depth) {
        ObjectNode doc = N.objectNode();
        int members = 1 + r.nextInt(depth == 0 ? 3 : 2);
        for (int m = 0; m < members; m++) {
            int kind = r.nextInt(20);
            if (kind < 3 && depth < 3) {
                String op = pick(r, new String[] {"$and", "$or", "$nor"});
                ArrayNode list = N.arrayNode();
                for (int k = 1 + r.nextInt(3); k > 0; k--) {
                    list.add(document(r, depth + 1));
                }
                doc.set(op + (doc.has(op) ? "" : ""), list);
            } else if (kind < 6) {
                ObjectNode inner = N.objectNode();
                for (int k = 1 + r.nextInt(3); k > 0; k--) {
                    subscriptionCondition(r, inner);
                }
                ObjectNode elem = N.objectNode().set("$elemMatch", inner);
                doc.set("subscriptions", r.nextInt(6) == 0 ? N.objectNode().set("$not", elem) : elem);
            } else {
                String f = pick(r, FIELDS);
                doc.set(f, condition(r, f, types.get(f)));
            }
        }
        return doc;
    }

    private static void subscriptionCondition(SplittableRandom r, ObjectNode inner) {
        switch (r.nextInt(9)) {
            case 0 -> inner.set("resource_id", scalarOrOps(r, () -> N.numberNode(r.nextBoolean() ? r1 : r2), false));
            case 1 -> inner.set("channel", scalarOrOps(r, () -> N.textNode(pick(r, new String[] {"email", "sms", "push"})), true));
            case 2 -> inner.set("status", scalarOrOps(r, () -> r.nextBoolean() ? N.textNode(pick(r, STATUSES))
                    : N.numberNode(r.nextInt(7)), false));
            case 3 -> inner.set("email", scalarOrOps(r, () -> N.textNode(someEmail(r)), true));
            case 4 -> inner.set("phone", scalarOrOps(r, () -> N.textNode(String.format(r.nextBoolean() ? "+7911%07d"
                    : "8911%07d", r.nextInt(PROFILES) * 10 + r.nextInt(3))), true));
            case 5 -> inner.set("provider", scalarOrOps(r, () -> N.textNode(pick(r, PROVIDERS)), true));
            case 6 -> inner.set("subscription_id", scalarOrOps(r, () -> N.textNode("tok" + r.nextInt(PROFILES) + "_"
                    + r.nextInt(3)), true));
            case 7 -> inner.set("priority", scalarOrOps(r, () -> N.numberNode(r.nextInt(4)), false));
            default -> inner.set("cats", r.nextInt(4) == 0 ? N.objectNode().put("$size", r.nextInt(3))
                    : scalarOrOps(r, () -> N.textNode(pick(r, CATS)), true));
        }
    }

    private static String someEmail(SplittableRandom r) {
        JsonNode p = profiles.get(r.nextInt(profiles.size()));
        String email = p.has("email") ? p.get("email").asText() : "nobody@example.com";
        if (r.nextInt(5) == 0) {
            JsonNode sub = p.path("subscriptions").path(0).path("email_data").path("email");
            if (sub.isTextual()) {
                email = sub.asText();
            }
        }
        return r.nextBoolean() ? email.toUpperCase(java.util.Locale.ROOT) : email;
    }

    private static JsonNode scalarOrOps(SplittableRandom r, java.util.function.Supplier<JsonNode> value, boolean text) {
        if (r.nextInt(3) == 0) {
            return value.get();
        }
        ObjectNode ops = N.objectNode();
        for (int k = 1 + r.nextInt(2); k > 0; k--) {
            int op = r.nextInt(text ? 11 : 10);
            switch (op) {
                case 0 -> ops.set("$eq", value.get());
                case 1 -> ops.set("$ne", value.get());
                case 2 -> ops.set("$gt", value.get());
                case 3 -> ops.set("$gte", value.get());
                case 4 -> ops.set("$lt", value.get());
                case 5 -> ops.set("$lte", value.get());
                case 6 -> ops.set("$in", N.arrayNode().add(value.get()).add(value.get()));
                case 7 -> ops.set("$nin", N.arrayNode().add(value.get()));
                case 8, 9 -> ops.put("$exists", r.nextBoolean());
                default -> {
                    ops.put("$regex", pick(r, PATTERNS));
                    if (r.nextBoolean()) {
                        ops.put("$options", "i");
                    }
                }
            }
        }
        return ops;
    }

    private static JsonNode condition(SplittableRandom r, String field, FieldType type) {
        java.util.function.Supplier<JsonNode> value = () -> value(r, field, type);
        boolean text = type.type() == Type.TEXT || type.type() == Type.EMAIL || type.type() == Type.PHONE
                || type.type() == Type.ENUM;
        if (type.type() == Type.OPAQUE) {
            ObjectNode ops = N.objectNode();
            if (type.array() && r.nextBoolean()) {
                ops.put("$size", r.nextInt(3));
            } else {
                ops.put("$exists", r.nextBoolean());
            }
            return ops;
        }
        if (r.nextInt(30) == 0) {
            return N.nullNode();
        }
        if (type.type() == Type.BOOL) {
            return r.nextBoolean() ? value.get() : switch (r.nextInt(5)) {
                case 0 -> N.objectNode().set("$ne", value.get());
                case 1 -> N.objectNode().set("$in", N.arrayNode().add(value.get()));
                case 2 -> N.objectNode().set("$nin", N.arrayNode().add(value.get()));
                case 3 -> N.objectNode().put("$exists", r.nextBoolean());
                default -> N.objectNode().set("$eq", value.get());
            };
        }
        if (type.array() && r.nextInt(5) == 0) {
            if (r.nextBoolean()) {
                return N.objectNode().put("$size", r.nextInt(3));
            }
            ObjectNode inner = N.objectNode().set("$gte", value.get());
            inner.set("$lte", value.get());
            return N.objectNode().set("$elemMatch", inner);
        }
        JsonNode c = scalarOrOps(r, value, text);
        if (c.isObject() && r.nextInt(8) == 0) {
            return N.objectNode().set("$not", c);
        }
        return c;
    }

    private static JsonNode value(SplittableRandom r, String field, FieldType type) {
        JsonNode p = profiles.get(r.nextInt(profiles.size()));
        switch (field) {
            case "id":
                return N.textNode(p.get("id").asText());
            case "_createtime":
            case "_updatetime":
                return N.textNode(p.get(field).asText());
            case "email":
                return N.textNode(someEmail(r));
            case "_emaildomain":
                return N.textNode(pick(r, DOMAINS).toLowerCase(java.util.Locale.ROOT));
            case "phones":
                return N.textNode(String.format(r.nextBoolean() ? "+7900%07d" : "8900%07d",
                        r.nextInt(PROFILES) * 10 + r.nextInt(2)));
            case "_fname":
                return N.textNode(pick(r, NAMES));
            case "_city":
                return N.textNode(pick(r, CITIES));
            case "_sex":
                return r.nextBoolean() ? N.textNode(r.nextBoolean() ? "male" : "Female") : N.numberNode(1 + r.nextInt(2));
            case "age":
                return r.nextInt(4) == 0 ? N.textNode(String.valueOf(18 + r.nextInt(20))) : N.numberNode(17 + r.nextInt(22));
            case "score":
                return r.nextBoolean() ? N.numberNode(r.nextInt(8) / 2.0) : N.numberNode(r.nextInt(4));
            case "level":
                return r.nextBoolean() ? N.textNode(pick(r, LEVELS)) : N.numberNode(1 + r.nextInt(3));
            case "vip":
                return r.nextBoolean() ? N.booleanNode(r.nextBoolean()) : N.textNode(r.nextBoolean() ? "true" : "false");
            case "tags":
                return N.textNode(pick(r, TAGS));
            case "ip":
                return N.textNode(pick(r, IPS));
            case "code":
                return N.textNode(pick(r, CODES));
            case "_bdate":
            case "last_order": {
                JsonNode d = p.get(field);
                Instant at = d == null ? Instant.parse("1980-06-15T00:00:00Z") : Instant.parse(d.asText());
                return switch (r.nextInt(4)) {
                    case 0 -> N.textNode(at.atOffset(ZoneOffset.UTC).toLocalDate().toString());
                    case 1 -> N.numberNode(at.getEpochSecond());
                    case 2 -> N.textNode(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(at.atOffset(ZoneOffset.ofHours(3))));
                    default -> N.textNode(at.toString());
                };
            }
            default:
                throw new IllegalArgumentException(field);
        }
    }

    @Test
    void sqlAnswersAsTheReferenceEvaluator() {
        long base = Long.getLong("roster.query.seed", System.nanoTime());
        for (int i = 0; i < QUERIES; i++) {
            long seed = base + i;
            SplittableRandom r = new SplittableRandom(seed);
            ObjectNode query = document(r, 0);
            TreeSet<String> expected = new TreeSet<>();
            for (JsonNode p : profiles) {
                if (evaluator.matches(query, p)) {
                    expected.add(p.get("id").asText());
                }
            }
            int limit = r.nextInt(10) == 0 ? 1 + r.nextInt(60) : 1000;
            List<String> actual = list(query, limit, seed);
            assertThat(actual).as("seed %d (-Droster.query.seed=%d -Droster.query.count=1), query %s, limit %d",
                    seed, seed, query, limit).containsExactlyElementsOf(expected);
            if (i % 4 == 0) {
                JsonNode count = master().ok("profiles/count", N.objectNode().put("db_id", db).set("query", query));
                assertThat(count.path("data").path("count").asLong()).as("count, seed %d, query %s", seed, query)
                        .isEqualTo(expected.size());
            }
        }
    }

    private static List<String> list(ObjectNode query, int limit, long seed) {
        List<String> ids = new ArrayList<>();
        String from = null;
        while (true) {
            ObjectNode body = N.objectNode().put("db_id", db).put("limit", limit);
            body.set("query", query);
            body.set("fields", N.arrayNode().add("id"));
            if (from != null) {
                body.put("from_id", from);
            }
            TestServer.Response response = master().call("profiles/list", body);
            assertThat(response.error()).as("seed %d query %s: %s", seed, query, response.body()).isZero();
            response.json().path("data").forEach(p -> ids.add(p.path("id").asText()));
            JsonNode next = response.json().get("next_from_id");
            if (next == null) {
                return ids;
            }
            from = next.asText();
        }
    }
}
