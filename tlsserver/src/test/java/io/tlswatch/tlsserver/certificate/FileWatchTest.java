package io.tlswatch.tlsserver.certificate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FileWatchTest {

    private static final Duration SETTLE = Duration.ofMillis(100);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger changes = new AtomicInteger();

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws InterruptedException {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private FileWatch watching(Path file) {
        // Zero: no polling or file events, so only checkNow compares and the test decides when.
        return new FileWatch(executor, new WatchedFiles(List.of(file)), Duration.ZERO, SETTLE, "test",
                changes::incrementAndGet);
    }

    @Test
    void aChangedFileIsHandedOverOnceAfterItSettled() throws Exception {
        // given a watched file
        Path file = Files.writeString(dir.resolve("keys.json"), "one");
        try (FileWatch watch = watching(file)) {
            // when it changes and is compared
            Files.writeString(file, "two");
            watch.checkNow().get(5, TimeUnit.SECONDS);

            // then nothing is handed over before it settled, and exactly once after
            assertThat(changes).hasValue(0);
            await().atMost(Duration.ofSeconds(5)).until(() -> changes.get() == 1);
            watch.checkNow().get(5, TimeUnit.SECONDS);
            assertThat(changes).hasValue(1);
        }
    }

    @Test
    void aFileRewrittenWithTheSameContentIsNoChange() throws Exception {
        // given a watched file
        Path file = Files.writeString(dir.resolve("keys.json"), "same");
        try (FileWatch watch = watching(file)) {
            // when it is rewritten with the same bytes and compared twice, a settle apart
            Files.writeString(file, "same");
            watch.checkNow().get(5, TimeUnit.SECONDS);
            executor.schedule(() -> { }, SETTLE.toMillis() * 2, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);
            watch.checkNow().get(5, TimeUnit.SECONDS);

            // then nothing is handed over
            assertThat(changes).hasValue(0);
        }
    }

    @Test
    void aFileStillChangingIsReadOnlyOnceItStopped() throws Exception {
        // given a watched file that changes, then changes again before it settled
        Path file = Files.writeString(dir.resolve("chain.pem"), "a");
        try (FileWatch watch = watching(file)) {
            Files.writeString(file, "b");
            watch.checkNow().get(5, TimeUnit.SECONDS);
            Files.writeString(file, "c");
            watch.checkNow().get(5, TimeUnit.SECONDS);

            // then the owner hears of it once, for the last content
            await().atMost(Duration.ofSeconds(5)).until(() -> changes.get() == 1);
            watch.checkNow().get(5, TimeUnit.SECONDS);
            assertThat(changes).hasValue(1);
        }
    }
}
