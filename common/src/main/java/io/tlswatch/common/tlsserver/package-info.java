/**
 * TLS building blocks of the validator (and of the collector's TLS listener): {@link
 * io.tlswatch.common.tlsserver.TlsSettings} with the Mozilla intermediate default, {@link
 * io.tlswatch.common.tlsserver.TlsPolicy} that refuses insecure settings at start-up, {@link
 * io.tlswatch.common.tlsserver.ServerSslContextFactory} that builds a Netty server context on the OpenSSL or JDK
 * provider, {@link io.tlswatch.common.tlsserver.DevCertificates} for a server started without a certificate, and
 * {@link io.tlswatch.common.tlsserver.HandshakeFailureClassifier} with {@link
 * io.tlswatch.common.tlsserver.ClientAlertScanner} to tell why a handshake failed. See {@code docs/tls.md}.
 */
package io.tlswatch.common.tlsserver;
