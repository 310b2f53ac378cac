package io.tlswatch.validator.token;

import io.tlswatch.contract.testing.MutableClock;
import io.tlswatch.validator.token.ReplayCache.Outcome;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplayCacheTest {

    private final MutableClock clock = MutableClock.at("2025-03-14T09:00:00Z");

    @Test
    void aKeySeenAgainBeforeItExpiresIsAReplay() {
        // given
        ReplayCache cache = new ReplayCache(10, clock);
        Instant expiresAt = clock.instant().plusSeconds(60);

        // when / then
        assertThat(cache.record("a", expiresAt)).isEqualTo(Outcome.FRESH);
        assertThat(cache.record("a", expiresAt)).isEqualTo(Outcome.REPLAYED);
        assertThat(cache.record("b", expiresAt)).isEqualTo(Outcome.FRESH);
    }

    @Test
    void aKeyIsForgottenOnceItExpires() {
        // given
        ReplayCache cache = new ReplayCache(10, clock);
        cache.record("a", clock.instant().plusSeconds(60));

        // when
        clock.advance(Duration.ofSeconds(60));

        // then
        assertThat(cache.record("a", clock.instant().plusSeconds(60))).isEqualTo(Outcome.FRESH);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void aFullCacheRefusesRatherThanForgets() {
        // given: a cache full of live entries
        ReplayCache cache = new ReplayCache(2, clock);
        cache.record("a", clock.instant().plusSeconds(60));
        cache.record("b", clock.instant().plusSeconds(120));

        // when / then: a new key is refused, and the remembered keys are still replays
        assertThat(cache.record("c", clock.instant().plusSeconds(60))).isEqualTo(Outcome.FULL);
        assertThat(cache.record("a", clock.instant().plusSeconds(60))).isEqualTo(Outcome.REPLAYED);
        assertThat(cache.record("b", clock.instant().plusSeconds(60))).isEqualTo(Outcome.REPLAYED);

        // when: the first entry expires
        clock.advance(Duration.ofSeconds(60));

        // then: there is room again, and the entry still live is still remembered
        assertThat(cache.record("c", clock.instant().plusSeconds(60))).isEqualTo(Outcome.FRESH);
        assertThat(cache.record("b", clock.instant().plusSeconds(60))).isEqualTo(Outcome.REPLAYED);
    }

    @Test
    void entriesExpireInTheirOwnOrderWhateverTheOrderOfArrival() {
        // given: a long-lived entry recorded before a short-lived one
        ReplayCache cache = new ReplayCache(10, clock);
        cache.record("long", clock.instant().plusSeconds(120));
        cache.record("short", clock.instant().plusSeconds(30));

        // when
        clock.advance(Duration.ofSeconds(31));

        // then
        assertThat(cache.record("short", clock.instant().plusSeconds(30))).isEqualTo(Outcome.FRESH);
        assertThat(cache.record("long", clock.instant().plusSeconds(30))).isEqualTo(Outcome.REPLAYED);
    }

    @Test
    void memoryStaysBoundedUnderAFlood() {
        // given
        ReplayCache cache = new ReplayCache(1000, clock);

        // when: ten times the capacity, one second apart, each living a minute
        int full = 0;
        for (int i = 0; i < 10_000; i++) {
            if (cache.record("k" + i, clock.instant().plusSeconds(60)) == Outcome.FULL) {
                full++;
            }
            clock.advance(Duration.ofMillis(100));
        }

        // then: never more than the capacity; in steady state 600 are live, so nothing was refused
        assertThat(cache.size()).isLessThanOrEqualTo(1000);
        assertThat(full).isZero();
    }

    @Test
    void ofManyThreadsRecordingOneKeyAtOnceExactlyOneSeesItFresh() throws Exception {
        // given
        ReplayCache cache = new ReplayCache(10, clock);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Outcome>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    return cache.record("same", clock.instant().plusSeconds(60));
                }));
            }

            // when
            start.countDown();
            List<Outcome> results = new ArrayList<>();
            for (Future<Outcome> outcome : outcomes) {
                results.add(outcome.get(10, TimeUnit.SECONDS));
            }

            // then
            assertThat(results).containsOnlyOnce(Outcome.FRESH).filteredOn(o -> o != Outcome.FRESH)
                    .containsOnly(Outcome.REPLAYED);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theCapacityMustBePositive() {
        assertThatThrownBy(() -> new ReplayCache(0, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
