package io.tlswatch.tlsserver.classify;

import io.tlswatch.contract.event.FailureReason;

import java.util.Objects;

/**
 * Why a handshake failed, and the provider's raw text for a person ({@code failureMessage} of the handshake event).
 */
public record FailureVerdict(FailureReason reason, String message) {

    public FailureVerdict {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }
}
