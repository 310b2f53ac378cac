package io.tlswatch.validator.handshake;

import io.tlswatch.validator.tls.FailureClassification;
import io.tlswatch.validator.tls.HandshakeFailure;

/** Reads the reason for a failed handshake; {@link io.tlswatch.validator.tls.HandshakeFailureClassifier} in production. */
@FunctionalInterface
public interface FailureClassifier {

    FailureClassification classify(HandshakeFailure failure);
}
