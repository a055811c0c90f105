package dev.roster.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The filter form's rows become the profiles/list query documented in docs/API.md. */
class FilterBuilderTest {
    private static final Map<String, String> TYPES = Map.of("email", "string", "crm_id", "int", "vip", "bool",
            "score", "float", "tags", "tags");

    private static String build(String join, FilterBuilder.Condition... rows) {
        return Json.write(FilterBuilder.build(List.of(rows), join, TYPES));
    }

    @Test
    void oneRowIsOneConditionTypedByTheField() {
        assertThat(build("and", new FilterBuilder.Condition("crm_id", "gte", "10"))).isEqualTo("{\"crm_id\":{\"$gte\":10}}");
        assertThat(build("and", new FilterBuilder.Condition("vip", "eq", "true"))).isEqualTo("{\"vip\":true}");
        assertThat(build("and", new FilterBuilder.Condition("score", "lt", "2.5"))).isEqualTo("{\"score\":{\"$lt\":2.5}}");
        // text the type cannot read goes as sent: the query service refuses it naming the field
        assertThat(build("and", new FilterBuilder.Condition("crm_id", "eq", "ten"))).isEqualTo("{\"crm_id\":\"ten\"}");
    }

    @Test
    void rowsJoinWithAndOrOrAndBlankRowsAreIgnored() {
        assertThat(build("or", new FilterBuilder.Condition("email", "contains", "a.b+c"),
                new FilterBuilder.Condition("", "eq", ""), new FilterBuilder.Condition("tags", "in", "x, y")))
                .isEqualTo("{\"$or\":[{\"email\":{\"$regex\":\"a\\\\.b\\\\+c\",\"$options\":\"i\"}},"
                        + "{\"tags\":{\"$in\":[\"x\",\"y\"]}}]}");
        assertThat(build("and", new FilterBuilder.Condition("vip", "missing", ""),
                new FilterBuilder.Condition("subscription.email", "eq", "subscribed")))
                .isEqualTo("{\"$and\":[{\"vip\":{\"$exists\":false}},"
                        + "{\"subscriptions\":{\"$elemMatch\":{\"channel\":\"email\",\"status\":\"subscribed\"}}}]}");
        assertThat(FilterBuilder.build(List.of(new FilterBuilder.Condition(" ", "eq", "")), "and", TYPES)).isNull();
    }

    @Test
    void aRowTheFormCannotExpressSaysWhichRow() {
        assertThatThrownBy(() -> build("and", new FilterBuilder.Condition("email", "eq", "x"),
                new FilterBuilder.Condition("nope", "eq", "1")))
                .hasMessageContaining("row 2").hasMessageContaining("'nope'");
        assertThatThrownBy(() -> build("and", new FilterBuilder.Condition("email", "eq", "")))
                .hasMessageContaining("row 1: enter a value");
    }
}
