package io.tlswatch.validator.license;

import io.tlswatch.contract.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MachineCounterTest {

    private static final Duration WINDOW = Duration.ofHours(24);

    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-14T09:00:00Z"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private MachineCounter counter(int perLicense, int total) {
        return new MachineCounter(clock, new MachineCounter.Limits(WINDOW, perLicense, total), meters);
    }

    private double evicted(String reason) {
        return meters.get("tlswatch.licenses.machines.evicted").tag("reason", reason).counter().count();
    }

    @Test
    void newClientsAreAdmittedUpToTheMaximumAndTheNextIsRefused() {
        // given a license for two machines
        MachineCounter counter = counter(100, 1000);

        // when three different clients validate
        boolean first = counter.admit("lic-a", "client-1", 2);
        boolean second = counter.admit("lic-a", "client-2", 2);
        boolean third = counter.admit("lic-a", "client-3", 2);

        // then the third is refused and does not count
        assertThat(first).isTrue();
        assertThat(second).isTrue();
        assertThat(third).isFalse();
        assertThat(counter.count("lic-a")).isEqualTo(2);
        assertThat(counter.isCounted("lic-a", "client-3")).isFalse();
    }

    @Test
    void aCountedClientIsAlwaysAdmittedEvenWhenTheLicenseIsFull() {
        // given a full license
        MachineCounter counter = counter(100, 1000);
        counter.admit("lic-a", "client-1", 2);
        counter.admit("lic-a", "client-2", 2);

        // when a counted client comes back, also after the license's maximum was lowered to one
        boolean again = counter.admit("lic-a", "client-1", 2);
        boolean afterLowering = counter.admit("lic-a", "client-2", 1);

        // then both are admitted and nothing more is counted
        assertThat(again).isTrue();
        assertThat(afterLowering).isTrue();
        assertThat(counter.count("lic-a")).isEqualTo(2);
    }

    @Test
    void aMachineStopsCountingOnceTheWindowHasPassedSinceItsLastCheck() {
        // given a one-machine license used by client-1
        MachineCounter counter = counter(100, 1000);
        counter.admit("lic-a", "client-1", 1);

        // when client-2 asks one millisecond before the window has passed, then again when it has passed
        clock.advance(WINDOW.minusMillis(1));
        boolean justBefore = counter.admit("lic-a", "client-2", 1);
        clock.advance(Duration.ofMillis(1));
        boolean atTheEnd = counter.admit("lic-a", "client-2", 1);

        // then the slot is taken until the window has passed, and free from then on
        assertThat(justBefore).isFalse();
        assertThat(atTheEnd).isTrue();
        assertThat(counter.isCounted("lic-a", "client-1")).isFalse();
        assertThat(counter.count("lic-a")).isEqualTo(1);
    }

    @Test
    void eachValidCheckRestartsTheWindowOfThatMachine() {
        // given client-1 on a one-machine license, checking again after 20 hours
        MachineCounter counter = counter(100, 1000);
        counter.admit("lic-a", "client-1", 1);
        clock.advance(Duration.ofHours(20));
        counter.admit("lic-a", "client-1", 1);

        // when 23 more hours pass (43 since its first check, 23 since its last)
        clock.advance(Duration.ofHours(23));

        // then it still counts and keeps another client out
        assertThat(counter.admit("lic-a", "client-2", 1)).isFalse();
        assertThat(counter.isCounted("lic-a", "client-1")).isTrue();
    }

    @Test
    void licensesAreCountedSeparately() {
        // given a one-machine license in use
        MachineCounter counter = counter(100, 1000);
        counter.admit("lic-a", "client-1", 1);

        // when another client uses another license
        boolean other = counter.admit("lic-b", "client-2", 1);

        // then it is admitted there
        assertThat(other).isTrue();
        assertThat(counter.count("lic-a")).isEqualTo(1);
        assertThat(counter.count("lic-b")).isEqualTo(1);
    }

    @Test
    void aboveThePerLicenseCapTheLeastRecentlySeenMachineOfThatLicenseIsForgotten() {
        // given a per-license cap of 3 and a license allowing 1000 machines; client-1 is seen again last
        MachineCounter counter = counter(3, 1000);
        counter.admit("lic-a", "client-1", 1000);
        clock.advance(Duration.ofSeconds(1));
        counter.admit("lic-a", "client-2", 1000);
        clock.advance(Duration.ofSeconds(1));
        counter.admit("lic-a", "client-3", 1000);
        clock.advance(Duration.ofSeconds(1));
        counter.admit("lic-a", "client-1", 1000);

        // when a fourth client arrives
        boolean fourth = counter.admit("lic-a", "client-4", 1000);

        // then it is admitted, client-2 (seen least recently) is forgotten, and the eviction is counted
        assertThat(fourth).isTrue();
        assertThat(counter.count("lic-a")).isEqualTo(3);
        assertThat(counter.isCounted("lic-a", "client-2")).isFalse();
        assertThat(counter.isCounted("lic-a", "client-1")).isTrue();
        assertThat(evicted("license_cap")).isEqualTo(1.0);
    }

    @Test
    void aboveTheTotalCapTheLeastRecentlySeenMachineOfAnyLicenseIsForgotten() {
        // given a total cap of 3, filled by two licenses
        MachineCounter counter = counter(3, 3);
        counter.admit("lic-a", "client-1", 10);
        clock.advance(Duration.ofSeconds(1));
        counter.admit("lic-b", "client-2", 10);
        clock.advance(Duration.ofSeconds(1));
        counter.admit("lic-b", "client-3", 10);

        // when a machine of a third license arrives
        boolean admitted = counter.admit("lic-c", "client-4", 10);

        // then lic-a's machine, the oldest of all, is forgotten and memory stays at the cap
        assertThat(admitted).isTrue();
        assertThat(counter.size()).isEqualTo(3);
        assertThat(counter.count("lic-a")).isZero();
        assertThat(counter.count("lic-b")).isEqualTo(2);
        assertThat(evicted("total_cap")).isEqualTo(1.0);
        assertThat(meters.get("tlswatch.licenses.machines").gauge().value()).isEqualTo(3.0);
    }

    @Test
    void aManyMachineLicenseStaysWithinTheCapsUnderAFloodOfClients() {
        // given small caps
        MachineCounter counter = counter(50, 200);

        // when 10,000 distinct clients validate across 10 licenses
        for (int i = 0; i < 10_000; i++) {
            counter.admit("lic-" + (i % 10), "client-" + i, 1_000_000);
        }

        // then no license holds more than its cap and the total stays bounded
        assertThat(counter.size()).isLessThanOrEqualTo(200);
        for (int l = 0; l < 10; l++) {
            assertThat(counter.count("lic-" + l)).isLessThanOrEqualTo(50);
        }
    }

    @Test
    void concurrentNewClientsNeverExceedTheMaximum() throws Exception {
        // given a license for 50 machines
        MachineCounter counter = counter(10_000, 100_000);
        int threads = 8;
        int clientsPerThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger admitted = new AtomicInteger();

        // when 8 threads race 4,000 distinct clients at it
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < clientsPerThread; i++) {
                    if (counter.admit("lic-a", "client-" + thread + "-" + i, 50)) {
                        admitted.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : done) {
            future.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        // then exactly 50 were admitted and counted
        assertThat(admitted.get()).isEqualTo(50);
        assertThat(counter.count("lic-a")).isEqualTo(50);
    }

    @Test
    void aCheckObservedOnAnotherReplicaTakesASlotUntilItsWindowHasPassed() {
        // given a one-machine license and a valid check of client-1 on another replica an hour ago
        MachineCounter counter = counter(100, 1000);
        counter.observe("lic-a", "client-1", clock.instant().minus(Duration.ofHours(1)));

        // when client-2 asks here now, and again 23 hours later
        boolean now = counter.admit("lic-a", "client-2", 1);
        clock.advance(Duration.ofHours(23));
        boolean later = counter.admit("lic-a", "client-2", 1);

        // then it is refused while client-1 counts, admitted once that window has passed
        assertThat(now).isFalse();
        assertThat(later).isTrue();
    }

    @Test
    void aSightingOlderThanTheWindowIsIgnored() {
        // given a counter
        MachineCounter counter = counter(100, 1000);

        // when a check from before the window is observed
        counter.observe("lic-a", "client-1", clock.instant().minus(WINDOW));

        // then it does not count
        assertThat(counter.count("lic-a")).isZero();
    }

    @Test
    void limitsRefuseAnEmptyWindowAndInconsistentCaps() {
        assertThatThrownBy(() -> new MachineCounter.Limits(Duration.ZERO, 1, 1))
                .hasMessageContaining("window must be positive");
        assertThatThrownBy(() -> new MachineCounter.Limits(WINDOW, 0, 1))
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new MachineCounter.Limits(WINDOW, 10, 5))
                .hasMessageContaining("must not exceed the total cap");
    }
}
