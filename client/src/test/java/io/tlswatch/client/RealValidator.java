package io.tlswatch.client;

import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.LicenseRecordStatus;
import io.tlswatch.contract.testing.FreePorts;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.validator.Validator;
import io.tlswatch.validator.ValidatorConfig;
import io.tlswatch.validator.license.IssuedLicense;
import io.tlswatch.validator.license.LicenseAdmin;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * The real validator, in-process, on a real broker: listening on a port chosen up front so that its public URL
 * (the DPoP {@code htu} and the token issuer) is the URL the SDK connects to, as in production.
 */
final class RealValidator implements AutoCloseable {

    private final KafkaBroker broker;
    private final DevCertificateFiles certificates;
    private final int port;
    private final Validator validator;

    RealValidator(KafkaBroker broker, Path certificateDirectory, Map<String, String> extra) throws IOException {
        this.broker = broker;
        this.certificates = new DevCertificates(certificateDirectory, DevCertificates.localHostNames(),
                Clock.systemUTC()).ensure();
        this.port = FreePorts.next();
        Map<String, String> values = new HashMap<>();
        values.put("https.port", String.valueOf(port));
        values.put("admin.port", "0");
        values.put("server.host", "127.0.0.1");
        values.put("admin.host", "127.0.0.1");
        values.put("server.publicUrl", "https://localhost:" + port);
        values.put("tls.devCertificateDir", certificateDirectory.toString());
        values.put("kafka.bootstrap.servers", broker.bootstrapServers());
        values.putAll(extra);
        this.validator = Validator.start(ValidatorConfig.from(ConfigSource.of(values)), Clock.systemUTC());
    }

    int port() {
        return port;
    }

    URI url() {
        return URI.create("https://localhost:" + port);
    }

    Path caCertificate() {
        return certificates.caCertificate();
    }

    Validator validator() {
        return validator;
    }

    /** A new license, active from a minute ago for 30 days with 72 h grace, once the validator has it. */
    IssuedLicense issue(String plan) {
        try (LicenseAdmin admin = admin()) {
            IssuedLicense issued = admin.issue("Acme", plan, List.of("reporting", "export"), 50,
                    Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(30)), Duration.ofHours(72));
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> validator.registry().byLicenseId(issued.license().licenseId()).isPresent());
            return issued;
        }
    }

    void revoke(String licenseId) {
        try (LicenseAdmin admin = admin()) {
            admin.revoke(licenseId);
        }
        awaitStatus(licenseId, LicenseRecordStatus.REVOKED);
    }

    void suspend(String licenseId) {
        try (LicenseAdmin admin = admin()) {
            admin.suspend(licenseId);
        }
        awaitStatus(licenseId, LicenseRecordStatus.SUSPENDED);
    }

    private void awaitStatus(String licenseId, LicenseRecordStatus status) {
        await().atMost(Duration.ofSeconds(15)).until(() -> validator.registry().byLicenseId(licenseId)
                .map(l -> l.status() == status).orElse(false));
    }

    private LicenseAdmin admin() {
        return new LicenseAdmin(broker.settings(), Topics.LICENSES, Clock.systemUTC(), "client-it");
    }

    @Override
    public void close() {
        validator.close();
    }
}
