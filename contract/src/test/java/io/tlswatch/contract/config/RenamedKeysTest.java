package io.tlswatch.contract.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RenamedKeysTest {

    private static final RenamedKeys RENAMED = RenamedKeys.of("server.shutdownGrace", "shutdown.grace",
            "licenses.readyTimeout", "startup.timeout");
    private static final Set<String> KNOWN = Set.of("shutdown.grace", "startup.timeout");

    private final Logger logger = (Logger) LoggerFactory.getLogger(RenamedKeys.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @TempDir
    Path dir;

    @BeforeEach
    void capture() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
    }

    @Test
    void anOldNameIsWarnedAboutNamingTheOldAndTheNewKey() {
        // when
        RENAMED.applyTo(ConfigSource.of(Map.of("server.shutdownGrace", "30s")));

        // then
        assertThat(appender.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).contains("server.shutdownGrace", "shutdown.grace");
        });
    }

    @Test
    void theNewNamesAloneWarnAboutNothing() {
        RENAMED.applyTo(ConfigSource.of(Map.of("shutdown.grace", "30s")));

        assertThat(appender.list).isEmpty();
    }

    @Test
    void anOldNameInTheFileIsReadUnderTheNewName() throws IOException {
        // given
        Path file = Files.writeString(dir.resolve("service.properties"), "server.shutdownGrace=30s\n");

        // when
        ConfigSource config = ConfigSource.load(file, Map.of(), KNOWN, List.of(), RENAMED);

        // then
        assertThat(config.duration("shutdown.grace", Duration.ZERO)).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.all()).doesNotContainKey("server.shutdownGrace");
    }

    @Test
    void anOldNameInTheEnvironmentIsReadUnderTheNewName() {
        ConfigSource config = ConfigSource.load(null, Map.of("TLSWATCH_LICENSES_READYTIMEOUT", "5s"), KNOWN,
                List.of(), RENAMED);

        assertThat(config.duration("startup.timeout", Duration.ZERO)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void whenBothNamesAreSetTheNewOneWins() {
        ConfigSource config = RENAMED.applyTo(ConfigSource.of(Map.of("server.shutdownGrace", "30s",
                "shutdown.grace", "5s")));

        assertThat(config.all()).containsExactly(Map.entry("shutdown.grace", "5s"));
    }

    @Test
    void givenValuesAreRenamedToo() {
        ConfigSource config = RENAMED.applyTo(ConfigSource.of(Map.of("licenses.readyTimeout", "1m")));

        assertThat(config.all()).containsExactly(Map.entry("startup.timeout", "1m"));
    }

    @Test
    void aTypoIsStillAnUnknownKeyWhenRenamesAreAccepted() throws IOException {
        Path file = Files.writeString(dir.resolve("service.properties"), "shutdown.grase=30s\n");

        assertThatThrownBy(() -> ConfigSource.load(file, Map.of(), KNOWN, List.of(), RENAMED))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown configuration key shutdown.grase in " + file + ": did you mean shutdown.grace?");
    }

    @Test
    void renamesCombine() {
        RenamedKeys both = RENAMED.and(RenamedKeys.of("server.port", "https.port"));

        assertThat(both.newName("server.port")).isEqualTo("https.port");
        assertThat(both.newName("server.shutdownGrace")).isEqualTo("shutdown.grace");
        assertThat(both.accepting(KNOWN)).contains("server.port", "licenses.readyTimeout", "shutdown.grace");
    }
}
