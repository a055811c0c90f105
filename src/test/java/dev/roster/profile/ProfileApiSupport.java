package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.json.Json;
import dev.roster.testing.ApiTest;
import dev.roster.testing.TestServer.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Helpers of the profile API tests: databases, fields and resources made for one test, calls with the master token,
 * and the stored state read back (profiles/get of every profile of a database, counts through the store).
 */
abstract class ProfileApiSupport extends ApiTest {
    private static final AtomicInteger NAMES = new AtomicInteger();

    static String unique(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet();
    }

    /** The master caller of the database's account, for tests that call the services themselves. */
    static dev.roster.access.Caller masterOf(long db) {
        long account = server.store().read(h -> h.createQuery("select account_id from databases where id = :db")
                .bind("db", db).mapTo(Long.class).one());
        return new dev.roster.access.Caller(account, 0, true, 0, "test", dev.roster.access.Permission.defaults(), null);
    }

    /** A new database with default settings (phones unique, no phone region). */
    static long database() {
        return createDatabase(unique("db"));
    }

    /** A new database with extra members of databases/create, e.g. {@code "phone_region":"RU"}. */
    static long database(String options) {
        return master().ok("databases/create", "{\"name\":\"" + unique("db") + "\"," + options + "}")
                .path("data").path("id").asLong();
    }

    static long resource(String... channels) {
        return master().ok("resources/create", "{\"name\":\"" + unique("res") + "\",\"channels\":"
                + Json.write(List.of(channels)) + "}").path("data").path("id").asLong();
    }

    static void field(long db, String name, String type) {
        master().ok("databases/fields_add", "{\"db_id\":" + db + ",\"name\":\"" + name + "\",\"type\":\"" + type + "\"}");
    }

    static void uniqueField(long db, String name, String type) {
        master().ok("databases/fields_add", "{\"db_id\":" + db + ",\"name\":\"" + name + "\",\"type\":\"" + type
                + "\",\"unique\":true}");
    }

    static void enumField(long db, String name, String... options) {
        master().ok("databases/fields_add", "{\"db_id\":" + db + ",\"name\":\"" + name + "\",\"type\":\"enum\","
                + "\"options\":" + Json.write(List.of(options)) + "}");
    }

    static Response call(String method, String body) {
        return master().call(method, body);
    }

    static JsonNode ok(String method, String body) {
        return master().ok(method, body);
    }

    /** profiles/import that must succeed; the profile id. */
    static String importOk(String body) {
        JsonNode answer = ok("profiles/import", body);
        String id = answer.path("profile_id").asText();
        assertThat(ObjectIds.isValid(id)).as("profile_id of %s", answer).isTrue();
        return id;
    }

    /** Imports a profile with this email (matching email) and returns its id. */
    static String importEmail(long db, String email) {
        return importOk("{\"db_id\":" + db + ",\"email\":\"" + email + "\",\"data\":{\"email\":\"" + email + "\"}}");
    }

    /** profiles/get by the matching members given (without braces), which must succeed: its data. */
    static JsonNode get(long db, String matching) {
        return ok("profiles/get", "{\"db_id\":" + db + "," + matching + "}").path("data");
    }

    static JsonNode getById(long db, String profileId) {
        return get(db, "\"matching\":\"profile_id\",\"profile_id\":\"" + profileId + "\"");
    }

    static Response getCall(long db, String matching) {
        return call("profiles/get", "{\"db_id\":" + db + "," + matching + "}");
    }

    static long profileCount(long db) {
        return count("select count(*) from profiles where db_id = :db", db);
    }

    static long count(String sql, long db) {
        return server.store().read(h -> h.createQuery(sql).bind("db", db).mapTo(Long.class).one());
    }

    static List<String> profileIds(long db) {
        return server.store().read(h -> h.createQuery("select id from profiles where db_id = :db order by id")
                .bind("db", db).mapTo(String.class).list());
    }

    /** Every profile of the database as profiles/get shows it, with the stored subscriptions, keys and lookups. */
    static List<String> state(long db) {
        List<String> state = new ArrayList<>();
        for (String id : profileIds(db)) {
            state.add(getById(db, id).toString());
        }
        state.add("subscriptions=" + count("select count(*) from subscriptions where db_id = :db", db));
        state.add("keys=" + server.store().read(h -> h.createQuery(
                        "select kind || '=' || value || '@' || profile_id from profile_keys where db_id = :db order by 1")
                .bind("db", db).mapTo(String.class).list()));
        state.add("lookups=" + server.store().read(h -> h.createQuery(
                        "select kind || '=' || value || '@' || profile_id from profile_lookups where db_id = :db order by 1")
                .bind("db", db).mapTo(String.class).list()));
        return state;
    }

    /** The call fails with that code and text, and every profile of the database reads back as before. */
    static Response assertRefused(long db, String method, String body, int code, String... fragments) {
        List<String> before = state(db);
        Response response = call(method, body);
        assertError(response, code, fragments);
        assertThat(state(db)).as("state after refused %s %s", method, body).isEqualTo(before);
        return response;
    }

    /** MD5 in hex, computed here rather than by the code under test. */
    static String md5(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
