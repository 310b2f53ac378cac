package io.tlswatch.contract.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The system clock, plus however far a test has skipped it ahead: time keeps passing as it does for everything
 * else in the test (brokers, sockets, timeouts), and a wait of minutes the code under test must see pass can be
 * skipped at once. Safe to read and skip from any thread.
 */
public final class SkippingClock extends Clock {

    private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);

    public void skip(Duration duration) {
        ahead.updateAndGet(d -> d.plus(duration));
    }

    /** How far ahead of the system clock this one is. */
    public Duration ahead() {
        return ahead.get();
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(ahead.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
