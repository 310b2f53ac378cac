package io.tlswatch.launcher.outage;

import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.validator.Validator;
import io.tlswatch.validator.license.IssuedLicense;
import io.tlswatch.validator.license.LicenseAdmin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The one license every installation of a {@link StackLoad} checks, issued as an operator would. */
final class LoadLicense {

    private LoadLicense() {
    }

    /** Issues it through the license topic and returns its key once the validator has it. */
    static String issue(String bootstrapServers, Validator validator) throws InterruptedException {
        try (LicenseAdmin admin = new LicenseAdmin(KafkaSettings.of(bootstrapServers), Topics.LICENSES,
                Clock.systemUTC(), "test")) {
            IssuedLicense issued = admin.issue("Acme", "standard", List.of(),
                    2 * (StackLoad.CHECKING_CLIENTS + StackLoad.STUCK_CLIENTS),
                    Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(1)), Duration.ZERO);
            assertThat(validator.registry().awaitLicense(issued.license().licenseId(), l -> true,
                    Duration.ofSeconds(30))).as("the validator has the license").isTrue();
            return issued.licenseKey();
        }
    }
}
