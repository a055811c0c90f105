package dev.roster.profile;

import static dev.roster.profile.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.roster.error.RosterException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DateNormalizerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1990-01-15                     | 1990-01-15T00:00:00Z",
        "1990-01-15T12:00:00Z           | 1990-01-15T12:00:00Z",
        "1990-01-15T15:00:00+03:00      | 1990-01-15T12:00:00Z",
        "1990-01-15T02:30:00-09:30      | 1990-01-15T12:00:00Z",
        "1990-01-15T00:00:00+03:00      | 1990-01-14T21:00:00Z",
        "2024-04-08T10:48:05.418Z       | 2024-04-08T10:48:05.418Z",
        "2024-04-08T10:48:05.000Z       | 2024-04-08T10:48:05Z",
        "2024-04-08T10:48:05.123456789Z | 2024-04-08T10:48:05.123456789Z",
        "2024-04-08t10:48:05z           | 2024-04-08T10:48:05Z",
        "2024-04-08 10:48:05-00:00      | 2024-04-08T10:48:05Z",
        "2024-02-29                     | 2024-02-29T00:00:00Z",
        "0001-01-01                     | 0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z           | 9999-12-31T23:59:59Z",
        "2023-01-15T10:20:30.123456     | 2023-01-15T10:20:30.123456Z",
        "1990-01-01T00:00:00.000+0000   | 1990-01-01T00:00:00Z",
        "2024-04-08T10:48:05+0300       | 2024-04-08T07:48:05Z",
        "2024-04-08T10:48:05+03         | 2024-04-08T07:48:05Z",
        "2024-04-08T10:48Z              | 2024-04-08T10:48:00Z",
        "2024-04-08 10:48               | 2024-04-08T10:48:00Z",
        "2024-04-08T10:48:05            | 2024-04-08T10:48:05Z",
        "15.01.1990                     | 1990-01-15T00:00:00Z",
        "15.01.1990 10:20               | 1990-01-15T10:20:00Z",
        "15.01.1990 10:20:30            | 1990-01-15T10:20:30Z",
        "1700000000                     | 2023-11-14T22:13:20Z",
        "1700000000123                  | 2023-11-14T22:13:20.123Z"})
    void textFormatsGiveRfc3339InUtc(String sent, String stored) {
        assertThat(Normalizer.date("_bdate", TextNode.valueOf(sent))).isEqualTo(stored);
    }

    @Test
    void integerUnixSecondsAreAccepted() {
        assertThat(Normalizer.date("d", IntNode.valueOf(0))).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(Normalizer.date("d", LongNode.valueOf(1_700_000_000L))).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(Normalizer.date("d", IntNode.valueOf(-86_400))).isEqualTo("1969-12-31T00:00:00Z");
        assertThat(Normalizer.date("d", json("4102444800"))).isEqualTo("2100-01-01T00:00:00Z");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "1990-02-30", "2023-02-29", "1990-1-15", "1990/01/15", "01/02/2023", "15.1.1990", "31.02.2023",
        "2024-04-08T25:00:00Z", "2024-04-08T10:60:00Z", "2024-04-08T10:48:60Z", "2024-04-08T10:48:05+0360",
        "2024-04-08T10:48:05+19:00", "2024-04-08T10:48:05.Z", "2024-04-08T10:48.5Z", "2024-04-08  10:48:05Z",
        "2024-04-08T10:48:05.1234567891Z", "today", "+12024-01-01", "0000-01-01T00:00:00+01:00", "-1700000000"})
    void refusesOtherText(String sent) {
        assertThatThrownBy(() -> Normalizer.date("_bdate", TextNode.valueOf(sent)))
                .isInstanceOf(RosterException.class)
                .hasMessage("invalid value of '_bdate': expected " + Normalizer.DATE_EXPECTED + ", got \"" + sent + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "1e9", "true", "{}", "[]", "null", "-99999999999999",
        "123456789012345678901234567890"})
    void refusesOtherJson(String sent) {
        assertThatThrownBy(() -> Normalizer.date("LAST_SEEN", json(sent)))
                .isInstanceOf(RosterException.class)
                .hasMessageContaining("'LAST_SEEN'")
                .hasMessageEndingWith("got " + json(sent));
    }

    @Test
    void refusesJavaNull() {
        assertThatThrownBy(() -> Normalizer.date("d", null)).hasMessageEndingWith("got nothing");
    }
}
