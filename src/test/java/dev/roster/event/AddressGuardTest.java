package dev.roster.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.error.RosterException;
import org.junit.jupiter.api.Test;

/** Webhook URLs: loopback and private addresses are refused unless allowed (address literals: no DNS needed). */
class AddressGuardTest {
    private final AddressGuard strict = new AddressGuard(false);
    private final AddressGuard lenient = new AddressGuard(true);

    @Test
    void loopbackPrivateLinkLocalAndUniqueLocalAddressesAreRefused() {
        for (String url : new String[] {"http://127.0.0.1/h", "http://127.8.9.10:8080/h", "https://10.1.2.3/h",
                "http://172.16.0.1/h", "http://192.168.1.1/h", "http://169.254.169.254/latest", "http://0.0.0.0/h",
                "http://100.64.0.1/h", "http://[::1]/h", "http://[fc00::1]/h", "http://[fe80::1]/h"}) {
            assertThatThrownBy(() -> strict.check(url)).as(url).isInstanceOf(RosterException.class)
                    .hasMessageContaining("--webhook-allow-private");
            assertThat(lenient.check(url).toString()).isEqualTo(url);
        }
    }

    @Test
    void publicAddressesPassAndOnlyHttpOrHttpsWithAHost() {
        assertThat(strict.check("https://93.184.216.34/hook").getHost()).isEqualTo("93.184.216.34");
        for (String url : new String[] {"ftp://93.184.216.34/x", "file:///etc/passwd", "http:///nohost", "not a url",
                "http://user:pw@93.184.216.34/"}) {
            assertThatThrownBy(() -> lenient.check(url)).as(url).isInstanceOf(RosterException.class)
                    .hasMessageContaining("url");
        }
    }

    @Test
    void backoffDoublesFromTheFirstDelayUpToTheLongest() {
        EventSettings s = EventSettings.defaults();
        assertThat(s.backoff(1).toMillis()).isEqualTo(1000);
        assertThat(s.backoff(2).toMillis()).isEqualTo(2000);
        assertThat(s.backoff(10).toMillis()).isEqualTo(512_000);
        assertThat(s.backoff(11).toMillis()).isEqualTo(600_000);
        assertThat(s.backoff(1000).toMillis()).isEqualTo(600_000);
    }
}
