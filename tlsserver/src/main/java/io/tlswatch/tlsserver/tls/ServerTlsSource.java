package io.tlswatch.tlsserver.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;

import java.util.Objects;

/**
 * Where a server takes the TLS context for each new connection. A fixed context never changes; the certificate
 * manager ({@code io.tlswatch.tlsserver.certificate.CertificateManager}) swaps in a new one when the certificate is
 * rotated, and adds the current OCSP staple to each handler. Connections already open keep the handler, and so
 * the context, they were created with.
 */
public interface ServerTlsSource {

    /** The context new connections get now. */
    ServerTlsContext current();

    /** A TLS handler for one new connection, from the current context (and with its current OCSP staple). */
    default SslHandler newHandler(ByteBufAllocator alloc) {
        return current().sslContext().newHandler(alloc);
    }

    /** A source that always gives the same context. */
    static ServerTlsSource fixed(ServerTlsContext context) {
        Objects.requireNonNull(context, "context");
        return () -> context;
    }
}
