package io.tlswatch.launcher.outage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the load caused, counted by the load itself: the license checks each client made and the handshakes that
 * failed from each address. Each made the validator emit one event, and the posture rows are checked against it.
 */
final class GroundTruth {

    private final Map<String, AtomicInteger> checksByClient = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failedHandshakesByAddress = new ConcurrentHashMap<>();

    void checked(String clientId) {
        checksByClient.computeIfAbsent(clientId, k -> new AtomicInteger()).incrementAndGet();
    }

    void handshakeFailedFrom(String address) {
        failedHandshakesByAddress.computeIfAbsent(address, k -> new AtomicInteger()).incrementAndGet();
    }

    /** License checks so far, per client. */
    Map<String, Integer> checksByClient() {
        return snapshot(checksByClient);
    }

    /** Failed handshakes so far, per address. */
    Map<String, Integer> failedHandshakesByAddress() {
        return snapshot(failedHandshakesByAddress);
    }

    int checks() {
        return total(checksByClient);
    }

    int failedHandshakes() {
        return total(failedHandshakesByAddress);
    }

    /** License checks and failed handshakes so far: each made the validator emit one event. */
    long eventsEmitted() {
        return checks() + failedHandshakes();
    }

    /**
     * The posture row each client must have, as {@link PostureRows} gives them: the handshake failures caused from
     * its address (stuck clients; none for the others), and the reports stored for it (reporters, and each stuck
     * client's report of its old stack).
     */
    Map<String, String> postureRows(List<KeepAliveLicenseClient> checking, List<KeepAliveLicenseClient> stuck,
                                    List<String> reporters, Map<String, Integer> storedReportsByClient) {
        Map<String, String> truth = new HashMap<>();
        checking.forEach(c -> truth.put(c.clientId(), "failures=0 reports=0"));
        stuck.forEach(c -> truth.put(c.clientId(), "failures=" + failedHandshakesByAddress
                .get(c.address().getHostAddress()).get() + " reports="
                + storedReportsByClient.getOrDefault(c.clientId(), 0)));
        reporters.forEach(r -> truth.put(r, "failures=0 reports=" + storedReportsByClient.getOrDefault(r, 0)));
        return truth;
    }

    private static Map<String, Integer> snapshot(Map<String, AtomicInteger> counts) {
        Map<String, Integer> snapshot = new HashMap<>();
        counts.forEach((key, n) -> snapshot.put(key, n.get()));
        return snapshot;
    }

    private static int total(Map<String, AtomicInteger> counts) {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }
}
