package io.tlswatch.streams.attribution;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.tlswatch.common.event.ClientReportEvent;
import io.tlswatch.common.event.HandshakeEvent;
import io.tlswatch.common.event.LicenseCheckEvent;

import java.time.Instant;
import java.util.Objects;

/**
 * Something about one client, keyed by its id (the internal topic {@code by-client}): its own license check
 * or report, or a handshake or NEL report attributed to it. Exactly one event is set.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClientSignal(String clientId, LicenseCheckEvent check, ClientReportEvent report,
                           HandshakeEvent handshake) {

    public ClientSignal {
        Objects.requireNonNull(clientId, "clientId");
        int set = (handshake != null ? 1 : 0) + (check != null ? 1 : 0) + (report != null ? 1 : 0);
        if (set != 1) {
            throw new IllegalArgumentException("a client signal carries exactly one event, had " + set);
        }
    }

    @JsonIgnore
    public Instant time() {
        return handshake != null ? handshake.time() : check != null ? check.time() : report.time();
    }
}
