package io.tlswatch.launcher.field;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The system clock plus an offset a test can move forward: the services' and the clients' time passes by that much
 * at once, so that a scenario can be taken past a hold of minutes without waiting for it.
 */
final class ShiftableClock extends Clock {

    private final AtomicReference<Duration> shift = new AtomicReference<>(Duration.ZERO);

    void advance(Duration by) {
        shift.accumulateAndGet(by, Duration::plus);
    }

    Duration shift() {
        return shift.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only");
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(shift.get());
    }
}
