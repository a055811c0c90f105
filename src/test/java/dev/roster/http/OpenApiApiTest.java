package dev.roster.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.json.Json;
import dev.roster.testing.ApiTest;
import dev.roster.testing.SchemaCheck;
import dev.roster.testing.TestServer;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document at /api/openapi.json: it documents exactly the registered methods, and every example request
 * in it, sent to a running server holding the fixture the examples name (database 1, resource 1, ...), succeeds and
 * answers what the document's schema says. Also the reference page at /api/docs.
 */
class OpenApiApiTest extends ApiTest {
    /** The example values that stand for objects whose ids a store makes up: replaced by the fixture's. */
    private static final String EXAMPLE_PROFILE = "6b09830d20fe3cac826864ac";
    private static final String EXAMPLE_TASK = "task_6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";
    /** The task of the tasks/delete example: an export of its own, since tasks/status (after it in path order) needs the other. */
    private static final String EXAMPLE_DELETED_TASK = "task_0d9c8b7a-6f5e-4d3c-9b1a-0f9e8d7c6b5a";
    private static final String V11 = "/api/v1.1/";

    private static JsonNode doc;
    /** A token with every permission, profiles.delete included, that sends the examples. */
    private static String docsToken;
    private static final Map<String, String> substitutions = new LinkedHashMap<>();

    @BeforeAll
    static void fixture() throws Exception {
        // the examples include databases/wipe, and webhooks whose receiver (example.com) is not resolved at create:
        // this class needs a server that allows both; deliveries to it just fail
        server.close();
        server = TestServer.start(dev.roster.RosterApp.Options.defaults().withDataWipe(true)
                .withEvents(dev.roster.event.EventSettings.defaults().withAllowPrivate(true)));
        TestServer.ApiClient m = master();
        assertThat(id(m.ok("databases/create", "{\"name\":\"Customers\",\"phone_region\":\"RU\"}"))).isEqualTo(1);
        assertThat(id(m.ok("databases/create", "{\"name\":\"Old leads\"}"))).isEqualTo(2);
        assertThat(id(m.ok("databases/create", "{\"name\":\"Test data\"}"))).isEqualTo(3);
        m.ok("databases/fields_add", "{\"db_id\":1,\"name\":\"CRM_ID\",\"type\":\"string\",\"unique\":true}");
        m.ok("databases/fields_add", "{\"db_id\":1,\"name\":\"LOYALTY\",\"type\":\"int\"}");
        m.ok("databases/fields_add", "{\"db_id\":1,\"name\":\"OBSOLETE\",\"type\":\"string\"}");
        assertThat(id(m.ok("resources/create", "{\"name\":\"Web shop\",\"channels\":[\"email\",\"sms\",\"push\"],"
                + "\"db_ids\":[1]}"))).isEqualTo(1);
        assertThat(id(m.ok("resources/create", "{\"name\":\"Old newsletter\",\"channels\":[\"email\"]}"))).isEqualTo(2);
        assertThat(id(m.ok("tokens/create", "{\"name\":\"Old integration\"}"))).isEqualTo(2);
        docsToken = (m.ok("tokens/create", "{\"name\":\"Docs examples\",\"permissions\":[\"profiles.read\","
                + "\"profiles.write\",\"profiles.delete\",\"subscriptions.write\",\"catalog.read\",\"catalog.write\","
                + "\"history.read\",\"tokens.manage\"]}").path("data").path("token").asText());
        String ivan = m.ok("profiles/import", "{\"db_id\":1,\"email\":\"i.petrov@example.com\",\"data\":{\"email\":"
                + "\"i.petrov@example.com\",\"_fname\":\"Ivan\",\"phones\":[\"+79000000000\"],\"CRM_ID\":\"A-100\","
                + "\"subscriptions\":[{\"channel\":\"email\",\"email\":\"i.petrov@example.com\",\"resource_id\":1}]}}")
                .path("profile_id").asText();
        for (String email : List.of("a.smirnova@example.com", "o.ivanova@example.com", "olga.ivanova@example.com")) {
            m.ok("profiles/import", "{\"db_id\":1,\"data\":{\"email\":\"" + email + "\"}}");
        }
        m.ok("profiles/import", "{\"db_id\":1,\"data\":{\"email\":\"family@example.com\",\"phones\":[\"+79000000001\","
                + "\"+79000000002\"],\"subscriptions\":[{\"channel\":\"sms\",\"phone\":\"+79000000002\",\"resource_id\":1}]}}");
        m.ok("profiles/import", "{\"db_id\":3,\"data\":{\"email\":\"test@example.com\"}}");
        String task = m.ok("databases/refresh_counters", "{\"id\":1}").path("data").path("task_id").asText();
        String export = m.ok("profiles/get_all", "{\"source_type\":\"database\",\"source_id\":3,\"file_format\":\"csv\"}")
                .path("data").path("task_id").asText();
        // segments: 1 static with Ivan, 2 dynamic, 3 static for the delete example
        assertThat(id(m.ok("segments/create", "{\"db_id\":1,\"name\":\"Newsletter readers\",\"type\":\"static\"}")))
                .isEqualTo(1);
        assertThat(id(m.ok("segments/create", "{\"db_id\":1,\"name\":\"In Moscow\",\"type\":\"dynamic\","
                + "\"query\":{\"_city\":\"Moscow\"}}"))).isEqualTo(2);
        assertThat(id(m.ok("segments/create", "{\"db_id\":1,\"name\":\"Spring campaign\",\"type\":\"static\"}")))
                .isEqualTo(3);
        m.ok("segments/add_profiles", "{\"id\":1,\"profile_ids\":[\"" + ivan + "\"]}");
        // webhooks: 1 for the get/update/deliveries examples, 2 for the delete example
        for (String url : List.of("https://hooks.example.com/roster", "https://old-hooks.example.com/roster")) {
            m.ok("webhooks/create", "{\"url\":\"" + url + "\"}");
        }
        substitutions.put(EXAMPLE_PROFILE, ivan);
        substitutions.put(EXAMPLE_TASK, task);
        substitutions.put(EXAMPLE_DELETED_TASK, export);
        doc = server.send(server.request("/api/openapi.json").GET()).json();
    }

