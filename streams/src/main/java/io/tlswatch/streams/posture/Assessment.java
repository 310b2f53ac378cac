package io.tlswatch.streams.posture;

import io.tlswatch.contract.event.Posture;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * What the posture rules conclude about a client at one moment, with the evidence they looked at.
 *
 * @param posture                  the posture the evidence supports now
 * @param reasons                  why, one machine-readable reason each (docs/posture.md)
 * @param failuresByReason         attributed failures within the window
 * @param reportsByErrorClass      reports within the window
 * @param highestOfferedVersion    within the window
 * @param offeredSinceModern       the highest version offered since the last modern handshake (what a stuck
 *                                 client is stuck on)
 * @param highestNegotiatedVersion within the window
 * @param ja4s                     fingerprints within the window
 * @param addresses                addresses within the window
 * @param lastErrors               the newest raw error texts, newest first
 * @param runsOutAt                the later of the entitlement's expiry and the grace, if known
 * @param timeLeft                 from the assessment's time to {@code runsOutAt}, if known
 */
public record Assessment(Posture posture, List<String> reasons, Map<String, Long> failuresByReason,
                         Map<String, Long> reportsByErrorClass, String highestOfferedVersion, String offeredSinceModern,
                         String highestNegotiatedVersion, SortedSet<String> ja4s, SortedSet<String> addresses,
                         List<String> lastErrors, Instant runsOutAt, Duration timeLeft) {
}
