package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.error.RosterException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpNormalizerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "192.168.0.1                             | 192.168.0.1",
        " 10.0.0.255 \t                          | 10.0.0.255",
        "0.0.0.0                                 | 0.0.0.0",
        "255.255.255.255                         | 255.255.255.255",
        "::                                      | ::",
        "::1                                     | ::1",
        "1::                                     | 1::",
        "2001:DB8:0:0:0:0:0:1                    | 2001:db8::1",
        "2001:0db8:0000:0000:0001:0000:0000:0001 | 2001:db8::1:0:0:1",
        "2001:db8:0:0:1:0:0:1                    | 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1                    | 2001:db8:0:1:1:1:1:1",
        "2001:db8::0:1                           | 2001:db8::1",
        "1:2:3:4:5:6:7::                         | 1:2:3:4:5:6:7:0",
        "fe80::0:0:1:0:0:0                       | fe80::1:0:0:0",
        "::ffff:192.0.2.1                        | ::ffff:192.0.2.1",
        "::FFFF:C000:0201                        | ::ffff:192.0.2.1",
        "64:ff9b::192.0.2.33                     | 64:ff9b::c000:221",
        "1:2:3:4:5:6:1.2.3.4                     | 1:2:3:4:5:6:102:304"})
    void canonicalText(String sent, String canonical) {
        assertThat(Normalizer.ip("_ip", sent)).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "1.2.3.-4", "localhost", "example.com",
        "1.2.3.4/24", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", ":::", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:",
        "12345::", "g::1", "fe80::1%eth0", "[::1]", "1.2.3.4::", "::1.2.3", "1.2.3.4:1::", "::256.0.0.1",
        "1:2:3:4:5:6:7:1.2.3.4", "1:2:3:4:5:6:7:8::"})
    void refusesWhatIsNotALiteral(String sent) {
        assertThatThrownBy(() -> Normalizer.ip("_regip", sent))
                .isInstanceOf(RosterException.class)
                .hasMessage("invalid value of '_regip': expected an IPv4 or IPv6 address, got \"" + sent + "\"");
    }

    @Test
    void refusesNull() {
        assertThatThrownBy(() -> Normalizer.ip("_ip", null))
                .hasMessage("invalid value of '_ip': expected an IPv4 or IPv6 address, got nothing");
    }
}