    private static long id(JsonNode answer) {
        return answer.path("data").path("id").asLong();
    }

    private static final Pattern METHOD_PATH = Pattern.compile(Pattern.quote(V11) + "([a-z_]+/[a-z_]+)");

    @Test
    void theDocumentHasEveryRegisteredMethodAndNoOther() {
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        Set<String> documented = new TreeSet<>();
        doc.path("paths").fieldNames().forEachRemaining(path -> {
            Matcher m = METHOD_PATH.matcher(path);
            if (m.matches()) {
                documented.add(m.group(1));
            }
        });
        assertThat(documented).isEqualTo(new TreeSet<>(server.methods().keySet()));
        // and the paths outside /api/v1.1
        assertThat(doc.path("paths").has("/api/integrations/any/profile_import")).isTrue();
        assertThat(doc.path("paths").has("/api/v1.0/lists/{id}/suspend_all")).isTrue();
        assertThat(doc.path("paths").has("/api/download/data/{task}/{file}")).isTrue();
        // each method says the permission the registry checks, and shows an example request
        server.methods().forEach((method, permission) -> {
            JsonNode post = doc.path("paths").path(V11 + method).path("post");
            assertThat(post.path("x-roster-permission").asText()).as(method).isEqualTo(permission.wireName());
            assertThat(post.at("/requestBody/content/application~1json/examples").size()).as(method).isPositive();
        });
    }

    @Test
    void everyReferenceResolvesAndTheServedDocumentIsTheAssembledOne() {
        assertThat(doc).isEqualTo(OpenApiDocument.load());
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
    }

    private static void collectRefs(JsonNode node, List<String> out) {
        if (node.has("$ref")) {
            out.add(node.get("$ref").asText());
        }
        node.forEach(child -> collectRefs(child, out));
    }

