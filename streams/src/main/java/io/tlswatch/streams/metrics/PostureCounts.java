package io.tlswatch.streams.metrics;

import io.tlswatch.contract.event.ClientPosture;
import io.tlswatch.contract.event.FingerprintPosture;
import io.tlswatch.contract.event.Posture;

import java.util.List;
import java.util.Map;

/**
 * What {@link PostureGauges} counts, read from this instance's share of the state. May throw Kafka Streams'
 * {@code InvalidStateStoreException} while the stores are not queryable (a rebalance).
 */
public interface PostureCounts {

    /**
     * Everything the gauges show, in one pass over each store (the client rows, the fingerprint rows).
     *
     * @param topStuck    how many clients stuck or at risk to rank, longest first (0: none)
     * @param topOutdated how many outdated fingerprints to rank, most handshakes first (0: none)
     */
    Tally tally(int topStuck, int topOutdated);

    /**
     * @param byPosture            clients by posture, every posture present (zero when none)
     * @param byPendingPosture     clients whose judged posture waits out the hold, by that posture, every posture
     *                             present
     * @param outdatedFingerprints fingerprints that offer nothing above TLS 1.1
     * @param longestStuck         clients stuck or at risk, longest first
     * @param busiestOutdated      outdated fingerprints, most handshakes first
     */
    record Tally(Map<Posture, Long> byPosture, Map<Posture, Long> byPendingPosture, long outdatedFingerprints,
                 List<ClientPosture> longestStuck, List<FingerprintPosture> busiestOutdated) {
    }
}
