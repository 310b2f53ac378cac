package io.tlswatch.validator.token;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SigningKeyFileWatcherTest {

    private static final Duration RETENTION = Duration.ofMinutes(16);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final KeyReloadMeters meters = new KeyReloadMeters(registry);
    private final Logger log = (Logger) LoggerFactory.getLogger(SigningKeyFileWatcher.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @AfterEach
    void detach() {
        log.detachAppender(logged);
    }

    @Test
    void bothOutcomesAreRegisteredAtZero() {
        assertThat(reloads("reloaded")).isZero();
        assertThat(reloads("failed")).isZero();
    }

    @Test
    void aChangedFileIsReloadedAndCounted(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("keys.jwks");
        String first = KeyFileEdits.generate(SigningAlgorithm.EDDSA).text();
        Files.writeString(file, first, StandardCharsets.UTF_8);
        SigningKeys keys = SigningKeys.load(file, SigningAlgorithm.EDDSA, RETENTION, Clock.systemUTC());
        try (SigningKeyFileWatcher watcher = new SigningKeyFileWatcher(file, keys, meters, Duration.ofMillis(100))) {
            watcher.start();

            // when
            KeyFileEdit staged = KeyFileEdits.stage(first, Optional.empty(), "keys.jwks");
            replace(file, staged.text());

            // then
            await().atMost(Duration.ofSeconds(10)).until(() -> reloads("reloaded") == 1.0);
            assertThat(keys.next()).map(SigningKey::kid).hasValue(staged.kids().get(0));
            assertThat(reloads("failed")).isZero();
        }
    }

    @Test
    void aBrokenFileKeepsTheKeysAndLogsOneWarning(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("keys.jwks");
        Files.writeString(file, KeyFileEdits.generate(SigningAlgorithm.EDDSA).text(), StandardCharsets.UTF_8);
        SigningKeys keys = SigningKeys.load(file, SigningAlgorithm.EDDSA, RETENTION, Clock.systemUTC());
        String signing = keys.current().kid();
        logged.start();
        log.addAppender(logged);
        try (SigningKeyFileWatcher watcher = new SigningKeyFileWatcher(file, keys, meters, Duration.ofMillis(100))) {
            watcher.start();

            // when
            replace(file, "{\"keys\": [");

            // then
            await().atMost(Duration.ofSeconds(10)).until(() -> reloads("failed") == 1.0);
            assertThat(keys.current().kid()).isEqualTo(signing);
            assertThat(reloads("reloaded")).isZero();
            assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
                    .satisfies(e -> assertThat(e.getFormattedMessage()).contains(file.toString())
                            .contains("still signing with " + signing).contains("is not a JWK Set"));
        }
    }

    /** In one step, as {@code tlswatch keys} writes: a half-written file would be a second, unrelated failure. */
    private static void replace(Path file, String text) throws Exception {
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private double reloads(String outcome) {
        return registry.get(KeyReloadMeters.NAME).tag("outcome", outcome).counter().count();
    }
}
