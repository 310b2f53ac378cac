package io.tlswatch.tlsserver.classify;

/** Reads the reason for a failed handshake; {@link ProviderFailureClassifier} in production. */
@FunctionalInterface
public interface FailureClassifier {

    FailureVerdict classify(FailureEvidence failure);
}
