package io.tlswatch.streams.posture;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.LicenseCheckEvent;
import io.tlswatch.streams.event.TlsVersions;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One piece of evidence about a client, reduced to what the posture rules read.
 *
 * @param time        the event time; for a report, when the collector received it (its {@code occurredAt} is
 *                    the client's clock: the report event keeps it)
 * @param kind        what it is
 * @param detail      the failure reason value, the check code or the report's error class
 * @param protocol    the negotiated protocol (successes and checks)
 * @param cipherSuite the negotiated cipher suite (successes and checks)
 * @param offered     the highest version offered, from the ClientHello or its JA4
 * @param ja4         the fingerprint
 * @param address     the remote address
 * @param clockSkew   for reports: the client's clock minus the collector's; for checks: the DPoP proof's
 *                    {@code iat} minus the validator's clock ({@code proofClockOffset})
 * @param message     the raw error text, for a person
 * @param attributed  whether it reached the client through its address (a handshake, a NEL report) rather than
 *                    first-hand (its own check or report); absent in state written before it was kept, where
 *                    the kind tells ({@link #firstHand()})
 * @param refusal     for a refused check: why ({@code refusal} of the check event); {@code null} otherwise and in
 *                    state written before the field existed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Observation(Instant time, ObservationKind kind, String detail, String protocol, String cipherSuite,
                          String offered, String ja4, String address, Duration clockSkew, String message,
                          boolean attributed, String refusal) {

    private static final int MAX_MESSAGE = 300;

    public Observation {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        if (message != null && message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "...";
        }
    }

    public static Observation of(HandshakeEvent e) {
        String ja4 = e.clientHello() == null ? null : e.clientHello().ja4();
        String offered = e.clientHello() == null ? null : e.clientHello().highestOfferedVersion();
        if (HandshakeEvent.LISTENER_COLLECTOR.equals(e.listener())) {
            return new Observation(e.time(), ObservationKind.OFFER, null, null, null, offered, ja4, e.remoteAddress(),
                    null, null, true, null);
        }
        if (e.succeeded()) {
            return new Observation(e.time(), ObservationKind.SUCCESS, null, e.negotiated().protocol(),
                    e.negotiated().cipherSuite(), offered, ja4, e.remoteAddress(), null, null, true, null);
        }
        return new Observation(e.time(), ObservationKind.FAILURE, e.failureReason().name().toLowerCase(Locale.ROOT),
                null, null, offered, ja4, e.remoteAddress(), null, e.failureMessage(), true, null);
    }

    public static Observation of(LicenseCheckEvent e) {
        return new Observation(e.time(), ObservationKind.CHECK, e.code().name(), e.tlsProtocol(), e.cipherSuite(),
                TlsVersions.max(TlsVersions.fromJa4(e.ja4()), e.tlsProtocol()), e.ja4(), e.remoteAddress(),
                e.proofClockOffset() == null ? null : Duration.ofSeconds(e.proofClockOffset()), null, false,
                e.refusal());
    }

    public static Observation of(ClientReportEvent e) {
        Duration skew = e.clientTime() == null ? null : Duration.between(e.receivedAt(), e.clientTime());
        String ja4 = e.arrival().ja4();
        // Windowed by receipt: the client's occurredAt may be far behind (a spool, a slow clock) and is its word.
        return new Observation(e.receivedAt(), ObservationKind.REPORT, e.errorClass(), null, null,
                TlsVersions.fromJa4(ja4), ja4, e.remoteAddress(), skew, e.message(), e.clientId() == null, null);
    }

    /** A completed handshake at TLS 1.2 or above: the client can still reach a modern server. */
    public boolean modernSuccess() {
        return (kind == ObservationKind.SUCCESS || kind == ObservationKind.CHECK) && TlsVersions.modern(protocol);
    }

    /** A license check the validator accepted. */
    public boolean validCheck() {
        return kind == ObservationKind.CHECK && "VALID".equals(detail);
    }

    /** The client's own license check or report, not something tied to it through its address. */
    public boolean firstHand() {
        return !attributed && (kind == ObservationKind.CHECK || kind == ObservationKind.REPORT);
    }

    public boolean completed() {
        return kind == ObservationKind.SUCCESS || kind == ObservationKind.CHECK;
    }
}
