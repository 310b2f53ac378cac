/**
 * TLS building blocks of the validator (and of the collector's TLS listener): {@link
 * io.tlswatch.tlsserver.tls.TlsSettings} with the Mozilla intermediate default, {@link
 * io.tlswatch.tlsserver.tls.TlsPolicy} that refuses insecure settings at start-up, {@link
 * io.tlswatch.tlsserver.tls.ServerSslContextFactory} that builds a Netty server context on the OpenSSL or JDK
 * provider, and {@link io.tlswatch.tlsserver.tls.DevCertificates} for a server started without a certificate.
 * Why a handshake failed is told by {@link io.tlswatch.tlsserver.classify}. See {@code docs/tls.md}.
 */
package io.tlswatch.tlsserver.tls;
