package io.tlswatch.validator.handshake;

import io.tlswatch.common.event.FailureReason;

/** Why a handshake failed, as a reason and the raw message it was read from. */
public record HandshakeFailure(FailureReason reason, String message) {
}
