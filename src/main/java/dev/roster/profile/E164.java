package dev.roster.profile;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.metadata.source.MetadataSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Reads a number already written in E.164 ("+" and digits) the way libphonenumber's parse would, without parse's
 * general-purpose regular expressions (extensions, punctuation, international prefixes), which took a quarter of the
 * server's time in a bulk import (bench/RESULTS.md). Whatever parse could read differently is left to parse: a
 * national number that starts with its country's national prefix (parse may strip it), a country code that does not
 * exist, lengths outside parse's bounds. NormalizerPropertiesTest checks the two agree.
 */
final class E164 {
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    /** The metadata PhoneNumberUtil.getInstance() reads. */
    private static final MetadataSource METADATA =
            DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();
    /** libphonenumber's bounds on a national significant number. */
    private static final int MIN_NATIONAL = 2;
    private static final int MAX_NATIONAL = 17;
    private static final String UNKNOWN_REGION = "ZZ";
    private static final Pattern NO_PREFIX = Pattern.compile("(?!)");
    private static final Map<Integer, Pattern> NATIONAL_PREFIXES = new ConcurrentHashMap<>();

    private E164() {}

    /** The number, or null when {@code text} is not plain E.164 or parse might read it otherwise. */
    static PhoneNumber read(String text) {
        int length = text.length();
        if (length < 2 + MIN_NATIONAL || text.charAt(0) != '+') {
            return null;
        }
        for (int i = 1; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        if (text.charAt(1) == '0') {
            return null;
        }
        // calling codes are a prefix code: at most one of the first one, two or three digits is assigned
        int countryCode = 0;
        int codeLength = 0;
        for (int l = 1; l <= 3 && l < length; l++) {
            int candidate = Integer.parseInt(text, 1, 1 + l, 10);
            if (!UNKNOWN_REGION.equals(PHONES.getRegionCodeForCountryCode(candidate))) {
                countryCode = candidate;
                codeLength = l;
                break;
            }
        }
        if (countryCode == 0) {
            return null;
        }
        String national = text.substring(1 + codeLength);
        if (national.length() < MIN_NATIONAL || national.length() > MAX_NATIONAL
                || nationalPrefix(countryCode).matcher(national).lookingAt()) {
            return null;
        }
        PhoneNumber number = new PhoneNumber().setCountryCode(countryCode);
        if (national.length() > 1 && national.charAt(0) == '0') { // as parse: Italian-style leading zeros are kept
            number.setItalianLeadingZero(true);
            int zeros = 1;
            while (zeros < national.length() - 1 && national.charAt(zeros) == '0') {
                zeros++;
            }
            if (zeros != 1) {
                number.setNumberOfLeadingZeros(zeros);
            }
        }
        return number.setNationalNumber(Long.parseLong(national));
    }

    /** The pattern parse strips as a national prefix for the country, or one that matches nothing. */
    private static Pattern nationalPrefix(int countryCode) {
        return NATIONAL_PREFIXES.computeIfAbsent(countryCode, code -> {
            String region = PHONES.getRegionCodeForCountryCode(code);
            PhoneMetadata metadata = PhoneNumberUtil.REGION_CODE_FOR_NON_GEO_ENTITY.equals(region)
                    ? METADATA.getMetadataForNonGeographicalRegion(code)
                    : METADATA.getMetadataForRegion(region);
            String prefix = metadata == null ? "" : metadata.getNationalPrefixForParsing();
            return prefix == null || prefix.isEmpty() ? NO_PREFIX : Pattern.compile(prefix);
        });
    }
}
