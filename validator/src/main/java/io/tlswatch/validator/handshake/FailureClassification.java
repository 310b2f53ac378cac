package io.tlswatch.validator.handshake;

/** Reads the reason for a failed handshake from what the TLS engine reported. */
@FunctionalInterface
public interface FailureClassification {

    HandshakeFailure classify(Throwable cause);
}
