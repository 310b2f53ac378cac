package io.tlswatch.streams.posture;

import io.tlswatch.contract.event.ClientPosture;

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

    /**
     * The row: the committed posture and its reasons, and, while a different judgement waits out the minimum
     * hold, that judgement with its reasons (the assessment's: the rules see the candidate now).
     */
    public ClientPosture row(ClientState s, Assessment a, Instant now) {
        int firstHand = firstHand(s);
        boolean pending = s.candidate() != null && s.candidateSince() != null && s.candidate() == a.posture();
        return ClientPosture.builder().time(now).source(source).clientId(s.clientId()).licenseId(s.licenseId())
                .posture(s.posture()).reasons(s.reasons()).since(s.since()).lastSeen(s.lastSeen())
                .highestOfferedVersion(a.highestOfferedVersion())
                .highestNegotiatedVersion(a.highestNegotiatedVersion()).ja4s(a.ja4s()).runtime(s.runtime())
                .tls(s.tls()).failuresByReason(a.failuresByReason()).reportsByErrorClass(a.reportsByErrorClass())
                .lastValidCheck(s.lastValidCheck()).entitlementExpiresAt(s.entitlementExpiresAt())
                .licenseGraceUntil(s.licenseGraceUntil()).addresses(a.addresses())
                .evidence(firstHand, s.observations().size() - firstHand)
                .pending(pending ? s.candidate() : null, pending ? s.candidateSince() : null,
                        pending ? a.reasons() : null)
                .lapsesAt(a.runsOutAt()).build();
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
                && Objects.equals(a.attributedEvidence(), b.attributedEvidence())
                && a.pendingPosture() == b.pendingPosture() && Objects.equals(a.pendingSince(), b.pendingSince())
                && a.pendingReasons().equals(b.pendingReasons()) && Objects.equals(a.lapsesAt(), b.lapsesAt());
    }
}
