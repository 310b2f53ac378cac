package io.tlswatch.streams.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The thresholds the posture rules apply (docs/posture.md lists each with its key and default).
 *
 * @param window             how far back evidence counts towards a client's posture
 * @param stuckMinFailures   version or cipher mismatches (failed handshakes or reports) that make a client stuck
 * @param atRiskHorizon      a stuck client whose entitlement or grace runs out within this is at risk
 * @param maxClockSkew       a client clock further off than this in a report points at a wrong clock
 * @param degradedMinEvidence trust-store or clock problems within the window that make a client degraded
 * @param minHold            a new posture must hold this long before it is committed (and alerted)
 */
public record PostureRulesConfig(Duration window, int stuckMinFailures, Duration atRiskHorizon,
                                 Duration maxClockSkew, int degradedMinEvidence, Duration minHold) {

    public static final PostureRulesConfig DEFAULTS = new PostureRulesConfig(Duration.ofHours(24), 3,
            Duration.ofHours(72), Duration.ofMinutes(5), 1, Duration.ofMinutes(10));

    public PostureRulesConfig {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(atRiskHorizon, "atRiskHorizon");
        Objects.requireNonNull(maxClockSkew, "maxClockSkew");
        Objects.requireNonNull(minHold, "minHold");
        if (window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("posture.window must be positive, was " + window);
        }
        if (stuckMinFailures < 1) {
            throw new IllegalArgumentException("posture.stuckMinFailures must be at least 1, was " + stuckMinFailures);
        }
        if (degradedMinEvidence < 1) {
            throw new IllegalArgumentException("posture.degradedMinEvidence must be at least 1, was "
                    + degradedMinEvidence);
        }
    }

    public PostureRulesConfig withMinHold(Duration value) {
        return new PostureRulesConfig(window, stuckMinFailures, atRiskHorizon, maxClockSkew, degradedMinEvidence,
                value);
    }

    public PostureRulesConfig withStuckMinFailures(int value) {
        return new PostureRulesConfig(window, value, atRiskHorizon, maxClockSkew, degradedMinEvidence, minHold);
    }
}
