package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.catalog.FieldType;
import dev.roster.testing.Gen;
import dev.roster.testing.Property;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Seeded properties of the field functions (see {@link Property}: the seed in a failure replays it). */
class FieldFunctionsPropertiesTest {
    private static final int TRIES = 1000;
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

    record IntIncrements(long start, boolean absent, List<Long> deltas) {
    }

    @Test
    void intIncrementsAddUpToTheirSum() {
        Property.forAll(TRIES, g -> new IntIncrements(g.longBetween(-1_000_000_000L, 1_000_000_000L), g.bool(),
                g.list(1, 20, () -> g.longBetween(-1_000_000_000_000L, 1_000_000_000_000L))), in -> {
            JsonNode value = in.absent() ? null : NODES.numberNode(in.start());
            for (long delta : in.deltas()) {
                value = apply(FieldType.INT, value, function("incr", NODES.numberNode(delta)));
            }
            long sum = (in.absent() ? 0 : in.start()) + in.deltas().stream().mapToLong(Long::longValue).sum();
            assertThat(value.isIntegralNumber()).isTrue();
            assertThat(value.longValue()).isEqualTo(sum);
            assertThat(value).isEqualTo(JsonValues.integerNode(sum)); // int-sized sums are IntNodes, as when read back
        });
    }

    record FloatIncrements(BigDecimal start, boolean absent, List<BigDecimal> deltas, boolean asText) {
    }

    @Test
    void floatIncrementsAddUpToTheirSum() {
        Property.forAll(TRIES, g -> new FloatIncrements(cents(g), g.bool(), g.list(1, 20, () -> cents(g)), g.bool()), in -> {
            JsonNode value = in.absent() ? null : NODES.numberNode(in.start().doubleValue());
            BigDecimal sum = in.absent() ? BigDecimal.ZERO : in.start();
            for (BigDecimal delta : in.deltas()) {
                JsonNode sent = in.asText() ? NODES.textNode(delta.toPlainString()) : NODES.numberNode(delta.doubleValue());
                value = apply(FieldType.FLOAT, value, function("incr", sent));
                sum = sum.add(delta);
            }
            assertThat(value.isDouble()).isTrue();
            assertThat(value.doubleValue()).isCloseTo(sum.doubleValue(), within(1e-6));
        });
    }

    static BigDecimal cents(Gen g) {
        return g.decimal(new BigDecimal("-1000000"), new BigDecimal("1000000"), 2);
    }

    // --- tags

    record TwoTagLists(List<String> original, List<String> other, boolean asText) {
    }

    static TwoTagLists twoTagLists(Gen g) {
        return new TwoTagLists(tagList(g), tagList(g), g.bool());
    }

    @Test
    void addThenDeleteOfNewTagsRestoresTheOriginal() {
        Property.forAll(TRIES, FieldFunctionsPropertiesTest::twoTagLists, in -> {
            List<String> fresh = in.other().stream().filter(tag -> !in.original().contains(tag)).toList();
            JsonNode start = tags(in.original());
            JsonNode grown = apply(FieldType.TAGS, start, function("add", send(fresh, in.asText())));
            assertThat(apply(FieldType.TAGS, grown, function("delete", send(fresh, in.asText())))).isEqualTo(start);
        });
    }

    @Test
    void addIsAnIdempotentUnionKeepingTheOriginalOrder() {
        Property.forAll(TRIES, FieldFunctionsPropertiesTest::twoTagLists, in -> {
            List<String> added = in.other();
            JsonNode once = apply(FieldType.TAGS, tags(in.original()), function("add", send(added, in.asText())));
            JsonNode twice = apply(FieldType.TAGS, once, function("add", send(added, in.asText())));
            assertThat(twice).isEqualTo(once);
            Set<String> union = new LinkedHashSet<>(in.original());
            union.addAll(added);
            assertThat(strings(once)).containsExactlyElementsOf(union);
        });
    }

    @Test
    void deleteIsASetDifferenceKeepingTheOrder() {
        Property.forAll(TRIES, FieldFunctionsPropertiesTest::twoTagLists, in -> {
            List<String> removed = in.other();
            JsonNode left = apply(FieldType.TAGS, tags(in.original()), function("delete", tags(removed)));
            assertThat(strings(left)).containsExactlyElementsOf(
                    in.original().stream().filter(t -> !removed.contains(t)).toList());
        });
    }

    private static final String TAG_CHARS = Gen.ALPHA + Gen.DIGITS + "_- ";

    /** Up to ten distinct tags of letters, digits, '_', '-' and inner spaces (stripped, never empty). */
    static List<String> tagList(Gen g) {
        return g.uniqueList(0, 10, () -> g.filtered(() -> g.string(TAG_CHARS, 1, 8).strip(), tag -> !tag.isEmpty()));
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

    record Upsert(List<ObjectNode> elements, int id, String word) {
    }

    @Test
    void upsertLeavesElementsThatDoNotMatchUntouched() {
        Property.forAll(TRIES, g -> new Upsert(elements(g), g.intBetween(0, 4), word(g)), in -> {
            List<ObjectNode> elements = in.elements();
            int id = in.id();
            String word = in.word();
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
        });
    }

    /** Up to eight elements: an id 0..4 (absent one time in five), a word, and an extra word half of the time. */
    static List<ObjectNode> elements(Gen g) {
        return g.list(0, 8, () -> {
            Integer id = g.orNull(0.2, () -> g.intBetween(0, 4));
            String v = word(g);
            String extra = g.orNull(0.5, () -> word(g));
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
    }

    static String word(Gen g) {
        return g.string(Gen.ALPHA, 0, 5);
    }
}
