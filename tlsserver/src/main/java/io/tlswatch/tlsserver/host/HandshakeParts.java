package io.tlswatch.tlsserver.host;

import io.tlswatch.contract.publish.EventSink;
import io.tlswatch.tlsserver.clienthello.ClientHelloParser;
import io.tlswatch.tlsserver.classify.FailureClassifier;
import io.tlswatch.tlsserver.handshake.HandshakeEventFactory;
import io.tlswatch.tlsserver.handshake.HandshakeMetrics;
import io.tlswatch.tlsserver.tls.ServerTlsSource;

/**
 * What a TLS listener adds in front of HTTP: the certificate's current context, the ClientHello capture and the
 * handshake's outcome recorded as an event and in meters.
 *
 * @param sink where handshake events go
 */
public record HandshakeParts(ServerTlsSource source, ClientHelloParser parser, HandshakeEventFactory events,
                             FailureClassifier classifier, HandshakeMetrics metrics, EventSink sink) {
}
