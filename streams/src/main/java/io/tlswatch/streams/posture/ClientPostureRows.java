package io.tlswatch.streams.posture;

import io.tlswatch.common.event.ClientPosture;

import java.time.Instant;
import java.util.Objects;

/** Builds a client's posture row from its state and the latest assessment. */
public final class ClientPostureRows {

    private final String source;

    public ClientPostureRows(String source) {
        this.source = source;
    }

    public String source() {
        return source;
    }

    public ClientPosture row(ClientState s, Assessment a, Instant now) {
        int firstHand = firstHand(s);
        return ClientPosture.builder().time(now).source(source).clientId(s.clientId()).licenseId(s.licenseId())
                .posture(s.posture()).reasons(s.reasons()).since(s.since()).lastSeen(s.lastSeen())
                .highestOfferedVersion(a.highestOfferedVersion())
                .highestNegotiatedVersion(a.highestNegotiatedVersion()).ja4s(a.ja4s()).runtime(s.runtime())
                .tls(s.tls()).failuresByReason(a.failuresByReason()).reportsByErrorClass(a.reportsByErrorClass())
                .lastValidCheck(s.lastValidCheck()).entitlementExpiresAt(s.entitlementExpiresAt())
                .licenseGraceUntil(s.licenseGraceUntil()).addresses(a.addresses())
                .evidence(firstHand, s.observations().size() - firstHand).build();
    }

    /** The state is pruned to the window before a row is made: its evidence is the window's. */
    private static int firstHand(ClientState s) {
        return (int) s.observations().stream().filter(Observation::firstHand).count();
    }

    /** Whether two rows say the same apart from their id, time and last-seen. */
    public static boolean sameContent(ClientPosture a, ClientPosture b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.posture() == b.posture() && a.reasons().equals(b.reasons()) && a.since().equals(b.since())
                && Objects.equals(a.licenseId(), b.licenseId())
                && Objects.equals(a.highestOfferedVersion(), b.highestOfferedVersion())
                && Objects.equals(a.highestNegotiatedVersion(), b.highestNegotiatedVersion())
                && a.ja4s().equals(b.ja4s()) && Objects.equals(a.runtime(), b.runtime())
                && Objects.equals(a.tls(), b.tls()) && a.failuresByReason().equals(b.failuresByReason())
                && a.reportsByErrorClass().equals(b.reportsByErrorClass())
                && Objects.equals(a.lastValidCheck(), b.lastValidCheck())
                && Objects.equals(a.entitlementExpiresAt(), b.entitlementExpiresAt())
                && Objects.equals(a.licenseGraceUntil(), b.licenseGraceUntil())
                && a.addresses().equals(b.addresses())
                && Objects.equals(a.firstHandEvidence(), b.firstHandEvidence())
                && Objects.equals(a.attributedEvidence(), b.attributedEvidence());
    }
}
