package io.tlswatch.tlsserver.handshake;

import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.internal.tcnative.SSL;

import javax.net.ssl.SSLEngine;

/**
 * Whether a TLS engine's read side has failed without telling the pipeline. BoringSSL, after refusing a record on
 * an established connection, writes its fatal alert and records the failure as a read shutdown
 * ({@code SSL_get_shutdown} reports {@code SSL_RECEIVED_SHUTDOWN} for a fatal alert as for close_notify); Netty's
 * OpenSSL engine then returns normally and keeps the error until something else arrives. The JDK engine throws
 * instead, so it never needs asking.
 */
public final class EngineReadState {

    private EngineReadState() {
    }

    /** True when {@code engine} is an OpenSSL engine whose read side has shut down while its inbound is not done. */
    public static boolean readFailed(SSLEngine engine) {
        if (!(engine instanceof ReferenceCountedOpenSslEngine openSsl) || openSsl.isInboundDone()) {
            // A close_notify read by the engine marks inbound done and is reported as SslCloseCompletionEvent.
            return false;
        }
        // The engine frees its SSL under its own lock; holding it keeps the pointer valid for the call.
        synchronized (openSsl) {
            long ssl = openSsl.sslPointer();
            return ssl != 0 && (SSL.getShutdown(ssl) & SSL.SSL_RECEIVED_SHUTDOWN) != 0;
        }
    }
}
