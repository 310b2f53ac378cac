package io.tlswatch.tlsserver.handshake;

import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;

import static org.assertj.core.api.Assertions.assertThat;

class TlsCloseDecisionTest {

    private final TlsCloseDecision decision = new TlsCloseDecision();

    @Test
    void theClientsCloseNotifyOnAnOpenChannelEndsTheConnection() {
        // when the engine reports the client's close_notify
        // then
        assertThat(decision.inboundClosed(null, true)).contains(TlsCloseReason.CLOSE_NOTIFY);
    }

    @Test
    void anInboundCloseBecauseTheChannelWentAwayIsNotACloseOfOurs() {
        assertThat(decision.inboundClosed(new ClosedChannelException(), false)).isEmpty();
        assertThat(decision.inboundClosed(null, false)).isEmpty();
    }

    @Test
    void aTlsFailureAfterTheHandshakeEndsTheConnection() {
        // given an established connection
        decision.established();

        // when the engine fails a record (Netty wraps what the engine threw)
        // then
        assertThat(decision.exception(new DecoderException(new SSLException("bad_record_mac"))))
                .contains(TlsCloseReason.FATAL_ALERT);
    }

    @Test
    void aTlsFailureDuringTheHandshakeIsLeftToTheHandshakeRecorder() {
        SSLHandshakeException failure = new SSLHandshakeException("no cipher suites in common");

        assertThat(decision.handles(failure)).isFalse();
        assertThat(decision.exception(failure)).isEmpty();
    }

    @Test
    void otherErrorsAfterTheHandshakeAreNotOurs() {
        decision.established();
        IOException reset = new IOException("Connection reset by peer");

        assertThat(decision.handles(reset)).isFalse();
        assertThat(decision.exception(reset)).isEmpty();
    }

    @Test
    void anEngineWhoseReadSideFailedAfterTheHandshakeEndsTheConnection() {
        decision.established();

        assertThat(decision.readComplete(false)).isEmpty();
        assertThat(decision.readComplete(true)).contains(TlsCloseReason.FATAL_ALERT);
    }

    @Test
    void anEngineReadFailureBeforeTheHandshakeEndedIsLeftToTheEngine() {
        assertThat(decision.wantsEngineCheck()).isFalse();
        assertThat(decision.readComplete(true)).isEmpty();
    }

    @Test
    void theEngineIsAskedOnlyBetweenTheHandshakeAndTheClose() {
        decision.established();
        assertThat(decision.wantsEngineCheck()).isTrue();

        decision.inboundClosed(null, true);

        assertThat(decision.wantsEngineCheck()).isFalse();
    }

    @Test
    void aClientHelloRefusedByThePreParserIsCountedAsItsClose() {
        assertThat(decision.handshakeFailed(new ClientHelloRefusedException("sent unexpected_message")))
                .contains(TlsCloseReason.CLIENT_HELLO_ALERT);
        assertThat(new TlsCloseDecision().handshakeFailed(new SSLHandshakeException("other"))).isEmpty();
    }

    @Test
    void aConnectionIsClosedForOneReasonOnly() {
        // given a connection already closed after a fatal alert
        decision.established();
        assertThat(decision.readComplete(true)).contains(TlsCloseReason.FATAL_ALERT);

        // when the engine then also reports the failure, and the inbound close
        // then nothing more is counted
        assertThat(decision.exception(new SSLException("bad_record_mac"))).isEmpty();
        assertThat(decision.inboundClosed(null, true)).isEmpty();
    }
}
