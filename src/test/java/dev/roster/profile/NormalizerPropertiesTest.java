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
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class NormalizerPropertiesTest {
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final com.google.i18n.phonenumbers.metadata.source.MetadataSource METADATA =
            com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();
    private static final long YEAR_1800 = -5_364_662_400L;
    private static final long YEAR_2200 = 7_258_118_400L;
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx");

    // --- email

    @Property
    void emailKeyIsCaseInsensitiveAndIdempotent(@ForAll("emails") String email) {
        String key = Normalizer.emailKey(email);
        assertThat(key).isEqualTo(email.toLowerCase(Locale.ROOT));
        assertThat(Normalizer.emailKey(email.toUpperCase(Locale.ROOT))).isEqualTo(key);
        assertThat(Normalizer.emailKey(key)).isEqualTo(key);
        assertThat(Normalizer.emailKey(" \t" + email + "  ")).isEqualTo(key);
        assertThat(Normalizer.emailStored(" " + email + " ")).isEqualTo(email);
    }

    @Property
    void anEmailWithASpaceInsideIsRefused(@ForAll("emails") String email, @ForAll @IntRange(min = 1, max = 200) int at) {
        int cut = at % (email.length() - 1) + 1;
        String broken = email.substring(0, cut) + " " + email.substring(cut);
        assertThatThrownBy(() -> Normalizer.emailKey(broken)).isInstanceOf(RosterException.class);
    }

    @Provide
    Arbitrary<String> emails() {
        Arbitrary<String> atom = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .withCharRange('0', '9').withChars("!#$%&'*+/=?^_`{|}~-").ofMinLength(1).ofMaxLength(10);
        Arbitrary<String> local = atom.list().ofMinSize(1).ofMaxSize(3).map(atoms -> String.join(".", atoms));
        Arbitrary<String> label = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .withCharRange('0', '9').withCharRange('а', 'я').ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> hyphenated = Combinators.combine(label, label).as((a, b) -> a + "-" + b);
        Arbitrary<String> tld = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').ofMinLength(2).ofMaxLength(6);
        Arbitrary<String> domain = Combinators.combine(Arbitraries.oneOf(label, hyphenated).list().ofMinSize(1).ofMaxSize(3), tld)
                .as((labels, top) -> String.join(".", labels) + "." + top);
        return Combinators.combine(local, domain).as((l, d) -> l + "@" + d);
    }

    // --- phone

    @Property
    void phonesInAnyFormatNormaliseToTheSameE164(@ForAll("validNumbers") PhoneNumber number, @ForAll("regions") String otherRegion) {
        String e164 = PHONES.format(number, PhoneNumberFormat.E164);
        String home = PHONES.getRegionCodeForNumber(number);
        String international = PHONES.format(number, PhoneNumberFormat.INTERNATIONAL);
        assertThat(Normalizer.phone("phone", international, null)).isEqualTo(e164);
        assertThat(Normalizer.phone("phone", international, otherRegion)).isEqualTo(e164);
        assertThat(Normalizer.phone("phone", e164, otherRegion)).isEqualTo(e164);
        assertThat(Normalizer.phone("phone", PHONES.format(number, PhoneNumberFormat.NATIONAL), home)).isEqualTo(e164);
        assertThat(Normalizer.phone("phone", e164, null)).isEqualTo(e164);
    }

    /**
     * E164.read (the fast path for "+digits") reads a number exactly as libphonenumber's parse does, or leaves it to
     * parse: real numbers of every region (with the national prefix put after the country code, which parse may
     * strip), and random digit strings of every length around the valid ones.
     */
    @Property(tries = 5000)
    void theE164FastPathReadsAsParseDoes(@ForAll("plusDigits") String text, @ForAll("regions") String region)
            throws Exception {
        PhoneNumber fast = E164.read(text);
        if (fast == null) {
            return; // parse reads it, as before the fast path
        }
        PhoneNumber parsed = PHONES.parse(text, region); // the database's region, as Normalizer.phone passes it
        assertThat(PHONES.parse(text, "ZZ")).isEqualTo(parsed);
        assertThat(fast).isEqualTo(parsed);
        assertThat(PHONES.format(fast, PhoneNumberFormat.E164)).isEqualTo(PHONES.format(parsed, PhoneNumberFormat.E164));
    }

    @Property(tries = 300)
    void theE164FastPathTakesRealNumbersWithoutANationalPrefix(@ForAll("validNumbers") PhoneNumber number) {
        String e164 = PHONES.format(number, PhoneNumberFormat.E164);
        String national = PHONES.getNationalSignificantNumber(number);
        String prefix = METADATA.getMetadataForRegion(PHONES.getRegionCodeForNumber(number)).getNationalPrefixForParsing();
        if (prefix == null || prefix.isEmpty() || !java.util.regex.Pattern.compile(prefix).matcher(national).lookingAt()) {
            assertThat(E164.read(e164)).as(e164).isNotNull();
        }
    }

    @Provide
    Arbitrary<String> plusDigits() {
        Arbitrary<String> digits = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(20).map(d -> "+" + d);
        Arbitrary<String> real = validNumbers().map(n -> PHONES.format(n, PhoneNumberFormat.E164));
        Arbitrary<String> prefixed = validNumbers().map(n -> {
            String prefix = METADATA.getMetadataForRegion(PHONES.getRegionCodeForNumber(n)).getNationalPrefix();
            return "+" + n.getCountryCode() + (prefix == null ? "" : prefix) + PHONES.getNationalSignificantNumber(n);
        });
        Arbitrary<String> mutated = Combinators.combine(real, Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(1, 18)).as((e, digit, at) -> {
            int i = 1 + at % (e.length() - 1);
            return e.substring(0, i) + digit + e.substring(i + (at % 2));
        });
        return Arbitraries.oneOf(digits, real, prefixed, mutated);
    }

    @Provide
    Arbitrary<String> regions() {
        return Arbitraries.of(PHONES.getSupportedRegions().stream().sorted().toList());
    }

    /** Example numbers of every region and type, with their last two digits varied where that stays valid. */
    @Provide
    Arbitrary<PhoneNumber> validNumbers() {
        List<PhoneNumberType> types = List.of(PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE,
                PhoneNumberType.TOLL_FREE, PhoneNumberType.PREMIUM_RATE, PhoneNumberType.VOIP, PhoneNumberType.UAN);
        return Combinators.combine(regions(), Arbitraries.of(types), Arbitraries.integers().between(0, 99))
                .as(NormalizerPropertiesTest::variation)
                .filter(number -> number != null);
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

    @Property
    void unixSecondsAndRfc3339WithAnyOffsetGiveTheSameUtcText(
            @ForAll @LongRange(min = YEAR_1800, max = YEAR_2200) long seconds,
            @ForAll @IntRange(min = -18 * 60, max = 18 * 60) int offsetMinutes) {
        Instant instant = Instant.ofEpochSecond(seconds);
        String utc = Normalizer.date("d", LongNode.valueOf(seconds));
        assertThat(utc).isEqualTo(instant.toString()).endsWith("Z").doesNotContain(".");
        String withOffset = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx")
                .format(instant.atOffset(ZoneOffset.ofTotalSeconds(offsetMinutes * 60)));
        assertThat(Normalizer.date("d", TextNode.valueOf(withOffset))).isEqualTo(utc);
        assertThat(Normalizer.date("d", TextNode.valueOf(utc))).isEqualTo(utc);
    }

    @Property
    void fractionsSurviveAndAreDroppedOnlyWhenZero(
            @ForAll @LongRange(min = YEAR_1800, max = YEAR_2200) long seconds,
            @ForAll @IntRange(min = 0, max = 999) int millis,
            @ForAll @IntRange(min = -18 * 60, max = 18 * 60) int offsetMinutes) {
        Instant instant = Instant.ofEpochSecond(seconds).plusMillis(millis);
        String sent = RFC3339.format(instant.atOffset(ZoneOffset.ofTotalSeconds(offsetMinutes * 60)));
        assertThat(Normalizer.date("d", TextNode.valueOf(sent))).isEqualTo(instant.toString());
    }

    @Property
    void aDayIsMidnightUtc(@ForAll @LongRange(min = YEAR_1800 / 86_400, max = YEAR_2200 / 86_400) long epochDay) {
        Instant midnight = Instant.ofEpochSecond(epochDay * 86_400);
        String day = midnight.toString().substring(0, 10);
        assertThat(Normalizer.date("d", TextNode.valueOf(day)))
                .isEqualTo(Normalizer.date("d", LongNode.valueOf(epochDay * 86_400)))
                .isEqualTo(day + "T00:00:00Z");
    }

    // --- ip

    /** Any address written out in full (random padding and case) comes back short, canonical and the same address. */
    @Property
    void ipv6CanonicalTextIsStableAndMeansTheSameAddress(@ForAll("ipv6Groups") List<Integer> groups,
            @ForAll boolean pad, @ForAll boolean upper) throws Exception {
        StringBuilder full = new StringBuilder();
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            full.append(i == 0 ? "" : ":").append(pad ? String.format("%04x", groups.get(i)) : Integer.toHexString(groups.get(i)));
            bytes[2 * i] = (byte) (groups.get(i) >> 8);
            bytes[2 * i + 1] = (byte) (int) groups.get(i);
        }
        String sent = upper ? full.toString().toUpperCase(Locale.ROOT) : full.toString();
        String canonical = Normalizer.ip("ip", sent);
        assertThat(Normalizer.ip("ip", canonical)).isEqualTo(canonical);
        assertThat(canonical).isEqualTo(canonical.toLowerCase(Locale.ROOT)).doesNotContain(":::");
        // The JDK parses literals without DNS; an IPv4-mapped address comes back as its 4 IPv4 bytes.
        byte[] parsed = java.net.InetAddress.getByName(canonical).getAddress();
        assertThat(parsed).isEqualTo(parsed.length == 4 ? java.util.Arrays.copyOfRange(bytes, 12, 16) : bytes);
    }

    @Provide
    Arbitrary<List<Integer>> ipv6Groups() {
        // Zero groups are frequent, so that runs of zeros (the "::" cases) are common.
        Arbitrary<Integer> group = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(0xffff)),
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(0, 0xffff)));
        return group.list().ofSize(8);
    }

    @Property
    void ipv4IsKeptAsSent(@ForAll @IntRange(min = 0, max = 255) int a, @ForAll @IntRange(min = 0, max = 255) int b,
            @ForAll @IntRange(min = 0, max = 255) int c, @ForAll @IntRange(min = 0, max = 255) int d) {
        String sent = a + "." + b + "." + c + "." + d;
        assertThat(Normalizer.ip("ip", sent)).isEqualTo(sent);
        assertThat(Normalizer.ip("ip", "::ffff:" + sent)).isEqualTo("::ffff:" + sent);
    }
}
