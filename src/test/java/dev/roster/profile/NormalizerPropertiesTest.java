package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import dev.roster.error.RosterException;
import dev.roster.testing.Gen;
import dev.roster.testing.Property;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Seeded properties of the value normalisers (see {@link Property}: the seed in a failure replays it). */
class NormalizerPropertiesTest {
    private static final int TRIES = 1000;
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final com.google.i18n.phonenumbers.metadata.source.MetadataSource METADATA =
            com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();
    private static final List<String> REGIONS = PHONES.getSupportedRegions().stream().sorted().toList();
    private static final List<PhoneNumberType> TYPES = List.of(PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE,
            PhoneNumberType.TOLL_FREE, PhoneNumberType.PREMIUM_RATE, PhoneNumberType.VOIP, PhoneNumberType.UAN);
    private static final long YEAR_1800 = -5_364_662_400L;
    private static final long YEAR_2200 = 7_258_118_400L;
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx");

    // --- email

    @Test
    void emailKeyIsCaseInsensitiveAndIdempotent() {
        Property.forAll(TRIES, NormalizerPropertiesTest::email, email -> {
            String key = Normalizer.emailKey(email);
            assertThat(key).isEqualTo(email.toLowerCase(Locale.ROOT));
            assertThat(Normalizer.emailKey(email.toUpperCase(Locale.ROOT))).isEqualTo(key);
            assertThat(Normalizer.emailKey(key)).isEqualTo(key);
            assertThat(Normalizer.emailKey(" \t" + email + "  ")).isEqualTo(key);
            assertThat(Normalizer.emailStored(" " + email + " ")).isEqualTo(email);
        });
    }

    record EmailCut(String email, int at) {
    }

    @Test
    void anEmailWithASpaceInsideIsRefused() {
        Property.forAll(TRIES, g -> new EmailCut(email(g), g.intBetween(1, 200)), in -> {
            int cut = in.at() % (in.email().length() - 1) + 1;
            String broken = in.email().substring(0, cut) + " " + in.email().substring(cut);
            assertThatThrownBy(() -> Normalizer.emailKey(broken)).isInstanceOf(RosterException.class);
        });
    }

    private static final String ATOM = Gen.ALPHA + Gen.DIGITS + "!#$%&'*+/=?^_`{|}~-";
    private static final String LABEL = Gen.ALPHA + Gen.DIGITS + Gen.chars('а', 'я');

    /** Dot-atoms of letters, digits and the specials before the @; labels, Cyrillic and hyphenated ones too, after. */
    static String email(Gen g) {
        String local = String.join(".", g.list(1, 3, () -> g.string(ATOM, 1, 10)));
        List<String> labels = g.list(1, 3, () -> g.bool()
                ? g.string(LABEL, 1, 12)
                : g.string(LABEL, 1, 12) + "-" + g.string(LABEL, 1, 12));
        String tld = g.string(Gen.ALPHA, 2, 6);
        return local + "@" + String.join(".", labels) + "." + tld;
    }

    // --- phone

    record NumberAndRegion(PhoneNumber number, String region) {
    }

    @Test
    void phonesInAnyFormatNormaliseToTheSameE164() {
        Property.forAll(TRIES, g -> new NumberAndRegion(validNumber(g), g.pick(REGIONS)), in -> {
            PhoneNumber number = in.number();
            String otherRegion = in.region();
            String e164 = PHONES.format(number, PhoneNumberFormat.E164);
            String home = PHONES.getRegionCodeForNumber(number);
            String international = PHONES.format(number, PhoneNumberFormat.INTERNATIONAL);
            assertThat(Normalizer.phone("phone", international, null)).isEqualTo(e164);
            assertThat(Normalizer.phone("phone", international, otherRegion)).isEqualTo(e164);
            assertThat(Normalizer.phone("phone", e164, otherRegion)).isEqualTo(e164);
            assertThat(Normalizer.phone("phone", PHONES.format(number, PhoneNumberFormat.NATIONAL), home)).isEqualTo(e164);
            assertThat(Normalizer.phone("phone", e164, null)).isEqualTo(e164);
        });
    }

    record TextAndRegion(String text, String region) {
    }

