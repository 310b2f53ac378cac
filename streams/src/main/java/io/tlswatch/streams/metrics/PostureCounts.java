package io.tlswatch.streams.metrics;

import io.tlswatch.contract.event.ClientPosture;
import io.tlswatch.contract.event.FingerprintPosture;
import io.tlswatch.contract.event.Posture;

import java.util.List;
import java.util.Map;

/**
 * What {@link PostureGauges} counts, read from this instance's share of the state. Each call may throw Kafka
 * Streams' {@code InvalidStateStoreException} while the stores are not queryable (a rebalance).
 */
public interface PostureCounts {

    /** Clients by posture, every posture present (zero when none). */
    Map<Posture, Long> countByPosture();

    /** Clients whose judged posture waits out the hold, by that posture, every posture present. */
    Map<Posture, Long> countByPendingPosture();

    long outdatedFingerprints();

    /** At most {@code n} clients stuck or at risk, longest first. */
    List<ClientPosture> longestStuck(int n);

    /** At most {@code n} outdated fingerprints, most handshakes first. */
    List<FingerprintPosture> busiestOutdated(int n);
}
