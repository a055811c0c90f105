package dev.roster.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The CSV cell escape: a spreadsheet runs nothing, phones and numbers stay as they are, import restores every value. */
class CsvEscapeTest {
    private static final String ALPHABET = "=+-@'\t\r\n,\" 0123456789.()eE;aZ✓";

    private static String cell(String written) throws IOException {
        // a record ends with a line break, as the export writes it
        List<String> record = new CsvReader(new StringReader(written + "\r\n")).next();
        assertThat(record).hasSize(1);
        return record.get(0);
    }

    @Test
    void everyValueComesBackAndNoCellStartsAFormula() throws IOException {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder value = new StringBuilder();
            int length = random.nextInt(8);
            for (int i = 0; i < length; i++) {
                value.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String original = value.toString();
            String read = cell(Exports.csv(original));
            assertThat(Exports.uncsv(read)).as("seed %s: %s", seed, original).isEqualTo(original);
            if (!read.isEmpty() && "=@\t\r".indexOf(read.charAt(0)) >= 0) {
                throw new AssertionError("seed " + seed + ": the cell of " + original + " starts a formula: " + read);
            }
            if (!read.isEmpty() && "+-".indexOf(read.charAt(0)) >= 0) {
                assertThat(read).as("seed %s: a cell starting with + or - is a number or phone", seed)
                        .matches("[+-]?[0-9][0-9 ().;,eE+-]*");
            }
        }
    }

    @Test
    void phonesAndNumbersAreWrittenAsTheyAre() throws IOException {
        for (String plain : List.of("+79001112233", "-42", "-1.5", "+7 (900) 111-22-33", "+79001112233;+79001112234",
                "2024-05-27T12:00:00Z", "plain", "'quoted")) {
            assertThat(cell(Exports.csv(plain))).isEqualTo(plain);
        }
        assertThat(Exports.csv("=SUM(A1)")).isEqualTo("'=SUM(A1)");
        assertThat(Exports.csv("@cmd")).isEqualTo("'@cmd");
        assertThat(Exports.csv("+cmd|' /C calc'!A0")).isEqualTo("'+cmd|' /C calc'!A0");
        assertThat(Exports.csv("-2+3+cmd|x")).isEqualTo("'-2+3+cmd|x");
        assertThat(Exports.csv("'=x")).isEqualTo("''=x");
    }
}
