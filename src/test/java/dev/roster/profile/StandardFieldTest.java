package dev.roster.profile;

import dev.roster.catalog.FieldType;
import static dev.roster.profile.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.error.RosterException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class StandardFieldTest {

    @Test
    void listsTheWritableFieldsOfTheReference() {
        assertThat(Arrays.stream(StandardField.values()).map(StandardField::wireName)).containsExactly(
                "email", "phones", "_fname", "_lname", "_bdate", "_sex", "_regdate", "_regip", "_regcity",
                "_regcountry", "_regurl", "_ip", "_city", "_country", "_region", "_postal_code", "_tz", "_vendor",
                "_browser", "_os", "_status");
    }

    @ParameterizedTest
    @EnumSource(StandardField.class)
    void byNameFindsEachField(StandardField field) {
        assertThat(StandardField.byName(field.wireName())).contains(field);
        assertThat(StandardField.isComputed(field.wireName())).isFalse();
        assertThat(StandardField.isReserved(field.wireName())).isTrue();
    }

    @Test
    void typesDecideTheFieldFunctions() {
        assertThat(StandardField.PHONES.type()).isEqualTo(FieldType.TAGS);
        assertThat(StandardField.SEX.type()).isEqualTo(FieldType.ENUM);
        assertThat(StandardField.BDATE.type()).isEqualTo(FieldType.DATE);
        assertThat(StandardField.REGIP.type()).isEqualTo(FieldType.IP);
        assertThat(StandardField.STATUS.type()).isEqualTo(FieldType.INT);
        assertThat(StandardField.byName("CRM_ID")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "db_id", "_acid", "_createtime", "_updatetime", "_emaildomain", "_domaingroup",
        "_md5", "_xxh", "_xxm", "_lat", "_lon", "_is_desktop", "_is_test", "_deliv_exist", "_deliv_date",
        "_deliv_sms_exist", "_deliv_sms_date", "_deliv_push_exist", "_open_date", "_click_exist",
        "_click_sms_exist", "_click_push_exist", "_confirm_exist"})
    void computedNamesAreReservedAndNotWritable(String name) {
        assertThat(StandardField.isComputed(name)).isTrue();
        assertThat(StandardField.isReserved(name)).isTrue();
        assertThat(StandardField.byName(name)).isEmpty();
    }

    @Test
    void reservedAlsoCoversSubscriptionsButNotCustomNames() {
        assertThat(StandardField.isReserved("subscriptions")).isTrue();
        assertThat(StandardField.isReserved("CRM_ID")).isFalse();
        assertThat(StandardField.COMPUTED).hasSize(24);
    }

    @Test
    void emailIsValidatedAndStoredAsSent() {
        assertThat(StandardField.EMAIL.coerce(json("' Ivan@Example.com '"), null)).isEqualTo(json("'Ivan@Example.com'"));
        assertThatThrownBy(() -> StandardField.EMAIL.coerce(json("'ivan'"), null)).hasMessageContaining("'email'");
        assertThatThrownBy(() -> StandardField.EMAIL.coerce(json("42"), null))
                .hasMessage("invalid value of 'email': expected " + Normalizer.EMAIL_EXPECTED + ", got 42");
    }

    @Test
    void phonesAreNormalisedWithTheDatabaseRegionAndDeduplicated() {
        assertThat(StandardField.PHONES.coerce(json("['+79000000000', '8 900 000-00-00', '+7 901 000 00 00']"), "RU"))
                .isEqualTo(json("['+79000000000', '+79010000000']"));
        assertThat(StandardField.PHONES.coerce(json("'+79000000000'"), null)).isEqualTo(json("['+79000000000']"));
        assertThat(StandardField.PHONES.coerce(json("[79000000000]"), "RU")).isEqualTo(json("['+79000000000']"));
    }

    @Test
    void aBadPhoneNamesThePhonesField() {
        assertThatThrownBy(() -> StandardField.PHONES.coerce(json("['+79000000000', '123']"), "RU"))
                .isInstanceOf(RosterException.class)
                .hasMessageStartingWith("invalid value of 'phones': expected a valid phone number")
                .hasMessageEndingWith("got \"123\"");
        assertThatThrownBy(() -> StandardField.PHONES.coerce(json("{'phone':'+79000000000'}"), "RU"))
                .hasMessage("invalid value of 'phones': expected an array of phone numbers or a comma-separated string"
                        + " of them, got {\"phone\":\"+79000000000\"}");
    }

    @Test
    void sexZeroClears() {
        assertThat(StandardField.SEX.coerce(json("'Male'"), null)).isEqualTo(json("'male'"));
        assertThat(StandardField.SEX.coerce(json("2"), null)).isEqualTo(json("'female'"));
        assertThat(StandardField.SEX.coerce(json("0"), null)).isNull();
    }

    @Test
    void timeZonesAreIanaIdsInTheirCanonicalSpelling() {
        assertThat(StandardField.TZ.coerce(json("'Europe/Moscow'"), null)).isEqualTo(json("'Europe/Moscow'"));
        assertThat(StandardField.TZ.coerce(json("'europe/moscow'"), null)).isEqualTo(json("'Europe/Moscow'"));
        assertThat(StandardField.TZ.coerce(json("'UTC'"), null)).isEqualTo(json("'UTC'"));
        for (String bad : new String[] {"'Mars/Olympus'", "'+03:00'", "'Moscow'", "3", "''"}) {
            assertThatThrownBy(() -> StandardField.TZ.coerce(json(bad), null))
                    .hasMessage("invalid value of '_tz': expected an IANA time zone such as \"Europe/Moscow\", got "
                            + json(bad));
        }
    }

    @Test
    void otherFieldsUseTheirType() {
        assertThat(StandardField.POSTAL_CODE.coerce(json("190000"), null)).isEqualTo(json("'190000'"));
        assertThat(StandardField.STATUS.coerce(json("'0'"), null)).isEqualTo(json("0"));
        assertThat(StandardField.BDATE.coerce(json("'1990-01-15T12:00:00Z'"), null)).isEqualTo(json("'1990-01-15T12:00:00Z'"));
        assertThat(StandardField.REGIP.coerce(json("'127.0.0.1'"), null)).isEqualTo(json("'127.0.0.1'"));
        assertThat(StandardField.FNAME.coerce(json("'Ivan'"), null)).isEqualTo(json("'Ivan'"));
        assertThatThrownBy(() -> StandardField.STATUS.coerce(json("'active'"), null))
                .hasMessage("invalid value of '_status': expected an integer, got \"active\"");
        assertThatThrownBy(() -> StandardField.IP.coerce(json("'localhost'"), null))
                .hasMessage("invalid value of '_ip': expected an IPv4 or IPv6 address, got \"localhost\"");
        assertThatThrownBy(() -> StandardField.REGDATE.coerce(json("'yesterday'"), null))
                .hasMessageContaining("'_regdate'");
        assertThatThrownBy(() -> StandardField.CITY.coerce(json("['Moscow']"), null))
                .hasMessage("invalid value of '_city': expected a string, got [\"Moscow\"]");
    }

    @org.junit.jupiter.api.Test
    void theCatalogListsExactlyTheStandardFieldsThatProfilesAccept() {
        assertThat(java.util.Arrays.stream(StandardField.values()).map(StandardField::wireName).toList())
                .containsExactlyElementsOf(dev.roster.catalog.StandardFields.WRITABLE.keySet());
    }
}
