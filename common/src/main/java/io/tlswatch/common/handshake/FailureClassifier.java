package io.tlswatch.common.handshake;

import io.tlswatch.common.tlsserver.FailureClassification;
import io.tlswatch.common.tlsserver.HandshakeFailure;

/** Reads the reason for a failed handshake; {@link io.tlswatch.common.tlsserver.HandshakeFailureClassifier} in production. */
@FunctionalInterface
public interface FailureClassifier {

    FailureClassification classify(HandshakeFailure failure);
}
