package dev.roster.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.testing.ApiTest;
import dev.roster.testing.TestServer.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** databases/* and resources/*: shapes of the reference, validation, and nothing changed on bad input. */
class CatalogApiTest extends ApiTest {

    private JsonNode fields(long dbId) {
        return master().ok("databases/fields_get", "{\"db_id\":" + dbId + "}").path("data");
    }

    private List<String> customFieldNames(long dbId) {
        List<String> names = new ArrayList<>();
        fields(dbId).forEach(f -> {
            if (f.path("category").asText().equals("custom")) {
                names.add(f.path("name").asText());
            }
        });
        return names;
    }

    @Test
    void databaseLifecycle() {
        JsonNode created = master().ok("databases/create",
                "{\"name\":\"B2C customers\",\"description\":\"shop\",\"ui_tags\":[\"vip\"],\"phone_region\":\"ru\",\"unique_phones\":false}");
        long id = created.path("data").path("id").asLong();
        assertThat(id).isPositive();

        JsonNode db = master().ok("databases/get", "{\"id\":" + id + "}").path("data");
        assertThat(db.path("id").asLong()).isEqualTo(id);
        assertThat(db.path("name").asText()).isEqualTo("B2C customers");
        assertThat(db.path("description").asText()).isEqualTo("shop");
        assertThat(db.path("phone_region").asText()).isEqualTo("RU");
        assertThat(db.path("unique_phones").asBoolean()).isFalse();
        assertThat(db.path("ui_tags").toString()).isEqualTo("[\"vip\"]");

        master().ok("databases/update", "{\"id\":" + id + ",\"name\":\"B2C\",\"unique_phones\":true}");
        db = master().ok("databases/get", "{\"id\":" + id + "}").path("data");
        assertThat(db.path("name").asText()).isEqualTo("B2C");
        assertThat(db.path("unique_phones").asBoolean()).isTrue();
        assertThat(db.path("description").asText()).isEqualTo("shop");

        JsonNode deleted = master().ok("databases/delete", "{\"id\":" + id + "}");
        assertThat(deleted.path("data").path("id").asLong()).isEqualTo(id);
        Response gone = master().call("databases/get", "{\"id\":" + id + "}");
        assertThat(gone.code()).isEqualTo(404);
        assertThat(gone.errorText()).isEqualTo("database " + id + " not found");
        assertThat(master().call("databases/delete", "{\"id\":" + id + "}").code()).isEqualTo(404);
    }