    /**
     * E164.read (the fast path for "+digits") reads a number exactly as libphonenumber's parse does, or leaves it to
     * parse: real numbers of every region (with the national prefix put after the country code, which parse may
     * strip), and random digit strings of every length around the valid ones.
     */
    @Test
    void theE164FastPathReadsAsParseDoes() {
        Property.forAll(5000, g -> new TextAndRegion(plusDigits(g), g.pick(REGIONS)), in -> {
            String text = in.text();
            PhoneNumber fast = E164.read(text);
            if (fast == null) {
                return; // parse reads it, as before the fast path
            }
            PhoneNumber parsed = PHONES.parse(text, in.region()); // the database's region, as Normalizer.phone passes it
            assertThat(PHONES.parse(text, "ZZ")).isEqualTo(parsed);
            assertThat(fast).isEqualTo(parsed);
            assertThat(PHONES.format(fast, PhoneNumberFormat.E164)).isEqualTo(PHONES.format(parsed, PhoneNumberFormat.E164));
        });
    }

    @Test
    void theE164FastPathTakesRealNumbersWithoutANationalPrefix() {
        Property.forAll(300, NormalizerPropertiesTest::validNumber, number -> {
            String e164 = PHONES.format(number, PhoneNumberFormat.E164);
            String national = PHONES.getNationalSignificantNumber(number);
            String prefix = METADATA.getMetadataForRegion(PHONES.getRegionCodeForNumber(number)).getNationalPrefixForParsing();
            if (prefix == null || prefix.isEmpty() || !java.util.regex.Pattern.compile(prefix).matcher(national).lookingAt()) {
                assertThat(E164.read(e164)).as(e164).isNotNull();
            }
        });
    }

    /** "+digits" of every length, real numbers, real numbers with their national prefix, and real numbers mutated. */
    static String plusDigits(Gen g) {
        return g.oneOf(
                () -> "+" + g.string(Gen.DIGITS, 1, 20),
                () -> PHONES.format(validNumber(g), PhoneNumberFormat.E164),
                () -> {
                    PhoneNumber n = validNumber(g);
                    String prefix = METADATA.getMetadataForRegion(PHONES.getRegionCodeForNumber(n)).getNationalPrefix();
                    return "+" + n.getCountryCode() + (prefix == null ? "" : prefix) + PHONES.getNationalSignificantNumber(n);
                },
                () -> {
                    String e = PHONES.format(validNumber(g), PhoneNumberFormat.E164);
                    int digit = g.intBetween(0, 9);
                    int at = g.intBetween(1, 18);
                    int i = 1 + at % (e.length() - 1);
                    return e.substring(0, i) + digit + e.substring(i + (at % 2));
                });
    }

    /** Example numbers of every region and type, with their last two digits varied where that stays valid. */
    static PhoneNumber validNumber(Gen g) {
        return g.filtered(() -> variation(g.pick(REGIONS), g.pick(TYPES), g.intBetween(0, 99)), number -> number != null);
    }

    private static PhoneNumber variation(String region, PhoneNumberType type, int lastDigits) {
        PhoneNumber example = PHONES.getExampleNumberForType(region, type);
        if (example == null) {
            example = PHONES.getExampleNumber(region);
        }
        if (example == null) {
            return null;
        }
        long national = example.getNationalNumber();
        PhoneNumber varied = new PhoneNumber().mergeFrom(example).setNationalNumber(national - national % 100 + lastDigits);
        return PHONES.isValidNumberForRegion(varied, region) ? varied : example;
    }

    // --- date

    record SecondsAndOffset(long seconds, int offsetMinutes) {
    }

    @Test
    void unixSecondsAndRfc3339WithAnyOffsetGiveTheSameUtcText() {
        Property.forAll(TRIES, g -> new SecondsAndOffset(g.longBetween(YEAR_1800, YEAR_2200),
                g.intBetween(-18 * 60, 18 * 60)), in -> {
            Instant instant = Instant.ofEpochSecond(in.seconds());
            String utc = Normalizer.date("d", LongNode.valueOf(in.seconds()));
            assertThat(utc).isEqualTo(instant.toString()).endsWith("Z").doesNotContain(".");
            String withOffset = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx")
                    .format(instant.atOffset(ZoneOffset.ofTotalSeconds(in.offsetMinutes() * 60)));
            assertThat(Normalizer.date("d", TextNode.valueOf(withOffset))).isEqualTo(utc);
            assertThat(Normalizer.date("d", TextNode.valueOf(utc))).isEqualTo(utc);
        });
    }

