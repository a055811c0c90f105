package dev.roster.profile;

import dev.roster.catalog.FieldType;
import static dev.roster.profile.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.error.RosterException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FieldFunctionsTest {

    /** Applies {@code input} to a custom field "F" of {@code type}; {@code current} may be null (absent). */
    private static JsonNode apply(FieldType type, String current, String input) {
        return FieldFunctions.apply("F", type, List.of("a", "b"), current == null ? null : json(current), json(input));
    }

    private static void refused(FieldType type, String current, String input, String message) {
        assertThatThrownBy(() -> apply(type, current, input))
                .isInstanceOf(RosterException.class)
                .hasMessage(message);
    }

    // --- set / unset

    @Test
    void aPlainValueIsSetAfterCoercion() {
        assertThat(apply(FieldType.INT, "1", "'42'")).isEqualTo(json("42"));
        assertThat(apply(FieldType.TAGS, "['x']", "'a, b'")).isEqualTo(json("['a','b']"));
        refused(FieldType.INT, null, "'x'", "invalid value of 'F': expected an integer, got \"x\"");
    }

    @Test
    void setActionCoercesItsValue() {
        assertThat(apply(FieldType.STRING, "'old'", "{'action':'set','value':123}")).isEqualTo(json("'123'"));
        assertThat(apply(FieldType.ENUM, null, "{'action':'SET','value':2}")).isEqualTo(json("'b'"));
        refused(FieldType.DATE, null, "{'action':'set','value':'soon'}",
                "invalid value of 'F': expected " + Normalizer.DATE_EXPECTED + ", got \"soon\"");
    }

    @Test
    void setWithoutValueIsA400() {
        refused(FieldType.STRING, null, "{'action':'set'}", "missing required parameter 'F.value'");
    }

    @Test
    void nullUnsetAndSetToNullRemoveTheField() {
        assertThat(apply(FieldType.STRING, "'x'", "null")).isNull();
        assertThat(apply(FieldType.STRING, "'x'", "{'action':'unset'}")).isNull();
        assertThat(apply(FieldType.TAGS, "['x']", "{'action':'set','value':null}")).isNull();
        assertThat(FieldFunctions.apply("F", FieldType.INT, List.of(), json("1"), null)).isNull();
    }

    @Test
    void aCoercionThatClearsRemovesTheField() {
        assertThat(FieldFunctions.apply(StandardField.SEX, null, json("'male'"), json("0"))).isNull();
        assertThat(FieldFunctions.apply(StandardField.SEX, null, null, json("{'action':'set','value':'FEMALE'}")))
                .isEqualTo(json("'female'"));
    }

    // --- incr

    @Test
    void incrAddsToIntsAndCountsAbsentAsZero() {
        assertThat(apply(FieldType.INT, "5", "{'action':'incr','value':1000}")).isEqualTo(json("1005"));
        assertThat(apply(FieldType.INT, "5", "{'action':'incr','value':-1000}")).isEqualTo(json("-995"));
        assertThat(apply(FieldType.INT, null, "{'action':'incr','value':'7'}")).isEqualTo(json("7"));
        assertThat(apply(FieldType.INT, "2147483647", "{'action':'incr','value':1}")).isEqualTo(json("2147483648"));
    }

    @Test
    void incrOnAnIntRefusesFractionsAndOverflow() {
        refused(FieldType.INT, "1", "{'action':'incr','value':1.5}", "invalid value of 'F': expected an integer, got 1.5");
        refused(FieldType.INT, "9223372036854775807", "{'action':'incr','value':1}",
                "invalid value of 'F': expected an increment keeping the value within the 64-bit integer range"
                        + " (stored 9223372036854775807), got 1");
        refused(FieldType.INT, "1", "{'action':'incr'}", "missing required parameter 'F.value'");
    }

    @Test
    void incrAddsToFloats() {
        assertThat(apply(FieldType.FLOAT, "100.5", "{'action':'incr','value':-0.5}")).isEqualTo(json("100.0"));
        assertThat(apply(FieldType.FLOAT, null, "{'action':'incr','value':2}")).isEqualTo(json("2.0"));
        refused(FieldType.FLOAT, "1.7e308", "{'action':'incr','value':1.7e308}",
                "invalid value of 'F': expected an increment keeping the value finite (stored 1.7E308), got 1.7E308");
        refused(FieldType.FLOAT, "1", "{'action':'incr','value':'lots'}",
                "invalid value of 'F': expected a finite number, got \"lots\"");
    }

    @Test
    void incrOnAStoredNonNumberIsA400() {
        refused(FieldType.INT, "'oops'", "{'action':'incr','value':1}",
                "cannot incr field 'F': its stored value is \"oops\"");
    }

    // --- add / delete on tags

    @Test
    void addAppendsMissingTagsInOrder() {
        assertThat(apply(FieldType.TAGS, "['a','b']", "{'action':'add','value':['b','c','d','c']}"))
                .isEqualTo(json("['a','b','c','d']"));
        assertThat(apply(FieldType.TAGS, null, "{'action':'add','value':'x, y'}")).isEqualTo(json("['x','y']"));
    }

    @Test
    void deleteRemovesGivenTags() {
        assertThat(apply(FieldType.TAGS, "['a','b','c']", "{'action':'delete','value':['a','c','z']}"))
                .isEqualTo(json("['b']"));
        assertThat(apply(FieldType.TAGS, "['a']", "{'action':'delete','value':'a'}")).isEqualTo(json("[]"));
        assertThat(apply(FieldType.TAGS, null, "{'action':'delete','value':['a']}")).isNull();
        refused(FieldType.TAGS, null, "{'action':'delete','value':{'a':1}}",
                "invalid value of 'F': expected " + FieldType.TAGS.expected() + ", got {\"a\":1}");
    }

    @Test
    void phonesAddAndDeleteCompareNormalisedNumbers() {
        JsonNode phones = FieldFunctions.apply(StandardField.PHONES, "RU", json("['+79000000000']"),
                json("{'action':'add','value':['8 900 000-00-00','+7 901 000-00-00']}"));
        assertThat(phones).isEqualTo(json("['+79000000000','+79010000000']"));
        assertThat(FieldFunctions.apply(StandardField.PHONES, "RU", phones, json("{'action':'delete','value':'89000000000'}")))
                .isEqualTo(json("['+79010000000']"));
    }

    @Test
    void addAndDeleteOnAStoredNonArrayIsA400() {
        refused(FieldType.TAGS, "'a'", "{'action':'add','value':['b']}",
                "cannot edit field 'F' as a list: its stored value is \"a\"");
    }

    // --- add / delete on arr_object

    @Test
    void addAppendsObjects() {
        assertThat(apply(FieldType.ARR_OBJECT, "[{'id':1}]", "{'action':'add','value':[{'id':2},{'id':1}]}"))
                .isEqualTo(json("[{'id':1},{'id':2},{'id':1}]"));
        assertThat(apply(FieldType.ARR_OBJECT, null, "{'action':'add','value':{'id':3}}")).isEqualTo(json("[{'id':3}]"));
        refused(FieldType.ARR_OBJECT, null, "{'action':'add','value':[1]}",
                "invalid value of 'F': expected an array of JSON objects, got [1]");
    }

    @Test
    void deleteRemovesEqualObjects() {
        assertThat(apply(FieldType.ARR_OBJECT, "[{'id':1,'n':'a'},{'id':2},{'n':'a','id':1}]",
                "{'action':'delete','value':[{'id':1,'n':'a'}]}")).isEqualTo(json("[{'id':2}]"));
        assertThat(apply(FieldType.ARR_OBJECT, "[{'id':1,'n':'a'}]", "{'action':'delete','value':{'id':1}}"))
                .isEqualTo(json("[{'id':1,'n':'a'}]"));
    }

    @Test
    void deleteWithSubmatchRemovesObjectsWithThatProperty() {
        assertThat(apply(FieldType.ARR_OBJECT, "[{'id':1,'n':'a'},{'id':2},{'id':1.0},{'n':'x'}]",
                "{'action':'delete','value':{'id':1},'submatch':'id'}")).isEqualTo(json("[{'id':2},{'n':'x'}]"));
        assertThat(apply(FieldType.ARR_OBJECT, "[{'p':{'sku':'A'}},{'p':{'sku':'B'}}]",
                "{'action':'delete','value':[{'p':{'sku':'B'}}],'submatch':'p.sku'}")).isEqualTo(json("[{'p':{'sku':'A'}}]"));
        refused(FieldType.ARR_OBJECT, "[{'id':1}]", "{'action':'delete','value':{'x':1},'submatch':'id'}",
                "invalid value of 'F': expected objects that have the submatch property 'id', got {\"x\":1}");
    }

    // --- upsert

    @Test
    void upsertOnObjectSetsThePropertyAtThePath() {
        assertThat(apply(FieldType.OBJECT, "{'a':{'b':1,'keep':true},'z':0}",
                "{'action':'upsert','value':{'n':2},'submatch':'a.b'}")).isEqualTo(json("{'a':{'b':{'n':2},'keep':true},'z':0}"));
        assertThat(apply(FieldType.OBJECT, null, "{'action':'upsert','value':5,'submatch':'x.y.z'}"))
                .isEqualTo(json("{'x':{'y':{'z':5}}}"));
        assertThat(apply(FieldType.OBJECT, "{'a':1}", "{'action':'upsert','value':null,'submatch':'a'}"))
                .isEqualTo(json("{'a':null}"));
        refused(FieldType.OBJECT, "{'a':1}", "{'action':'upsert','value':2,'submatch':'a.b'}",
                "invalid value of 'F.submatch': expected a path through objects, but 'a' holds 1, got a.b");
    }

    @Test
    void upsertNeedsSubmatchAndValue() {
        refused(FieldType.OBJECT, null, "{'action':'upsert','value':{}}", "missing required parameter 'F.submatch'");
        refused(FieldType.ARR_OBJECT, null, "{'action':'upsert','submatch':'id'}", "missing required parameter 'F.value'");
        refused(FieldType.OBJECT, null, "{'action':'upsert','value':1,'submatch':'a..b'}",
                "invalid value of 'F.submatch': expected a property path like \"id\" or \"a.b.c\", got \"a..b\"");
        refused(FieldType.OBJECT, null, "{'action':'upsert','value':1,'submatch':7}",
                "invalid value of 'F.submatch': expected a property path like \"id\" or \"a.b.c\", got 7");
    }

    @Test
    void upsertOnArrObjectMergesEveryMatchAndLeavesTheRest() {
        assertThat(apply(FieldType.ARR_OBJECT, "[{'id':1,'q':1,'keep':'x'},{'id':2,'q':1},{'id':1,'q':9}]",
                "{'action':'upsert','value':{'id':1,'q':5},'submatch':'id'}"))
                .isEqualTo(json("[{'id':1,'q':5,'keep':'x'},{'id':2,'q':1},{'id':1,'q':5}]"));
    }

    @Test
    void upsertOnArrObjectAppendsWhenNothingMatches() {
        assertThat(apply(FieldType.ARR_OBJECT, "[{'id':1}]", "{'action':'upsert','value':[{'id':2,'n':'b'}],'submatch':'id'}"))
                .isEqualTo(json("[{'id':1},{'id':2,'n':'b'}]"));
        assertThat(apply(FieldType.ARR_OBJECT, null, "{'action':'upsert','value':{'id':'x'},'submatch':'id'}"))
                .isEqualTo(json("[{'id':'x'}]"));
        refused(FieldType.ARR_OBJECT, "[]", "{'action':'upsert','value':{'n':1},'submatch':'id'}",
                "invalid value of 'F': expected objects that have the submatch property 'id', got {\"n\":1}");
    }

    // --- what counts as a function, and refusals

    @Test
    void onObjectFieldsAPlainObjectIsAValueEvenWithAnActionKey() {
        assertThat(apply(FieldType.OBJECT, null, "{'action':'login','at':'2024'}")).isEqualTo(json("{'action':'login','at':'2024'}"));
        assertThat(apply(FieldType.OBJECT, null, "{'action':'dance'}")).isEqualTo(json("{'action':'dance'}"));
        assertThat(apply(FieldType.OBJECT, "{'a':1}", "{'action':'set','value':{'b':2}}")).isEqualTo(json("{'b':2}"));
        refused(FieldType.OBJECT, null, "{'action':'incr','value':1}",
                "invalid value of 'F': expected a field function with action one of [set, unset, upsert] (object field),"
                        + " got action \"incr\"");
    }

    @Test
    void anUnknownOrDisallowedActionNamesTheFieldActionAndAllowedOnes() {
        refused(FieldType.INT, null, "{'action':'multiply','value':2}",
                "invalid value of 'F': expected a field function with action one of [set, unset, incr] (int field),"
                        + " got action \"multiply\"");
        refused(FieldType.STRING, null, "{'action':'add','value':'x'}",
                "invalid value of 'F': expected a field function with action one of [set, unset] (string field),"
                        + " got action \"add\"");
        refused(FieldType.TAGS, null, "{'action':5}",
                "invalid value of 'F': expected a field function with action one of [set, unset, add, delete]"
                        + " (tags field), got action 5");
        refused(FieldType.ARR_OBJECT, null, "{'action':'incr','value':1}",
                "invalid value of 'F': expected a field function with action one of [set, unset, add, delete, upsert]"
                        + " (arr_object field), got action \"incr\"");
    }

    @Test
    void unknownKeysAndMisplacedSubmatchAreRefused() {
        refused(FieldType.INT, null, "{'action':'incr','value':1,'by':2}",
                "invalid value of 'F': expected a field function with only the keys action, value, submatch, got key \"by\"");
        refused(FieldType.TAGS, null, "{'action':'add','value':['a'],'submatch':'x'}",
                "invalid value of 'F.submatch': expected no submatch: only upsert and arr_object delete use it, got \"x\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{'value':1}", "{'v':1}"})
    void anObjectWithoutActionIsAPlainValue(String input) {
        refused(FieldType.INT, null, input, "invalid value of 'F': expected an integer, got " + json(input));
    }

    @Test
    void theStoredValueIsNeverModified() {
        JsonNode current = json("[{'id':1,'q':1}]");
        FieldFunctions.apply("F", FieldType.ARR_OBJECT, current, json("{'action':'upsert','value':{'id':1,'q':2},'submatch':'id'}"),
                v -> FieldValues.coerce(FieldType.ARR_OBJECT, "F", v, null));
        FieldFunctions.apply("F", FieldType.ARR_OBJECT, current, json("{'action':'add','value':{'id':3}}"),
                v -> FieldValues.coerce(FieldType.ARR_OBJECT, "F", v, null));
        assertThat(current).isEqualTo(json("[{'id':1,'q':1}]"));
    }
}
