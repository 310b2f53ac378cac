package io.tlswatch.tlsserver.handshake;

import io.tlswatch.tlsserver.tls.FailureClassification;
import io.tlswatch.tlsserver.tls.HandshakeFailure;

/** Reads the reason for a failed handshake; {@link io.tlswatch.tlsserver.tls.HandshakeFailureClassifier} in production. */
@FunctionalInterface
public interface FailureClassifier {

    FailureClassification classify(HandshakeFailure failure);
}