    record Moment(long seconds, int millis, int offsetMinutes) {
    }

    @Test
    void fractionsSurviveAndAreDroppedOnlyWhenZero() {
        Property.forAll(TRIES, g -> new Moment(g.longBetween(YEAR_1800, YEAR_2200), g.intBetween(0, 999),
                g.intBetween(-18 * 60, 18 * 60)), in -> {
            Instant instant = Instant.ofEpochSecond(in.seconds()).plusMillis(in.millis());
            String sent = RFC3339.format(instant.atOffset(ZoneOffset.ofTotalSeconds(in.offsetMinutes() * 60)));
            assertThat(Normalizer.date("d", TextNode.valueOf(sent))).isEqualTo(instant.toString());
        });
    }

    @Test
    void aDayIsMidnightUtc() {
        Property.forAll(TRIES, g -> g.longBetween(YEAR_1800 / 86_400, YEAR_2200 / 86_400), epochDay -> {
            Instant midnight = Instant.ofEpochSecond(epochDay * 86_400);
            String day = midnight.toString().substring(0, 10);
            assertThat(Normalizer.date("d", TextNode.valueOf(day)))
                    .isEqualTo(Normalizer.date("d", LongNode.valueOf(epochDay * 86_400)))
                    .isEqualTo(day + "T00:00:00Z");
        });
    }

    // --- ip

    record Ipv6(List<Integer> groups, boolean pad, boolean upper) {
    }

    /** Any address written out in full (random padding and case) comes back short, canonical and the same address. */
    @Test
    void ipv6CanonicalTextIsStableAndMeansTheSameAddress() {
        Property.forAll(TRIES, g -> new Ipv6(ipv6Groups(g), g.bool(), g.bool()), in -> {
            List<Integer> groups = in.groups();
            StringBuilder full = new StringBuilder();
            byte[] bytes = new byte[16];
            for (int i = 0; i < 8; i++) {
                full.append(i == 0 ? "" : ":").append(in.pad() ? String.format("%04x", groups.get(i)) : Integer.toHexString(groups.get(i)));
                bytes[2 * i] = (byte) (groups.get(i) >> 8);
                bytes[2 * i + 1] = (byte) (int) groups.get(i);
            }
            String sent = in.upper() ? full.toString().toUpperCase(Locale.ROOT) : full.toString();
            String canonical = Normalizer.ip("ip", sent);
            assertThat(Normalizer.ip("ip", canonical)).isEqualTo(canonical);
            assertThat(canonical).isEqualTo(canonical.toLowerCase(Locale.ROOT)).doesNotContain(":::");
            // The JDK parses literals without DNS; an IPv4-mapped address comes back as its 4 IPv4 bytes.
            byte[] parsed = java.net.InetAddress.getByName(canonical).getAddress();
            assertThat(parsed).isEqualTo(parsed.length == 4 ? java.util.Arrays.copyOfRange(bytes, 12, 16) : bytes);
        });
    }

    /** Eight groups; zero groups are frequent (3 in 8), so that runs of zeros (the "::" cases) are common. */
    static List<Integer> ipv6Groups(Gen g) {
        return g.list(8, 8, () -> {
            int pick = g.intBetween(0, 7);
            return pick < 3 ? 0 : pick < 4 ? 0xffff : g.intBetween(0, 0xffff);
        });
    }

    record Ipv4(int a, int b, int c, int d) {
    }

    @Test
    void ipv4IsKeptAsSent() {
        Property.forAll(TRIES, g -> new Ipv4(g.intBetween(0, 255), g.intBetween(0, 255), g.intBetween(0, 255),
                g.intBetween(0, 255)), in -> {
            String sent = in.a() + "." + in.b() + "." + in.c() + "." + in.d();
            assertThat(Normalizer.ip("ip", sent)).isEqualTo(sent);
            assertThat(Normalizer.ip("ip", "::ffff:" + sent)).isEqualTo("::ffff:" + sent);
        });
    }
}
