package dev.roster.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;

/** What a body, a file's line or a queue message that does not parse is answered with: the parser's words, plainly. */
class ParseProblemTest {

    private static String problemOf(String text) {
        return Json.parseProblem(catchThrowableOfType(JsonProcessingException.class, () -> Json.MAPPER.readTree(text)));
    }

    @Test
    void anUnclosedObjectNamesWhereItBeganInPlainWords() {
        assertThat(problemOf("{\"email\": \"a@example.com\""))
                .isEqualTo("Unexpected end-of-input: expected close marker for Object (start marker at line 1, column 1)");
    }

    @Test
    void anUnclosedArrayOnALaterLineToo() {
        assertThat(problemOf("{\"phones\":\n  [\"+79001234567\""))
                .contains("expected close marker for Array (start marker at line 2, column 3)")
                .doesNotContain("Source").doesNotContain("REDACTED");
    }

    @Test
    void aMessageWithoutAPlaceIsLeftAsTheParserSaidIt() {
        assertThat(problemOf("{\"a\": }")).startsWith("Unexpected character ('}'").doesNotContain("Source");
    }
}
