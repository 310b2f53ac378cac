package io.tlswatch.tlsserver.tls;

import io.tlswatch.contract.event.FailureReason;

import java.util.Objects;

/**
 * Why a handshake failed, and the provider's raw text for a person ({@code failureMessage} of the handshake event).
 */
public record FailureClassification(FailureReason reason, String message) {

    public FailureClassification {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }
}
