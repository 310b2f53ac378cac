package io.tlswatch.tlsserver.certificate;

import io.tlswatch.contract.config.ConfigException;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.tlsserver.tls.CertificateSource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificateSettingsTest {

    private final CertificateSource source = new CertificateSource.PemFiles(Path.of("tls.crt"), Path.of("tls.key"));

    private CertificateSettings read(Map<String, String> values) {
        return CertificateSettings.from(ConfigSource.of(values), "validator", source);
    }

    @Test
    void givenNothing_thenTheDefaultsApply() {
        CertificateSettings settings = read(Map.of());

        assertThat(settings.name()).isEqualTo("validator");
        assertThat(settings.watchInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.minValidityAhead()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.expiryWarnDays()).containsExactly(30, 14, 7, 1);
        assertThat(settings.trustAnchors()).isNull();
        assertThat(settings.ocsp()).isEqualTo(OcspSettings.defaults());
    }

    @Test
    void givenEveryKey_thenEachIsRead() {
        CertificateSettings settings = read(Map.of(
                "tls.certificateName", "edge", "tls.trustAnchors", "/etc/ca.pem", "tls.watch.interval", "2s",
                "tls.minValidityAhead", "1d", "tls.expiryWarnDays", "3, 21,3",
                "ocsp.enabled", "false", "ocsp.responderUrl", "http://ocsp.example.com/r3", "ocsp.timeout", "2s",
                "ocsp.retryMin", "1s", "ocsp.retryMax", "1m"));

        assertThat(settings.name()).isEqualTo("edge");
        assertThat(settings.trustAnchors()).isEqualTo(Path.of("/etc/ca.pem"));
        assertThat(settings.watchInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.minValidityAhead()).isEqualTo(Duration.ofDays(1));
        assertThat(settings.expiryWarnDays()).isEqualTo(List.of(21, 3));
        assertThat(settings.ocsp()).isEqualTo(new OcspSettings(false, URI.create("http://ocsp.example.com/r3"),
                Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMinutes(1)));
    }

    @Test
    void givenAZeroWatchInterval_thenWatchingIsOff() {
        assertThat(read(Map.of("tls.watch.interval", "0s")).watchInterval()).isZero();
    }

    @Test
    void givenUnusableValues_thenTheErrorNamesTheKey() {
        assertRefused(Map.of("tls.expiryWarnDays", "30, soon"), "tls.expiryWarnDays");
        assertRefused(Map.of("tls.expiryWarnDays", "0"), "tls.expiryWarnDays");
        assertRefused(Map.of("tls.watch.interval", "often"), "tls.watch.interval");
        assertRefused(Map.of("tls.minValidityAhead", "-1h"), "tls.minValidityAhead");
        assertRefused(Map.of("tls.certificateName", " "), "tls.certificateName");
        assertRefused(Map.of("ocsp.enabled", "yes"), "ocsp.enabled");
        assertRefused(Map.of("ocsp.responderUrl", "ldap://ocsp.example.com"), "ocsp.responderUrl");
        assertRefused(Map.of("ocsp.responderUrl", "http://exa mple.com"), "ocsp.responderUrl");
        assertRefused(Map.of("ocsp.responderUrl", "http://ocsp_responder.internal/ocsp"), "ocsp.responderUrl");
        assertRefused(Map.of("ocsp.responderUrl", "http://ocsp.example.com:99999/"), "ocsp.responderUrl");
        assertRefused(Map.of("ocsp.timeout", "0s"), "ocsp.timeout");
        assertRefused(Map.of("ocsp.retryMin", "1m", "ocsp.retryMax", "10s"), "ocsp.retryMax");
    }

    private void assertRefused(Map<String, String> values, String key) {
        assertThatThrownBy(() -> read(values)).isInstanceOf(ConfigException.class).hasMessageStartingWith(key);
    }
}
