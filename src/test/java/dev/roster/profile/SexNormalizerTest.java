package dev.roster.profile;

import static dev.roster.profile.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.error.RosterException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SexNormalizerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "'male'     | male", "'MALE'   | male", "' Male ' | male", "1 | male", "'1' | male",
        "'female'   | female", "'FeMaLe' | female", "2 | female", "'2' | female"})
    void wordsAndNumbers(String sent, String stored) {
        assertThat(Normalizer.sex(json(sent))).isEqualTo(stored);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "'0'"})
    void zeroClears(String sent) {
        assertThat(Normalizer.sex(json(sent))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"'m'", "'f'", "''", "3", "-1", "1.0", "true", "null", "['male']", "{'v':1}", "'man'"})
    void refusesTheRest(String sent) {
        assertThatThrownBy(() -> Normalizer.sex(json(sent)))
                .isInstanceOf(RosterException.class)
                .hasMessageStartingWith("invalid value of '_sex': expected \"male\", \"female\", 1 (male), 2 (female)"
                        + " or 0 (clear), got ")
                .hasMessageEndingWith(json(sent).toString());
    }
}
