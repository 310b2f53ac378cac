package io.tlswatch.validator;

import io.tlswatch.contract.config.ConfigException;
import io.tlswatch.contract.config.ConfigSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Configuration mistakes that must be refused at start-up, naming the key. */
class ValidatorConfigRangesTest {

    @Test
    void anEnvironmentVariableOverridesAKafkaKeyOfTheFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("v.properties"), "kafka.bootstrap.servers=file:9092\n");

        ValidatorConfig config = ValidatorConfig.load(file, Map.of("TLSWATCH_KAFKA_BOOTSTRAP_SERVERS", "env:9092"));

        assertThat(config.server().kafka().bootstrapServers()).isEqualTo("env:9092");
    }

    @Test
    void theRetiredMachineCapsAreStillAcceptedSoThatAnOldConfigurationStarts() {
        ValidatorConfig config = ValidatorConfig.from(ConfigSource.of(Map.of("licenses.machinesPerLicenseCap", "200000",
                "licenses.machinesTotalCap", "10")));

        assertThat(config.machineWindow()).isEqualTo(java.time.Duration.ofHours(24));
    }

    @Test
    void aMachineActivationTimeoutThatIsNotPositiveIsAConfigErrorNamingTheKey() {
        assertThatThrownBy(() -> ValidatorConfig.from(ConfigSource.of(Map.of("licenses.machineActivationTimeout", "0s"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("licenses.machineActivationTimeout");
    }

    @Test
    void anEmptyKafkaBootstrapIsAConfigError() {
        assertThatThrownBy(() -> ValidatorConfig.from(ConfigSource.of(Map.of("kafka.bootstrap.servers", ""))))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void aTokenLifetimeOutOfRangeIsAConfigErrorNamingTheKey() {
        // TokenSettings refuses more than 24 h, but only at Validator.start, after the Kafka steps, with exit 1
        assertThatThrownBy(() -> ValidatorConfig.from(ConfigSource.of(Map.of("token.lifetime", "48h"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("token.lifetime");
    }

    @Test
    void aPathInThePublicUrlIsKeptForTheProofTarget() {
        ValidatorConfig config = ValidatorConfig.from(ConfigSource.of(Map.of("server.publicUrl",
                "https://edge.example.com/licensing/")));

        assertThat(config.publicUri("/v1/licenses/validate").toString())
                .isEqualTo("https://edge.example.com/licensing/v1/licenses/validate");
    }
}
