package io.tlswatch.streams.attribution;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.LicenseCheckEvent;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Something about one client, keyed by its id (the internal topic {@code by-client}): its own license check
 * or report, or a handshake or NEL report attributed to it. Exactly one event is set.
 *
 * @param via for an event attributed through its address: what taught that the client uses that address
 *            ({@link Vouch}); {@code null} for the client's own check or report
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClientSignal(String clientId, LicenseCheckEvent check, ClientReportEvent report,
                           HandshakeEvent handshake, Set<String> via) {

    public static ClientSignal own(String clientId, LicenseCheckEvent check) {
        return new ClientSignal(clientId, check, null, null, null);
    }

    public static ClientSignal own(String clientId, ClientReportEvent report) {
        return new ClientSignal(clientId, null, report, null, null);
    }

    public static ClientSignal attributed(String clientId, ClientReportEvent nel, Set<String> via) {
        return new ClientSignal(clientId, null, nel, null, via);
    }

    public static ClientSignal attributed(String clientId, HandshakeEvent handshake, Set<String> via) {
        return new ClientSignal(clientId, null, null, handshake, via);
    }

    public ClientSignal {
        Objects.requireNonNull(clientId, "clientId");
        int set = (handshake != null ? 1 : 0) + (check != null ? 1 : 0) + (report != null ? 1 : 0);
        if (set != 1) {
            throw new IllegalArgumentException("a client signal carries exactly one event, had " + set);
        }
    }

    /** The time the job windows it by: a report's receipt time ({@code WindowTime}), else its event time. */
    @JsonIgnore
    public Instant time() {
        return handshake != null ? handshake.time() : check != null ? check.time() : report.receivedAt();
    }
}
