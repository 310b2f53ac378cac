package io.tlswatch.streams.attribution;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.LicenseCheckEvent;

/**
 * One input event on its way to the attribution step, keyed by remote address (the internal topic
 * {@code by-address}). Exactly one field is set.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AddressSignal(HandshakeEvent handshake, LicenseCheckEvent check, ClientReportEvent report) {

    public AddressSignal {
        int set = (handshake != null ? 1 : 0) + (check != null ? 1 : 0) + (report != null ? 1 : 0);
        if (set != 1) {
            throw new IllegalArgumentException("an address signal carries exactly one event, had " + set);
        }
    }

    public static AddressSignal of(HandshakeEvent e) {
        return new AddressSignal(e, null, null);
    }

    public static AddressSignal of(LicenseCheckEvent e) {
        return new AddressSignal(null, e, null);
    }

    public static AddressSignal of(ClientReportEvent e) {
        return new AddressSignal(null, null, e);
    }

    @JsonIgnore
    public Event event() {
        return handshake != null ? handshake : check != null ? check : report;
    }

    @JsonIgnore
    public String address() {
        return handshake != null ? handshake.remoteAddress()
                : check != null ? check.remoteAddress() : report.remoteAddress();
    }
}
