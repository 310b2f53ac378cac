package io.tlswatch.tlsserver.handshake;

import io.netty.handler.codec.DecoderException;

import javax.net.ssl.SSLException;
import java.util.Optional;

/**
 * Decides whether what the TLS engine just reported about an established connection ends it. RFC 5246 §7.2.1-2
 * and RFC 8446 §6 close the connection after a fatal alert and after close_notify has been answered; Netty's
 * SslHandler answers but leaves the closing to the pipeline, so without this the connection waits for the idle
 * timeout while holding its connection slots. One instance per connection: it reports a reason once.
 */
public final class TlsCloseDecision {

    private boolean established;
    private boolean decided;

    /** The handshake succeeded: from now on the signals below concern an established connection. */
    public void established() {
        established = true;
    }

    /**
     * The handshake failed: when the ClientHello pre-parser ended it with its own alert, that is a close to count
     * (the pre-parser closes the channel itself).
     */
    public Optional<TlsCloseReason> handshakeFailed(Throwable cause) {
        if (cause instanceof ClientHelloRefusedException) {
            return decide(TlsCloseReason.CLIENT_HELLO_ALERT);
        }
        return Optional.empty();
    }

    /**
     * The engine's inbound side closed ({@code SslCloseCompletionEvent}).
     *
     * @param cause null when the client's close_notify was read; else why (the channel went inactive, the
     *              engine failed)
     */
    public Optional<TlsCloseReason> inboundClosed(Throwable cause, boolean channelActive) {
        if (cause == null && channelActive) {
            return decide(TlsCloseReason.CLOSE_NOTIFY);
        }
        return Optional.empty();
    }

    /**
     * An exception reached the handler behind the engine. An {@link SSLException} after the handshake (the JDK
     * engine's bad_record_mac, unexpected_message) means the engine has sent its fatal alert; failures during the
     * handshake are the handshake recorder's, and other errors (a reset) other handlers'.
     */
    public Optional<TlsCloseReason> exception(Throwable cause) {
        if (handles(cause)) {
            return decide(TlsCloseReason.FATAL_ALERT);
        }
        return Optional.empty();
    }

    /** Whether {@code cause} is this decision's to act on (and not to pass on): a TLS failure after the handshake. */
    public boolean handles(Throwable cause) {
        return established && isTlsFailure(cause);
    }

    /**
     * A read has been processed by the engine. The OpenSSL engine reports a record it refused after the handshake
     * only by writing the alert (no exception until something else is read), so the caller asks the engine
     * whether its read side has failed.
     */
    public Optional<TlsCloseReason> readComplete(boolean engineReadFailed) {
        if (established && engineReadFailed) {
            return decide(TlsCloseReason.FATAL_ALERT);
        }
        return Optional.empty();
    }

    /** Whether a read should be followed by asking the engine about its read side: only while it matters. */
    public boolean wantsEngineCheck() {
        return established && !decided;
    }

    private Optional<TlsCloseReason> decide(TlsCloseReason reason) {
        if (decided) {
            return Optional.empty();
        }
        decided = true;
        return Optional.of(reason);
    }

    static boolean isTlsFailure(Throwable cause) {
        if (cause instanceof SSLException) {
            return true;
        }
        return cause instanceof DecoderException && cause.getCause() instanceof SSLException;
    }
}
