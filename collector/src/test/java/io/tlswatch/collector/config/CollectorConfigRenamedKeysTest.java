package io.tlswatch.collector.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The keys renamed in this release: the old names still work, under the new ones. */
class CollectorConfigRenamedKeysTest {

    @TempDir
    Path dir;

    @Test
    void theOldNamesInAFileAreReadUnderTheNewNames() throws IOException {
        // given
        Path file = Files.writeString(dir.resolve("collector.properties"),
                "server.shutdownGrace=30s\nserver.readyTimeout=2m\n");

        // when
        CollectorConfig config = CollectorConfig.load(file, Map.of());

        // then
        assertThat(config.server().shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.server().startupTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void theNewNamesAreTheOnesEveryServiceUses() {
        CollectorConfig config = CollectorConfig.load(null, Map.of("TLSWATCH_SHUTDOWN_GRACE", "3s",
                "TLSWATCH_STARTUP_TIMEOUT", "4s"));

        assertThat(config.server().shutdownGrace()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.server().startupTimeout()).isEqualTo(Duration.ofSeconds(4));
    }
}