    @Test
    void everyExampleRequestSucceedsAndItsAnswerMatchesTheDocumentedSchema() {
        SchemaCheck schemas = new SchemaCheck(doc);
        SoftAssertions soft = new SoftAssertions();
        List<String> sent = new ArrayList<>();
        // in path order: the fixture is laid out so that no example undoes another's object (delete before undelete)
        Set<String> paths = new TreeSet<>();
        doc.path("paths").fieldNames().forEachRemaining(paths::add);
        paths.forEach(path -> {
            JsonNode post = doc.path("paths").path(path).path("post");
            JsonNode content = post.at("/requestBody/content/application~1json");
            content.path("examples").properties().forEach(example -> {
                String body = Json.write(example.getValue().path("value"));
                soft.assertThat(schemas.problems(content.path("schema"), example.getValue().path("value")))
                        .as("example request of %s against its schema", path).isEmpty();
                for (Map.Entry<String, String> s : substitutions.entrySet()) {
                    body = body.replace(s.getKey(), s.getValue());
                }
                TestServer.Response response = server.send(server.request(path)
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + docsToken)
                        .POST(HttpRequest.BodyPublishers.ofString(body)));
                int expected = post.path("x-roster-example-error").asInt(0);
                soft.assertThat(response.error()).as("%s %s -> %s", path, body, response.body()).isEqualTo(expected);
                JsonNode schema = post.at("/responses/200/content/application~1json/schema");
                soft.assertThat(schemas.problems(schema, response.json()))
                        .as("answer of %s %s: %s", path, body, response.body()).isEmpty();
                sent.add(path);
            });
        });
        soft.assertAll();
        assertThat(sent).hasSizeGreaterThanOrEqualTo(server.methods().size() + 1);
    }

    @Test
    void theReferencePageIsSwaggerUiServedFromTheJarWithoutInlineScripts() {
        TestServer.Response page = server.send(server.request("/api/docs").GET());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertThat(policy).contains("script-src 'self'");
        assertThat(policy.substring(policy.indexOf("script-src")).split(";")[0]).doesNotContain("unsafe");
        Matcher scripts = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(page.body());
        List<String> sources = new ArrayList<>();
        while (scripts.find()) {
            assertThat(scripts.group(2).strip()).as("inline script").isEmpty();
            Matcher src = Pattern.compile("src=\"([^\"]+)\"").matcher(scripts.group(1));
            assertThat(src.find()).isTrue();
            sources.add(src.group(1));
        }
        assertThat(sources).containsExactly("/api/docs/swagger-ui-bundle.js", "/api/docs/docs.js");
        assertThat(page.body()).doesNotContain("//cdn", "https://");
        for (String file : List.of("/api/docs/swagger-ui-bundle.js", "/api/docs/swagger-ui.css", "/api/docs/docs.js",
                "/api/docs/favicon-32x32.png")) {
            TestServer.Response r = server.send(server.request(file).GET());
            assertThat(r.status()).as(file).isEqualTo(200);
            assertThat(r.body()).as(file).isNotEmpty();
        }
        assertThat(server.send(server.request("/api/docs/docs.js").GET()).body()).contains("/api/openapi.json");
        assertThat(server.send(server.request("/api/docs/swagger-ui-bundle.js").GET()).body()).contains("SwaggerUIBundle");
        TestServer.Response unknown = server.send(server.request("/api/docs/..%2Fbase.json").GET());
        assertThat(unknown.error()).isEqualTo(404);
    }

    @Test
    void aGroupIsOneFileMergedIntoTheBaseAndAPathDefinedTwiceFails() {
        ObjectNode base = (ObjectNode) Json.tree(Map.of("openapi", "3.1.0", "paths", Map.of(),
                "components", Map.of("schemas", Map.of("Id", Map.of("type", "integer")))));
        ObjectNode group = (ObjectNode) Json.tree(Map.of(
                "tags", List.of(Map.of("name", "segments")),
                "paths", Map.of("/api/v1.1/segments/get", Map.of("post", Map.of("summary", "Get a segment"))),
                "components", Map.of("schemas", Map.of("Segment", Map.of("type", "object")))));
        Map<String, ObjectNode> groups = new java.util.TreeMap<>(Map.of("segments.json", group));
        ObjectNode merged = OpenApiDocument.merge(base, groups);
        assertThat(merged.at("/paths/~1api~1v1.1~1segments~1get/post/summary").asText()).isEqualTo("Get a segment");
        assertThat(merged.at("/components/schemas/Segment/type").asText()).isEqualTo("object");
        assertThat(merged.at("/components/schemas/Id/type").asText()).isEqualTo("integer");
        assertThat(merged.path("tags").get(0).path("name").asText()).isEqualTo("segments");

        groups.put("segments2.json", group);
        assertThatThrownBy(() -> OpenApiDocument.merge(base, groups))
                .hasMessageContaining("/api/v1.1/segments/get").hasMessageContaining("segments.json")
                .hasMessageContaining("segments2.json");
        ObjectNode clash = (ObjectNode) Json.tree(Map.of("components", Map.of("schemas", Map.of("Id", Map.of()))));
        assertThatThrownBy(() -> OpenApiDocument.merge(base, Map.of("x.json", clash))).hasMessageContaining("schemas Id");
        ObjectNode typo = (ObjectNode) Json.tree(Map.of("path", Map.of()));
        assertThatThrownBy(() -> OpenApiDocument.merge(base, Map.of("x.json", typo))).hasMessageContaining("'path'");
    }
}
