package io.tlswatch.streams.attribution;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.tlswatch.contract.event.HandshakeOutcome;

import java.time.Instant;
import java.util.Objects;

/**
 * A fingerprint seen, keyed by the JA4 (the internal topic {@code by-fingerprint}).
 *
 * @param ja4      the fingerprint
 * @param time     the event time
 * @param offered  the highest version its ClientHello offered
 * @param clientId the client it was attributed to; {@code null} when none
 * @param address  the remote address
 * @param outcome  the handshake's outcome; {@code null} for a sighting in a check or report (its handshake
 *                 is counted from its own handshake event)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FingerprintSignal(String ja4, Instant time, String offered, String clientId, String address,
                                HandshakeOutcome outcome) {

    public FingerprintSignal {
        Objects.requireNonNull(ja4, "ja4");
        Objects.requireNonNull(time, "time");
    }
}
