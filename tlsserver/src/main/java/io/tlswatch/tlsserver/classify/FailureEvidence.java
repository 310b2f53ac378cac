package io.tlswatch.tlsserver.classify;

/**
 * Everything the server knows about a failed handshake: the provider's error and what the connection showed
 * around it.
 *
 * @param error      the failure from Netty's {@code SslHandshakeCompletionEvent} (an {@code SSLHandshakeException},
 *                   {@code NotSslRecordException}, {@code SslHandshakeTimeoutException},
 *                   {@code ClosedChannelException}...); may be {@code null}
 * @param firstBytes what the first bytes received looked like
 * @param timedOut   whether the server's handshake timeout fired
 * @param peerClosed whether the client closed the connection before the handshake ended (the channel went
 *                   inactive before the failure was reported)
 * @param offer      what the ClientHello offered, when one was read; {@code null} otherwise
 * @param clientAlert the description code of an alert the client sent in the clear before the failure (see
 *                    {@link ClientAlertScanner}); {@code null} when none was seen
 */
public record FailureEvidence(Throwable error, OpeningBytes firstBytes, boolean timedOut, boolean peerClosed,
                              ClientOffer offer, Integer clientAlert) {

    public FailureEvidence {
        firstBytes = firstBytes == null ? OpeningBytes.NONE : firstBytes;
    }
}
