package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.error.RosterException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Seeded properties of the date normaliser: every accepted form of a random instant reads back as that instant. */
class DatePropertyTest {
    private static final long SEED = Long.getLong("roster.seed", System.nanoTime());
    private static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Moscow"),
            ZoneId.of("America/New_York"), ZoneId.of("Asia/Kolkata"), ZoneId.of("Australia/Lord_Howe"));

    @Test
    void everyAcceptedFormOfARandomInstantReadsBackAsThatInstant() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 2_000; i++) {
            Instant instant = DateForms.randomInstant(random);
            ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
            for (DateForms.Form form : DateForms.accepted(instant, zone, random)) {
                assertThat(Normalizer.date("_regdate", Json.json(form.json()), zone))
                        .as("seed %d: %s form %s of %s in %s", SEED, form.kind(), form.json(), instant, zone)
                        .isEqualTo(form.expected());
            }
        }
    }

    @Test
    void everyRefusedFormIsA400ListingTheAcceptedForms() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 500; i++) {
            Instant instant = DateForms.randomInstant(random);
            for (String sent : DateForms.refused(instant, random)) {
                assertThatThrownBy(() -> Normalizer.date("LAST_SEEN", Json.json(sent), ZoneId.of("Europe/Moscow")))
                        .as("seed %d: %s", SEED, sent)
                        .isInstanceOf(RosterException.class)
                        .hasMessageContaining("'LAST_SEEN'")
                        .hasMessageContaining("YYYY-MM-DD").hasMessageContaining("+HHMM").hasMessageContaining("DD.MM.YYYY")
                        .hasMessageContaining("Unix time").hasMessageContaining("milliseconds");
            }
        }
    }
}
