package io.tlswatch.tlsserver.certificate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FileEventsTest {

    @Test
    void aChangeToAWatchedFileIsReported(@TempDir Path dir) throws Exception {
        // given
        Path certificate = Files.writeString(dir.resolve("server.pem"), "one");
        AtomicInteger calls = new AtomicInteger();
        try (FileEvents events = FileEvents.start(List.of(certificate), calls::incrementAndGet, "test")) {
            // when
            Files.writeString(certificate, "two");

            // then
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= 1);
        }
    }

    @Test
    void aDirectoryWrittenToAllTheTimeCallsBackAFewTimesNotOncePerWrite(@TempDir Path dir) throws Exception {
        // given the certificate's directory also holds a file that is written to without pause
        Path certificate = Files.writeString(dir.resolve("server.pem"), "one");
        Path log = dir.resolve("validator.log");
        AtomicInteger calls = new AtomicInteger();
        try (FileEvents events = FileEvents.start(List.of(certificate), calls::incrementAndGet, "test")) {
            // when it is written 500 times
            long started = System.nanoTime();
            for (int i = 0; i < 500; i++) {
                Files.writeString(log, "line " + i + "\n", java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            }
            long windows = Duration.ofNanos(System.nanoTime() - started).toMillis() / FileEvents.COALESCE.toMillis() + 2;

            // then the callbacks come once per coalescing window at most, not once per event
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= 1);
            assertThat(calls.get()).isLessThanOrEqualTo((int) windows).isLessThan(500);
        }
    }
}
