package io.tlswatch.streams.fingerprint;

import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.FingerprintPosture;

/**
 * What the fingerprint step sends on: an alert, or a row ({@code null}: the fingerprint is forgotten).
 * Lives only between two processors of one task; never serialised.
 */
public record FingerprintOutput(FingerprintPosture row, AlertEvent alert) {

    public boolean isAlert() {
        return alert != null;
    }
}