    @Test
    void listPagesWithFromIdLimitNextFromIdAndTotalCount() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(createDatabase("paged-" + i));
        }
        List<Long> seen = new ArrayList<>();
        long from = 1;
        long total = -1;
        for (int guard = 0; guard < 20; guard++) {
            JsonNode page = master().ok("databases/list", "{\"from_id\":" + from + ",\"limit\":2}");
            total = page.path("total_count").asLong();
            if (page.path("data").isEmpty()) {
                break;
            }
            assertThat(page.path("data").size()).isLessThanOrEqualTo(2);
            page.path("data").forEach(d -> {
                seen.add(d.path("id").asLong());
                assertThat(d.path("Groups").get(0).path("Name").asText()).isEqualTo("main");
            });
            from = page.path("next_from_id").asLong();
        }
        assertThat(seen).containsSubsequence(ids);
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(total).isEqualTo(seen.size());

        assertThat(master().call("databases/list", "{\"limit\":0}").errorText()).contains("'limit'").contains("1 to 1000");
        assertThat(master().call("databases/list", "{\"from_id\":-1}").errorText()).contains("'from_id'");
    }

    @Test
    void listFiltersByUiTags() {
        master().ok("databases/create", "{\"name\":\"tagged\",\"ui_tags\":[\"alpha\",\"beta\"]}");
        JsonNode page = master().ok("databases/list", "{\"ui_tags\":[\"beta\"]}");
        assertThat(page.path("data").findValuesAsText("name")).containsExactly("tagged");
        assertThat(page.path("total_count").asLong()).isEqualTo(1);
    }

    @Test
    void duplicateDatabaseNameIs409() {
        createDatabase("twin");
        long before = master().ok("databases/list", "{}").path("total_count").asLong();
        Response r = master().call("databases/create", "{\"name\":\"twin\"}");
        assertThat(r.code()).isEqualTo(409);
        assertThat(r.errorText()).contains("twin");
        assertThat(master().ok("databases/list", "{}").path("total_count").asLong()).isEqualTo(before);
    }

    @Test
    void invalidDatabaseValuesAre400() {
        long before = master().ok("databases/list", "{}").path("total_count").asLong();
        assertThat(master().call("databases/create", "{}").errorText()).isEqualTo("missing required parameter 'name'");
        assertThat(master().call("databases/create", "{\"name\":\"   \"}").errorText()).contains("'name'");
        assertThat(master().call("databases/create", "{\"name\":\"r\",\"phone_region\":\"Mars\"}").errorText())
                .contains("'phone_region'").contains("Mars");
        assertThat(master().call("databases/create", "{\"name\":\"" + "n".repeat(300) + "\"}").code()).isEqualTo(400);
        assertThat(master().ok("databases/list", "{}").path("total_count").asLong()).isEqualTo(before);
    }

    @Test
    void everyDatabaseHasTheStandardFields() {
        long id = createDatabase("standard");
        JsonNode fields = fields(id);
        assertThat(fields.findValuesAsText("name")).contains("email", "phones", "_fname", "_lname", "_bdate", "_sex",
                "_city", "_tz", "_regip");
        fields.forEach(f -> assertThat(f.path("category").asText()).isEqualTo("system"));
        assertThat(master().ok("databases/fields_get", "{\"id\":" + id + "}").path("data").size()).isEqualTo(fields.size());
    }

    @Test
    void customFieldLifecycle() {
        long id = createDatabase("custom fields");
        master().ok("databases/fields_add", "{\"db_id\":" + id + ",\"name\":\"CRM_ID\",\"type\":\"string\",\"unique\":true}");
        master().ok("databases/fields_add", "{\"db_id\":" + id + ",\"name\":\"LOYALTY\",\"type\":\"int\",\"title\":\"Loyalty score\"}");
        master().ok("databases/fields_add", "{\"db_id\":" + id + ",\"name\":\"Tier\",\"type\":\"enum\",\"options\":[\"gold\",\"silver\"]}");
        for (String type : new String[] {"float", "date", "bool", "ip", "tags", "object", "arr_object"}) {
            master().ok("databases/fields_add", "{\"db_id\":" + id + ",\"name\":\"f_" + type + "\",\"type\":\"" + type + "\"}");
        }
        JsonNode crm = null;
        JsonNode loyalty = null;
        for (JsonNode f : fields(id)) {
            if (f.path("name").asText().equals("CRM_ID")) {
                crm = f;
            }
            if (f.path("name").asText().equals("LOYALTY")) {
                loyalty = f;
            }
        }
        assertThat(crm).isNotNull();
        assertThat(crm.path("type").asText()).isEqualTo("string");
        assertThat(crm.path("unique").asBoolean()).isTrue();
        assertThat(crm.path("category").asText()).isEqualTo("custom");
        assertThat(loyalty.path("title").asText()).isEqualTo("Loyalty score");

        master().ok("databases/fields_update", "{\"db_id\":" + id + ",\"name\":\"LOYALTY\",\"title\":\"Points\"}");
        master().ok("databases/fields_update", "{\"db_id\":" + id + ",\"name\":\"Tier\",\"options\":[\"gold\",\"silver\",\"bronze\"]}");
        assertThat(master().call("databases/fields_update",
                "{\"db_id\":" + id + ",\"name\":\"Tier\",\"options\":[\"gold\"]}").errorText()).contains("silver");
        assertThat(master().call("databases/fields_update",
                "{\"db_id\":" + id + ",\"name\":\"LOYALTY\",\"type\":\"string\"}").code()).isEqualTo(400);
        JsonNode after = fields(id);
        after.forEach(f -> {
            if (f.path("name").asText().equals("LOYALTY")) {
                assertThat(f.path("title").asText()).isEqualTo("Points");
                assertThat(f.path("type").asText()).isEqualTo("int");
            }
            if (f.path("name").asText().equals("Tier")) {
                assertThat(f.path("options").toString()).isEqualTo("[\"gold\",\"silver\",\"bronze\"]");
            }
        });

        master().ok("databases/fields_delete", "{\"db_id\":" + id + ",\"name\":\"LOYALTY\"}");
        assertThat(customFieldNames(id)).doesNotContain("LOYALTY").contains("CRM_ID", "Tier");
        assertThat(master().call("databases/fields_delete", "{\"db_id\":" + id + ",\"name\":\"LOYALTY\"}").code())
                .isEqualTo(404);
    }

    @Test
    void badFieldDefinitionsAre400Or409AndChangeNothing() {
        long id = createDatabase("field validation");
        master().ok("databases/fields_add", "{\"db_id\":" + id + ",\"name\":\"CRM_ID\",\"type\":\"string\"}");
        List<String> before = customFieldNames(id);
        String[] sqlish = {"x; drop table databases", "name'--", "a b", "1abc", "_fname", "email", "Email", "_secret",
                "x\"y", "subscriptions", "_xxh", "a".repeat(65), "", "ф"};
        for (String name : sqlish) {
            Response r = master().call("databases/fields_add",
                    "{\"db_id\":" + id + ",\"name\":" + dev.roster.json.Json.write(name) + ",\"type\":\"string\"}");
            assertThat(r.code()).as(name).isEqualTo(400);
            assertThat(r.errorText()).as(name).contains("'name'");
        }
        Response twin = master().call("databases/fields_add", "{\"db_id\":" + id + ",\"name\":\"crm_id\",\"type\":\"int\"}");
        assertThat(twin.code()).isEqualTo(409);
        assertThat(master().call("databases/fields_add", "{\"db_id\":" + id + ",\"name\":\"X\",\"type\":\"varchar\"}")
                .errorText()).contains("'type'").contains("varchar").contains("arr_object");
        assertThat(master().call("databases/fields_add", "{\"db_id\":" + id + ",\"name\":\"E\",\"type\":\"enum\"}")
                .errorText()).contains("'options'");
        assertThat(master().call("databases/fields_add",
                "{\"db_id\":" + id + ",\"name\":\"O\",\"type\":\"object\",\"unique\":true}").errorText()).contains("'unique'");
        assertThat(master().call("databases/fields_add", "{\"db_id\":424242,\"name\":\"X\",\"type\":\"int\"}").code())
                .isEqualTo(404);
        assertThat(customFieldNames(id)).isEqualTo(before);
        // the stores still have their tables
        assertThat(master().ok("databases/list", "{}").path("total_count").asLong()).isPositive();
    }

    @Test
    void resourceLifecycle() {
        long db = createDatabase("resource db");
        long id = master().ok("resources/create",
                "{\"name\":\"Web shop\",\"channels\":[\"email\",\"sms\",\"push\"],\"db_ids\":[" + db + "]}")
                .path("data").path("id").asLong();
        JsonNode r = master().ok("resources/get", "{\"id\":" + id + "}").path("data");
        assertThat(r.path("name").asText()).isEqualTo("Web shop");
        assertThat(r.path("channels").toString()).isEqualTo("[\"email\",\"sms\",\"push\"]");
        assertThat(r.path("dbs_ids").toString()).isEqualTo("[" + db + "]");

        master().ok("resources/update", "{\"id\":" + id + ",\"channels\":[\"email\",\"telegram_bot\"],\"db_ids\":[]}");
        r = master().ok("resources/get", "{\"id\":" + id + "}").path("data");
        assertThat(r.path("channels").toString()).isEqualTo("[\"email\",\"telegram_bot\"]");
        assertThat(r.path("dbs_ids").isEmpty()).isTrue();
        assertThat(r.path("name").asText()).isEqualTo("Web shop");

        JsonNode list = master().ok("resources/list", "{}");
        assertThat(list.path("data").findValuesAsText("name")).contains("Web shop");
        assertThat(list.path("total_count").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(list.path("next_from_id").asLong()).isGreaterThan(id);

        master().ok("resources/delete", "{\"id\":" + id + "}");
        assertThat(master().call("resources/get", "{\"id\":" + id + "}").code()).isEqualTo(404);
    }

    @Test
    void badResourcesAre400Or404AndChangeNothing() {
        long before = master().ok("resources/list", "{}").path("total_count").asLong();
        assertThat(master().call("resources/create", "{\"name\":\"r\",\"channels\":[\"fax\"]}").errorText())
                .contains("'channels'").contains("fax").contains("telegram_bot");
        assertThat(master().call("resources/create", "{\"name\":\"r\",\"channels\":[]}").errorText()).contains("'channels'");
        assertThat(master().call("resources/create", "{\"name\":\"r\"}").errorText()).contains("'channels'");
        assertThat(master().call("resources/create", "{\"name\":\"r\",\"channels\":\"email\"}").errorText())
                .contains("an array");
        Response unknownDb = master().call("resources/create", "{\"name\":\"r\",\"channels\":[\"email\"],\"db_ids\":[424242]}");
        assertThat(unknownDb.code()).isEqualTo(404);
        assertThat(unknownDb.errorText()).contains("database 424242");
        assertThat(master().ok("resources/list", "{}").path("total_count").asLong()).isEqualTo(before);
    }

    @Test
    void deletingADatabaseUnlinksItFromResources() {
        long db = createDatabase("linked db");
        long id = master().ok("resources/create", "{\"name\":\"linked\",\"channels\":[\"email\"],\"db_ids\":[" + db + "]}")
                .path("data").path("id").asLong();
        master().ok("databases/delete", "{\"id\":" + db + "}");
        assertThat(master().ok("resources/get", "{\"id\":" + id + "}").path("data").path("dbs_ids").isEmpty()).isTrue();
    }
}
