package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.error.ErrorCode;
import dev.roster.error.RosterException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailNormalizerTest {

    @Test
    void keyIsTrimmedAndLowerCased() {
        assertThat(Normalizer.emailKey("  John.Doe@Example.COM \t")).isEqualTo("john.doe@example.com");
    }

    @Test
    void storedFormIsTrimmedButKeepsCase() {
        assertThat(Normalizer.emailStored("  John.Doe@Example.COM ")).isEqualTo("John.Doe@Example.COM");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a@b.co", "first.last+tag@sub.example.org", "o'brien@example.ie", "x_y-z@my-domain.travel",
        "иван@пример.рф", "user@xn--e1afmkfd.xn--p1ai", "1234@mail.ru"})
    void acceptsSaneAddresses(String email) {
        assertThat(Normalizer.emailStored(email)).isEqualTo(email);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "   ", "plain", "a@localhost", "a b@example.com", "a@exa mple.com", "@example.com", "a@",
        "a@.example.com", "a@example..com", "a@example.com.", "a..b@example.com", ".a@example.com",
        "a.@example.com", "a@-example.com", "a@example-.com", "a@1.2.3.4", "a@b@example.com",
        "a@[127.0.0.1]", "\"quoted\"@example.com", "a,b@example.com"})
    void refusesBrokenAddresses(String email) {
        assertThatThrownBy(() -> Normalizer.emailKey(email))
                .isInstanceOf(RosterException.class)
                .hasMessageContaining("'email'")
                .hasMessageContaining("expected an email address")
                .hasMessageContaining("\"" + email + "\"");
    }

    @Test
    void refusesAddressesLongerThan254Characters() {
        String domain = "d".repeat(60) + "." + "e".repeat(60) + "." + "f".repeat(60) + "." + "g".repeat(60) + ".com";
        String ok = "a".repeat(254 - domain.length() - 1) + "@" + domain;
        assertThat(ok).hasSize(254);
        assertThat(Normalizer.emailKey(ok)).isEqualTo(ok);
        assertThatThrownBy(() -> Normalizer.emailKey("a" + ok)).isInstanceOf(RosterException.class);
    }

    @Test
    void refusesLocalPartLongerThan64Characters() {
        assertThat(Normalizer.emailKey("a".repeat(64) + "@example.com")).startsWith("aaaa");
        assertThatThrownBy(() -> Normalizer.emailKey("a".repeat(65) + "@example.com"))
                .isInstanceOf(RosterException.class);
    }

    @Test
    void refusesNullAsA400NamingTheField() {
        assertThatThrownBy(() -> Normalizer.emailStored(null))
                .isInstanceOfSatisfying(RosterException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
                .hasMessage("invalid value of 'email': expected " + Normalizer.EMAIL_EXPECTED + ", got nothing");
    }
}
