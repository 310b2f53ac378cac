/**
 * Why a TLS handshake failed, as the {@code failureReason} of its handshake event: {@link
 * io.tlswatch.tlsserver.classify.ProviderFailureClassifier} reads the {@link
 * io.tlswatch.tlsserver.classify.FailureEvidence} the pipeline gathered (the provider's error, the {@link
 * io.tlswatch.tlsserver.classify.OpeningBytes}, the client's {@link io.tlswatch.tlsserver.classify.ClientOffer}
 * and an alert found by {@link io.tlswatch.tlsserver.classify.ClientAlertScanner}) into a {@link
 * io.tlswatch.tlsserver.classify.FailureVerdict}, the same way for the JDK and OpenSSL providers. See
 * {@code docs/tls.md}.
 */
package io.tlswatch.tlsserver.classify;
