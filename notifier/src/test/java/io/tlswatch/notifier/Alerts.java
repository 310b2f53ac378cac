package io.tlswatch.notifier;

import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.AlertEvidence;
import io.tlswatch.contract.event.Posture;
import io.tlswatch.contract.event.RuntimeInfo;
import io.tlswatch.contract.event.Severity;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Alerts as the streams job writes them, for tests. */
public final class Alerts {

    public static final String JA4 = "t10d170300_d4b1867c498c_33a13ba74d1c";

    private Alerts() {
    }

    public static AlertEvent firing(String clientId) {
        return firing(clientId, Severity.CRITICAL);
    }

    public static AlertEvent firing(String clientId, Severity severity) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return AlertEvent.builder()
                .time(now)
                .source("streams@test")
                .dedupKey("tls-outdated:" + clientId)
                .severity(severity)
                .kind(AlertEvent.KIND_CLIENT_POSTURE)
                .summary("Client " + clientId + " is stuck on TLSv1 (Java 1.7.0_80); its license grace runs out in 47h55m")
                .clientId(clientId)
                .posture(Posture.AT_RISK)
                .previousPosture(Posture.STUCK)
                .evidence(new AlertEvidence(Map.of("protocol_version", 14L), Map.of(), List.of(
                        "javax.net.ssl.SSLHandshakeException: Received fatal alert: protocol_version"), Set.of(JA4),
                        "TLSv1", null, new RuntimeInfo("Java(TM) SE Runtime Environment", "1.7.0_80-b15", null), null,
                        null, Duration.ofHours(47).plusMinutes(55), now.plus(Duration.ofHours(47)), null))
                .startsAt(now.minusSeconds(300))
                .build();
    }

    /** The resolution of {@code firing}: same dedup key and start, a new id. */
    public static AlertEvent resolved(AlertEvent firing) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return firing.toBuilder()
                .time(now)
                .resolved(now)
                .summary("Client " + firing.clientId() + " completes modern handshakes again")
                .posture(Posture.HEALTHY)
                .previousPosture(Posture.AT_RISK)
                .build();
    }

    /**
     * A client turning stuck as the streams job writes it since alerts carry their cause: failing on one outdated
     * stack, so its cause is {@code ja4:<its fingerprint>}.
     */
    public static AlertEvent stuckWithCause(String clientId, String ja4) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return AlertEvent.builder()
                .time(now)
                .source("streams@test")
                .dedupKey("tls-outdated:" + clientId)
                .severity(Severity.WARNING)
                .kind(AlertEvent.KIND_CLIENT_POSTURE)
                .summary("Client " + clientId + " (Java(TM) SE Runtime Environment 1.7.0_80-b15) cannot complete a "
                        + "modern TLS handshake, offers at most TLSv1 (9 failed handshakes, 0 error reports)")
                .clientId(clientId)
                .posture(Posture.STUCK)
                .previousPosture(Posture.HEALTHY)
                .evidence(new AlertEvidence(Map.of("protocol_version", 9L), Map.of(), List.of(
                        "javax.net.ssl.SSLHandshakeException: Received fatal alert: protocol_version"), Set.of(ja4),
                        "TLSv1", null, new RuntimeInfo("Java(TM) SE Runtime Environment", "1.7.0_80-b15", null), null,
                        null, null, null, null).withCause("ja4:" + ja4))
                .startsAt(now.minusSeconds(600))
                .build();
    }
}
