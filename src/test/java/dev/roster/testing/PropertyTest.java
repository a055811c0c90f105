package dev.roster.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The seeded property runner itself: a failure names its seed and input, and the seed replays the same inputs. */
class PropertyTest {
    private final String seedBefore = System.getProperty(Property.SEED);

    @AfterEach
    void restoreSeed() {
        if (seedBefore == null) {
            System.clearProperty(Property.SEED);
        } else {
            System.setProperty(Property.SEED, seedBefore);
        }
    }

    @Test
    void aFailureNamesTheSeedTheTryAndTheInput() {
        System.setProperty(Property.SEED, "42");
        assertThatThrownBy(() -> Property.forAll(1000, g -> g.intBetween(0, 1_000_000), n -> assertThat(n).isLessThan(500_000)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("with seed 42")
                .hasMessageContaining("-D" + Property.SEED + "=42")
                .hasMessageMatching("(?s).*on try \\d+ of 1000.*input: \\d+.*");
    }

    @Test
    void theSameSeedDrawsTheSameInputs() throws Exception {
        System.setProperty(Property.SEED, "-7");
        List<String> first = new ArrayList<>();
        Property.forAll(200, g -> g.string(Gen.ALPHA, 0, 12) + g.anyLong(), first::add);
        List<String> second = new ArrayList<>();
        Property.forAll(200, g -> g.string(Gen.ALPHA, 0, 12) + g.anyLong(), second::add);
        assertThat(second).hasSize(200).isEqualTo(first);
    }

    @Test
    void boundsAreReachedAndNeverPassed() throws Exception {
        List<Long> drawn = new ArrayList<>();
        Property.forAll(2000, g -> g.longBetween(-3, 5), drawn::add);
        assertThat(drawn).allMatch(n -> n >= -3 && n <= 5).contains(-3L, 5L, 0L);
        List<Integer> sizes = new ArrayList<>();
        Property.forAll(500, g -> g.list(1, 20, g::bool).size(), sizes::add);
        assertThat(sizes).allMatch(n -> n >= 1 && n <= 20).contains(1, 20);
    }
}
