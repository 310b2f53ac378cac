package io.tlswatch.validator;

import io.tlswatch.contract.config.ConfigSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The keys renamed in this release: the old names still work, under the new ones. */
class ValidatorConfigRenamedKeysTest {

    @TempDir
    Path dir;

    @Test
    void theOldNamesInAFileAreReadUnderTheNewNames() throws IOException {
        // given
        Path file = Files.writeString(dir.resolve("validator.properties"),
                "server.port=9443\nserver.shutdownGrace=30s\nlicenses.readyTimeout=2m\n");

        // when
        ValidatorConfig config = ValidatorConfig.load(file, Map.of());

        // then
        assertThat(config.port()).isEqualTo(9443);
        assertThat(config.server().shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.server().startupTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void theOldNamesInTheEnvironmentAndInGivenValuesWorkToo() {
        assertThat(ValidatorConfig.load(null, Map.of("TLSWATCH_SERVER_PORT", "9444")).port()).isEqualTo(9444);
        assertThat(ValidatorConfig.from(ConfigSource.of(Map.of("server.port", "9445"))).port()).isEqualTo(9445);
    }

    @Test
    void theNewNameWinsOverTheOld() {
        ValidatorConfig config = ValidatorConfig.from(ConfigSource.of(Map.of("server.port", "9445",
                "https.port", "9446")));

        assertThat(config.port()).isEqualTo(9446);
    }
}
