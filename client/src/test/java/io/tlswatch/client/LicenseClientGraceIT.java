package io.tlswatch.client;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import io.tlswatch.client.report.ErrorClass;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.validator.license.IssuedLicense;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Tokens that live seconds, so that refresh and grace happen while the test watches. */
@ExtendWith(KafkaBrokerExtension.class)
class LicenseClientGraceIT {

    private RealValidator server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void revalidatesBeforeExpiryAndKeepsTheEntitlementInGraceWhenTheServerIsGone(
            KafkaBroker broker, @TempDir Path certificates, @TempDir Path state) throws Exception {
        // given a validator issuing 4-second ES256 tokens, and a client refreshing 2 seconds before expiry
        server = new RealValidator(broker, certificates, Map.of("token.lifetime", "PT4S", "token.algorithm", "ES256"));
        IssuedLicense license = server.issue("short-tokens");
        try (LicenseClient client = LicenseClient.builder().serverUrl(server.url()).licenseKey(license.licenseKey())
                .stateDirectory(state).trustedCas(server.caCertificate()).refreshMargin(Duration.ofSeconds(2))
                .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(5))
                .maxRetryInterval(Duration.ofSeconds(2)).build()) {
            client.start();
            await().atMost(Duration.ofSeconds(15)).until(() -> client.status().state() == LicenseState.VALID);
            Instant firstExpiry = client.status().tokenExpiresAt().orElseThrow();
            assertThat(SignedJWT.parse(client.status().token().orElseThrow()).getHeader().getAlgorithm())
                    .isEqualTo(JWSAlgorithm.ES256);

            // then the refresher gets a new token before the first one expires
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    client.status().tokenExpiresAt().orElseThrow().isAfter(firstExpiry));
            assertThat(client.status().state()).isEqualTo(LicenseState.VALID);

            // when the validator goes away
            server.close();
            server = null;

            // then the entitlement holds in grace, with the license's 72 hours counted from the last token's expiry
            await().atMost(Duration.ofSeconds(15)).until(() -> client.status().state() == LicenseState.GRACE);
            LicenseStatus status = client.status();
            assertThat(status.usable()).isTrue();
            assertThat(status.timeLeft()).isBetween(Duration.ofHours(71), Duration.ofHours(72));
            assertThat(status.code()).as("still the server's last word").contains("VALID");
            assertThat(status.lastFailure()).hasValueSatisfying(failure ->
                    assertThat(failure.errorClass()).isEqualTo(ErrorClass.REFUSED));
            assertThat(client.reporting().made()).as("a server that is down is not a TLS failure").isZero();
        }
    }
}
