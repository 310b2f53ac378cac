package io.tlswatch.validator.api;

import io.tlswatch.contract.event.LicenseCheckEvent;
import io.tlswatch.validator.token.DpopRejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Logs why a client was refused, one line per cause per client at most once per {@link #WINDOW}: enough for a
 * support engineer to find "client X is refused because its clock is 2 h ahead" without a client retrying every
 * few seconds filling the log. At most {@link #CAPACITY} (client, cause) pairs are remembered; beyond that new
 * pairs are not logged until old ones age out (said once, at WARN), so a flood of made-up client ids grows
 * neither memory nor the log. Every refusal is still counted ({@code tlswatch.license.refusals}) and on the
 * license-check topic.
 */
public final class RefusalLog {

    public static final Duration WINDOW = Duration.ofMinutes(10);
    public static final int CAPACITY = 1_000;

    private static final Logger log = LoggerFactory.getLogger(RefusalLog.class);
    private static final String CLOCK_SKEW = DpopRejection.IAT_OUT_OF_WINDOW.tag();

    private final OncePerWindow<Key> limiter;
    private final Duration iatWindow;
    private final String windowText;
    private final AtomicBoolean full = new AtomicBoolean();

    private record Key(String clientId, String refusal) {
    }

    /** @param iatWindow {@code dpop.iatWindow}, named in the clock-skew line */
    public RefusalLog(Duration iatWindow, Clock clock) {
        this(iatWindow, clock, WINDOW, CAPACITY);
    }

    RefusalLog(Duration iatWindow, Clock clock, Duration window, int capacity) {
        this.limiter = new OncePerWindow<>(window, capacity, clock);
        this.iatWindow = iatWindow;
        this.windowText = window.toSecondsPart() == 0 && window.toMinutes() > 0
                ? window.toMinutes() + " min" : window.toSeconds() + " s";
    }

    /** Logs the check's refusal if its client was not refused for the same cause within the window. */
    public void record(LicenseCheckEvent check) {
        String refusal = check.refusal();
        if (refusal == null) {
            return;
        }
        switch (limiter.tryAcquire(new Key(check.clientId(), refusal))) {
            case ALLOWED -> {
                full.set(false);
                line(check, refusal);
            }
            case FULL -> {
                if (full.compareAndSet(false, true)) {
                    log.warn("Refusal log is full ({} client/cause pairs logged within the last {}); further ones "
                            + "are not logged until those age out (every refusal is still counted in "
                            + "tlswatch.license.refusals)", limiter.capacity(), windowText);
                }
            }
            case REPEATED -> {
                // logged less than a window ago
            }
        }
    }

    private void line(LicenseCheckEvent check, String refusal) {
        Long offset = check.proofClockOffset();
        if (CLOCK_SKEW.equals(refusal) && offset != null) {
            log.info("client {} refused: clock_skew {} s (window ±{} s) from {}; not logged again for this client "
                            + "and cause for {}", check.clientId(), signed(offset), iatWindow.toSeconds(),
                    check.remoteAddress(), windowText);
        } else if (offset != null) {
            log.info("client {} refused: {} ({}, proof clock offset {} s) from {}; not logged again for this client "
                            + "and cause for {}", check.clientId(), refusal, check.code(), signed(offset),
                    check.remoteAddress(), windowText);
        } else {
            log.info("client {} refused: {} ({}) from {}; not logged again for this client and cause for {}",
                    check.clientId(), refusal, check.code(), check.remoteAddress(), windowText);
        }
    }

    private static String signed(long seconds) {
        return seconds > 0 ? "+" + seconds : Long.toString(seconds);
    }
}
