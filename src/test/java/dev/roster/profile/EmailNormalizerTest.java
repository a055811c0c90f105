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

    /** The rules as regular expressions, as Normalizer first wrote them: the reference the ASCII path must agree with. */
    private static final java.util.regex.Pattern LOCAL_PART = java.util.regex.Pattern.compile(
            "[\\p{L}\\p{N}\\p{M}!#$%&'*+/=?^_`{|}~-]+(\\.[\\p{L}\\p{N}\\p{M}!#$%&'*+/=?^_`{|}~-]+)*");
    private static final java.util.regex.Pattern LABEL = java.util.regex.Pattern.compile(
            "[\\p{L}\\p{N}\\p{M}]([\\p{L}\\p{N}\\p{M}-]{0,61}[\\p{L}\\p{N}\\p{M}])?");

    private static boolean byPatterns(String email) {
        int at = email.lastIndexOf('@');
        if (email.length() > 254 || at < 1 || at > 64) {
            return false;
        }
        String[] labels = email.substring(at + 1).split("\\.", -1);
        if (!LOCAL_PART.matcher(email.substring(0, at)).matches() || labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
    }

    private static boolean accepted(String email) {
        try {
            Normalizer.emailStored(email);
            return true;
        } catch (RosterException e) {
            return false;
        }
    }

    /**
     * Random ASCII addresses (mostly near-valid: atoms, dots, hyphens, digits, stray characters, long labels) are
     * accepted or refused exactly as the regular expressions decide. Seeded; the seed is in the failure message.
     */
    @Test
    void theAsciiPathAgreesWithThePatterns() {
        long seed = Long.getLong("roster.test.seed", System.nanoTime());
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        String alphabet = "abcXYZ019.-_+'!#$%&*/=?^`{|}~@ ,;:\"()[]<>\\";
        int accepted = 0;
        for (int n = 0; n < 50_000; n++) {
            StringBuilder email = new StringBuilder();
            int localLength = random.nextInt(4) == 0 ? random.nextInt(70) : 1 + random.nextInt(8);
            for (int i = 0; i < localLength; i++) {
                email.append(random.nextInt(15) == 0 ? alphabet.charAt(random.nextInt(alphabet.length()))
                        : "abc019.".charAt(random.nextInt(7)));
            }
            email.append('@');
            int labels = random.nextInt(5) == 0 ? random.nextInt(2) : 2 + random.nextInt(2);
            for (int l = 0; l < labels; l++) {
                int length = random.nextInt(10) == 0 ? 60 + random.nextInt(8)
                        : random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(5);
                for (int i = 0; i < length; i++) {
                    email.append(random.nextInt(30) == 0 ? alphabet.charAt(random.nextInt(alphabet.length()))
                            : "ab09-".charAt(random.nextInt(5)));
                }
                if (l < labels - 1 || random.nextInt(10) == 0) {
                    email.append('.');
                }
            }
            String text = email.toString();
            boolean expected = byPatterns(text.strip());
            assertThat(accepted(text)).as("seed %d: %s", seed, text).isEqualTo(expected);
            accepted += expected ? 1 : 0;
        }
        assertThat(accepted).as("seed %d: the generator makes valid addresses too", seed).isGreaterThan(1_000);
    }
}
