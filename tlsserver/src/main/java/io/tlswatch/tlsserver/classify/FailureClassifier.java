package io.tlswatch.tlsserver.classify;

/** Reads the reason for a failed handshake; {@link io.tlswatch.tlsserver.classify.ProviderFailureClassifier} in production. */
@FunctionalInterface
public interface FailureClassifier {

    FailureVerdict classify(FailureEvidence failure);
}
