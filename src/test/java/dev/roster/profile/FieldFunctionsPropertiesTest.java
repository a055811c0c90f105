package dev.roster.profile;

import dev.roster.catalog.FieldType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class FieldFunctionsPropertiesTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static JsonNode apply(FieldType type, JsonNode current, JsonNode input) {
        return FieldFunctions.apply("F", type, List.of(), current, input);
    }

    private static ObjectNode function(String action, JsonNode value) {
        ObjectNode function = NODES.objectNode().put("action", action);
        function.set("value", value);
        return function;
    }

    // --- incr

    @Property
    void intIncrementsAddUpToTheirSum(@ForAll @LongRange(min = -1_000_000_000L, max = 1_000_000_000L) long start,
            @ForAll boolean absent,
            @ForAll @Size(min = 1, max = 20) List<@LongRange(min = -1_000_000_000_000L, max = 1_000_000_000_000L) Long> deltas) {
        JsonNode value = absent ? null : NODES.numberNode(start);
        for (long delta : deltas) {
            value = apply(FieldType.INT, value, function("incr", NODES.numberNode(delta)));
        }
        long sum = (absent ? 0 : start) + deltas.stream().mapToLong(Long::longValue).sum();
        assertThat(value.isIntegralNumber()).isTrue();
        assertThat(value.longValue()).isEqualTo(sum);
        assertThat(value).isEqualTo(JsonValues.integerNode(sum)); // int-sized sums are IntNodes, as when read back
    }

    @Property
    void floatIncrementsAddUpToTheirSum(@ForAll("cents") BigDecimal start, @ForAll boolean absent,
            @ForAll("centLists") List<BigDecimal> deltas, @ForAll boolean asText) {
        JsonNode value = absent ? null : NODES.numberNode(start.doubleValue());
        BigDecimal sum = absent ? BigDecimal.ZERO : start;
        for (BigDecimal delta : deltas) {
            JsonNode sent = asText ? NODES.textNode(delta.toPlainString()) : NODES.numberNode(delta.doubleValue());
            value = apply(FieldType.FLOAT, value, function("incr", sent));
            sum = sum.add(delta);
        }
        assertThat(value.isDouble()).isTrue();
        assertThat(value.doubleValue()).isCloseTo(sum.doubleValue(), within(1e-6));
    }

    @Provide
    Arbitrary<BigDecimal> cents() {
        return Arbitraries.bigDecimals().between(new BigDecimal("-1000000"), new BigDecimal("1000000")).ofScale(2);
    }

    @Provide
    Arbitrary<List<BigDecimal>> centLists() {
        return cents().list().ofMinSize(1).ofMaxSize(20);
    }

    // --- tags

    @Property
    void addThenDeleteOfNewTagsRestoresTheOriginal(@ForAll("tagLists") List<String> original,
            @ForAll("tagLists") List<String> added, @ForAll boolean asText) {
        List<String> fresh = added.stream().filter(tag -> !original.contains(tag)).toList();
        JsonNode start = tags(original);
        JsonNode grown = apply(FieldType.TAGS, start, function("add", send(fresh, asText)));
        assertThat(apply(FieldType.TAGS, grown, function("delete", send(fresh, asText)))).isEqualTo(start);
    }

    @Property
    void addIsAnIdempotentUnionKeepingTheOriginalOrder(@ForAll("tagLists") List<String> original,
            @ForAll("tagLists") List<String> added, @ForAll boolean asText) {
        JsonNode once = apply(FieldType.TAGS, tags(original), function("add", send(added, asText)));
        JsonNode twice = apply(FieldType.TAGS, once, function("add", send(added, asText)));
        assertThat(twice).isEqualTo(once);
        Set<String> union = new LinkedHashSet<>(original);
        union.addAll(added);
        assertThat(strings(once)).containsExactlyElementsOf(union);
    }

    @Property
    void deleteIsASetDifferenceKeepingTheOrder(@ForAll("tagLists") List<String> original,
            @ForAll("tagLists") List<String> removed) {
        JsonNode left = apply(FieldType.TAGS, tags(original), function("delete", tags(removed)));
        assertThat(strings(left)).containsExactlyElementsOf(original.stream().filter(t -> !removed.contains(t)).toList());
    }

    @Provide
    Arbitrary<List<String>> tagLists() {
        return Arbitraries.strings().alpha().numeric().withChars("_- ").ofMinLength(1).ofMaxLength(8)
                .map(String::strip).filter(tag -> !tag.isEmpty())
                .list().uniqueElements().ofMaxSize(10);
    }

    private static ArrayNode tags(List<String> tags) {
        ArrayNode array = NODES.arrayNode();
        tags.forEach(array::add);
        return array;
    }

    private static JsonNode send(List<String> tags, boolean asText) {
        return asText ? NODES.textNode(String.join(", ", tags)) : tags(tags);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.textValue()));
        return out;
    }

    // --- upsert on arr_object

    @Property
    void upsertLeavesElementsThatDoNotMatchUntouched(@ForAll("elements") List<ObjectNode> elements,
            @ForAll @IntRange(min = 0, max = 4) int id, @ForAll("words") String word) {
        ArrayNode current = NODES.arrayNode().addAll(elements);
        ObjectNode value = NODES.objectNode().put("id", id).put("v", word);
        ObjectNode input = function("upsert", value);
        input.put("submatch", "id");

        JsonNode result = apply(FieldType.ARR_OBJECT, current, input);

        boolean anyMatch = false;
        for (int i = 0; i < elements.size(); i++) {
            ObjectNode before = elements.get(i);
            boolean matches = before.has("id") && before.get("id").intValue() == id;
            anyMatch |= matches;
            if (matches) {
                ObjectNode merged = before.deepCopy().put("v", word);
                assertThat(result.get(i)).isEqualTo(merged);
            } else {
                assertThat(result.get(i)).isEqualTo(before);
            }
        }
        assertThat(result.size()).isEqualTo(elements.size() + (anyMatch ? 0 : 1));
        if (!anyMatch) {
            assertThat(result.get(elements.size())).isEqualTo(value);
        }
        assertThat(current).isEqualTo(NODES.arrayNode().addAll(elements)); // the stored value is not modified
    }

    @Provide
    Arbitrary<List<ObjectNode>> elements() {
        Arbitrary<ObjectNode> element = Combinators.combine(
                        Arbitraries.integers().between(0, 4).injectNull(0.2), words(), words().injectNull(0.5))
                .as((id, v, extra) -> {
                    ObjectNode node = NODES.objectNode();
                    if (id != null) {
                        node.put("id", id);
                    }
                    node.put("v", v);
                    if (extra != null) {
                        node.put("extra", extra);
                    }
                    return node;
                });
        return element.list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<String> words() {
        return Arbitraries.strings().alpha().ofMaxLength(5);
    }
}
