package dev.rigtel.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AllowedHostsTest {

    private final AllowedHosts listed = new AllowedHosts(Set.of("rigtel.local", "collector"));
    private final AllowedHosts any = new AllowedHosts(Set.of("*"));

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, ALLOWED",
        "127.0.0.1:8080, ALLOWED",
        "10.1.2.3:80, ALLOWED",
        "[::1], ALLOWED",
        "[::1]:8080, ALLOWED",
        "[fe80::1:2]:8080, ALLOWED",
        "localhost, ALLOWED",
        "LocalHost:8080, ALLOWED",
        "localhost.:8080, ALLOWED",
        "rigtel.local, ALLOWED",
        "RIGTEL.LOCAL:8090, ALLOWED",
        "collector:8080, ALLOWED",
        "evil.example, UNKNOWN",
        "rigtel.local.evil.example, UNKNOWN",
        "localhost.evil.example, UNKNOWN",
        "127.0.0.1.nip.io, UNKNOWN",
        "[::1, MALFORMED",
        "[not-v6]:80, MALFORMED",
        "[::1]x, MALFORMED",
        "::1, MALFORMED",
        "host:port, MALFORMED",
        "host:123456, MALFORMED",
        "a b, MALFORMED",
        "a..b, MALFORMED",
        "'', MALFORMED",
    })
    void allowsLiteralsLocalhostAndListedNamesOnly(String host, AllowedHosts.Verdict verdict) {
        assertThat(listed.check(host)).as(host).isEqualTo(verdict);
    }

    @ParameterizedTest
    @CsvSource({"evil.example, ALLOWED", "anything:1, ALLOWED", "127.0.0.1, ALLOWED", "a b, MALFORMED"})
    void aStarAllowsAnyWellFormedName(String host, AllowedHosts.Verdict verdict) {
        assertThat(any.check(host)).as(host).isEqualTo(verdict);
    }

    @org.junit.jupiter.api.Test
    void theOptionTakesCommaSeparatedNamesOrAStar() {
        assertThat(HttpServerOptions.hostNames("")).isEmpty();
        assertThat(HttpServerOptions.hostNames(" Rigtel.Local , collector., ,*"))
                .containsExactly("rigtel.local", "collector", "*");
        assertThatThrownBy(() -> HttpServerOptions.hostNames("rigtel.local,evil example"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'evil example'");
        assertThatThrownBy(() -> HttpServerOptions.hostNames("http://rigtel.local"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
