package io.tlswatch.tlsserver.tls;

import io.netty.handler.ssl.SslContext;
import io.tlswatch.contract.event.TlsProvider;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A server {@link SslContext} ready for {@code newHandler(alloc)}, with what it was built from: the provider
 * (log it and tag metrics with it), what it enables (for the failure classifier) and the certificate chain it
 * presents (for certificate events).
 */
public record ServerTlsContext(
        SslContext sslContext,
        TlsProvider provider,
        EnabledTls enabled,
        List<X509Certificate> certificateChain,
        TlsSettings.ClientAuthMode clientAuth) {

    public ServerTlsContext {
        Objects.requireNonNull(sslContext, "sslContext");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(enabled, "enabled");
        certificateChain = List.copyOf(certificateChain);
        Objects.requireNonNull(clientAuth, "clientAuth");
    }
}
