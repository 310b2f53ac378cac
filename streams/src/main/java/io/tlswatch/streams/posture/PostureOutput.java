package io.tlswatch.streams.posture;

import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.ClientPosture;

/**
 * What the posture step sends on: an alert, or a posture row ({@code null} row: the client is forgotten, a
 * tombstone). Lives only between two processors of one task; never serialised.
 */
public record PostureOutput(ClientPosture row, AlertEvent alert) {

    public static PostureOutput row(ClientPosture row) {
        return new PostureOutput(row, null);
    }

    public static PostureOutput alert(AlertEvent alert) {
        return new PostureOutput(null, alert);
    }

    public boolean isAlert() {
        return alert != null;
    }
}
