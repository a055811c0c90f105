package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.error.RosterException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNormalizerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "+79001234567        | NULL | +79001234567",
        "+7 900 123-45-67    | NULL | +79001234567",
        " +7 (900) 123.45.67 | NULL | +79001234567",
        "8 (900) 123-45-67   | RU   | +79001234567",
        "9001234567          | RU   | +79001234567",
        "79001234567         | RU   | +79001234567",
        "89001234567         | ru   | +79001234567",
        "+1 650-253-0000     | RU   | +16502530000",
        "(650) 253-0000      | US   | +16502530000",
        "030 123456          | DE   | +4930123456"})
    void normalisesToE164(String raw, String region, String e164) {
        assertThat(Normalizer.phone("phone", raw, region)).isEqualTo(e164);
    }

    @Test
    void withoutRegionANumberWithoutPlusIsRefused() {
        assertThatThrownBy(() -> Normalizer.phone("phone", "9001234567", null))
                .isInstanceOf(RosterException.class)
                .hasMessage("invalid value of 'phone': expected a valid phone number in international format"
                        + " (+ and country code), got \"9001234567\"");
    }

    @Test
    void anUnknownRegionCountsAsNoRegion() {
        assertThat(Normalizer.phone("phone", "+79001234567", "XX")).isEqualTo("+79001234567");
        assertThatThrownBy(() -> Normalizer.phone("phone", "9001234567", "XX")).isInstanceOf(RosterException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "abc", "+7 123", "+7900123456789012", "1-800-FLOWERS", "+7 900 123 45 67 ext. 5",
        "+7 900 123 45 67;ext=5", "++79001234567", "+7+9001234567", "tel:+79001234567", "+0 123 456 7890"})
    void refusesWhatIsNotAValidNumber(String raw) {
        assertThatThrownBy(() -> Normalizer.phone("phones", raw, "RU"))
                .isInstanceOf(RosterException.class)
                .hasMessageContaining("'phones'")
                .hasMessageContaining("expected a valid phone number (international, or national for region RU)")
                .hasMessageContaining("\"" + raw + "\"");
    }

    @Test
    void refusesNull() {
        assertThatThrownBy(() -> Normalizer.phone("phone", null, "RU"))
                .isInstanceOf(RosterException.class)
                .hasMessageEndingWith("got nothing");
    }

    @Test
    void regionCodesAreValidatedAndUpperCased() {
        assertThat(Normalizer.phoneRegion("phone_region", " ru ")).isEqualTo("RU");
        assertThatThrownBy(() -> Normalizer.phoneRegion("phone_region", "RUS"))
                .isInstanceOf(RosterException.class)
                .hasMessage("invalid value of 'phone_region': expected a region code (ISO 3166 alpha-2, e.g. \"RU\"),"
                        + " got \"RUS\"");
    }
}
