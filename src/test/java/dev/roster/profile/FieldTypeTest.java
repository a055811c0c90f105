package dev.roster.profile;

import dev.roster.catalog.FieldType;
import static dev.roster.profile.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import dev.roster.error.RosterException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class FieldTypeTest {
    private static final List<String> OPTIONS = List.of("Option 1", "Option 2", "3");

    private static JsonNode coerce(FieldType type, String json) {
        return FieldValues.coerce(type, "F", json(json), OPTIONS);
    }

    private static void refused(FieldType type, String json, String expected) {
        assertThatThrownBy(() -> coerce(type, json))
                .isInstanceOf(RosterException.class)
                .hasMessage("invalid value of 'F': expected " + expected + ", got " + json(json));
    }

    @ParameterizedTest
    @EnumSource(FieldType.class)
    void parseReadsEveryWireName(FieldType type) {
        assertThat(FieldType.parse(type.wireName())).isSameAs(type);
        assertThat(FieldType.parse(" " + type.wireName().toUpperCase() + " ")).isSameAs(type);
    }

    @Test
    void wireNamesAreTheApiNames() {
        assertThat(Arrays.stream(FieldType.values()).map(FieldType::wireName))
                .containsExactly("int", "float", "string", "date", "bool", "enum", "ip", "tags", "object", "arr_object");
        assertThat(FieldType.parse("boolean")).isSameAs(FieldType.BOOL);
    }

    @Test
    void parseListsTheValidNamesOnUnknown() {
        assertThatThrownBy(() -> FieldType.parse("integer"))
                .isInstanceOf(RosterException.class)
                .hasMessage("invalid value of 'type': expected one of int, float, string, date, bool, enum, ip, tags,"
                        + " object, arr_object, got \"integer\"");
        assertThatThrownBy(() -> FieldType.parse(null)).hasMessageEndingWith("got nothing");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "100 | 100", "-7 | -7", "'42' | 42", "'+42' | 42", "'-42' | -42", "5.0 | 5", "1e3 | 1000",
        "9223372036854775807 | 9223372036854775807", "'-9223372036854775808' | -9223372036854775808"})
    void intAcceptsIntegersAndIntegerText(String sent, String stored) {
        assertThat(coerce(FieldType.INT, sent)).isEqualTo(json(stored));
    }

    @Test
    void intIsStoredAsJacksonReadsIt() {
        assertThat(coerce(FieldType.INT, "'12'")).isInstanceOf(IntNode.class);
        assertThat(coerce(FieldType.INT, "'3000000000'")).isInstanceOf(LongNode.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "5.5", "'5.5'", "'12a'", "''", "' 1'", "9223372036854775808", "'9223372036854775808'", "true", "null",
        "[1]", "{}", "1e30"})
    void intRefusesTheRest(String sent) {
        refused(FieldType.INT, sent, "an integer");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "100.5 | 100.5", "3 | 3.0", "'-2.25' | -2.25", "'1e3' | 1000.0", "'.5' | 0.5", "'7.' | 7.0"})
    void floatAcceptsNumbersAndNumericText(String sent, double stored) {
        JsonNode node = coerce(FieldType.FLOAT, sent);
        assertThat(node.isDouble()).isTrue();
        assertThat(node.doubleValue()).isEqualTo(stored);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "'NaN'", "'Infinity'", "'0x10'", "'1,5'", "''", "'1e999'", "1e999", "false", "[]", "{'a':1}"})
    void floatRefusesTheRest(String sent) {
        refused(FieldType.FLOAT, sent, "a finite number");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "'string value' | string value", "12345 | 12345", "' padded ' | ' padded '", "true | true",
        "12.5 | 12.5", "1e20 | 100000000000000000000", "'' | ''"})
    void stringAcceptsTextAndScalarsAsText(String sent, String stored) {
        assertThat(coerce(FieldType.STRING, sent)).isEqualTo(json(stored.startsWith("'") ? stored : "'" + stored + "'"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {"null", "[]", "['a']", "{}"})
    void stringRefusesStructures(String sent) {
        refused(FieldType.STRING, sent, "a string");
    }

    @Test
    void dateUsesTheNormalizer() {
        assertThat(coerce(FieldType.DATE, "'2024-05-27T15:00:00+03:00'")).isEqualTo(json("'2024-05-27T12:00:00Z'"));
        assertThat(coerce(FieldType.DATE, "0")).isEqualTo(json("'1970-01-01T00:00:00Z'"));
        assertThat(coerce(FieldType.DATE, "'27.05.2024'")).isEqualTo(json("'2024-05-27T00:00:00Z'"));
        refused(FieldType.DATE, "'05/27/2024'", Normalizer.DATE_EXPECTED);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "true | true", "false | false", "'true' | true", "'FALSE' | false", "1 | true", "0 | false",
        "'1' | true", "'0' | false"})
    void boolAcceptsBooleansTheirTextAndZeroOne(String sent, boolean stored) {
        assertThat(coerce(FieldType.BOOL, sent).booleanValue()).isEqualTo(stored);
        assertThat(coerce(FieldType.BOOL, sent).isBoolean()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {"2", "-1", "'yes'", "''", "1.0", "null", "[true]"})
    void boolRefusesTheRest(String sent) {
        refused(FieldType.BOOL, sent, FieldType.BOOL.expected());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "'Option 1' | Option 1", "'Option 2' | Option 2", "1 | Option 1", "2 | Option 2", "'2' | Option 2",
        "'3' | 3", "3 | 3"})
    void enumAcceptsAnOptionOrItsOneBasedNumber(String sent, String stored) {
        assertThat(coerce(FieldType.ENUM, sent).textValue()).isEqualTo(stored);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {"'option 1'", "'Option 4'", "0", "4", "-1", "1.5", "true", "null"})
    void enumRefusesTheRestListingTheOptions(String sent) {
        refused(FieldType.ENUM, sent, "one of [Option 1, Option 2, 3] or its 1-based number");
    }

    @Test
    void enumWithoutOptionsRefusesEverything() {
        assertThatThrownBy(() -> FieldValues.coerce(FieldType.ENUM, "F", json("1"), List.of())).isInstanceOf(RosterException.class);
        assertThatThrownBy(() -> FieldValues.coerce(FieldType.ENUM, "F", json("'a'"), null)).isInstanceOf(RosterException.class);
    }

    @Test
    void ipUsesTheNormalizer() {
        assertThat(coerce(FieldType.IP, "'2001:DB8::0001'")).isEqualTo(json("'2001:db8::1'"));
        assertThatThrownBy(() -> coerce(FieldType.IP, "'999.1.1.1'")).hasMessageContaining("'F'");
        refused(FieldType.IP, "3232235521", "an IPv4 or IPv6 address");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "['Tag 1','Tag 2'] | ['Tag 1','Tag 2']",
        "['b','a','b',' a '] | ['b','a']",
        "'tag_1, tag_2' | ['tag_1','tag_2']",
        "'solo' | ['solo']",
        "'a,,b,' | ['a','b']",
        "'' | []",
        "[] | []",
        "[1, true, 'x'] | ['1','true','x']"})
    void tagsAcceptArraysAndCommaSeparatedText(String sent, String stored) {
        assertThat(coerce(FieldType.TAGS, sent)).isEqualTo(json(stored));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {"5", "true", "{}", "['a', null]", "[['a']]", "[{'a':1}]", "null"})
    void tagsRefuseTheRest(String sent) {
        refused(FieldType.TAGS, sent, FieldType.TAGS.expected());
    }

    @Test
    void objectAcceptsObjectsOnly() {
        assertThat(coerce(FieldType.OBJECT, "{'a':{'b':[1,2]}}")).isEqualTo(json("{'a':{'b':[1,2]}}"));
        refused(FieldType.OBJECT, "[{'a':1}]", "a JSON object");
        refused(FieldType.OBJECT, "'{}'", "a JSON object");
    }

    @Test
    void arrObjectAcceptsArraysOfObjectsOnly() {
        assertThat(coerce(FieldType.ARR_OBJECT, "[{'k':'v'},{}]")).isEqualTo(json("[{'k':'v'},{}]"));
        assertThat(coerce(FieldType.ARR_OBJECT, "[]")).isEqualTo(json("[]"));
        refused(FieldType.ARR_OBJECT, "{'k':'v'}", "an array of JSON objects");
        refused(FieldType.ARR_OBJECT, "[{'k':'v'}, 1]", "an array of JSON objects");
    }

    @Test
    void coerceNeverReturnsTheSentNode() {
        JsonNode sent = json("{'a':1}");
        JsonNode stored = FieldValues.coerce(FieldType.OBJECT, "F", sent, null);
        ((com.fasterxml.jackson.databind.node.ObjectNode) stored).put("b", 2);
        assertThat(sent).isEqualTo(json("{'a':1}"));
    }
}
