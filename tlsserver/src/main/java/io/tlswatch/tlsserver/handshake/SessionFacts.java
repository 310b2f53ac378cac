package io.tlswatch.tlsserver.handshake;

import io.tlswatch.contract.event.ClientCertificate;
import io.tlswatch.contract.event.NegotiatedTls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;

/** Reads what a completed handshake negotiated from its session, the same way for both providers. */
public final class SessionFacts {

    private SessionFacts() {
    }

    /**
     * @param alpn    the protocol ALPN settled on, or null
     * @param started when this connection's handshake began: a session created before it was resumed
     */
    public static NegotiatedTls negotiated(SSLEngine engine, String alpn, Instant started) {
        return negotiated(engine, alpn, started, peerCertificate(engine));
    }

    /** As {@link #negotiated(SSLEngine, String, Instant)}, with the client's certificate already read. */
    public static NegotiatedTls negotiated(SSLEngine engine, String alpn, Instant started,
                                           X509Certificate clientCertificate) {
        SSLSession session = engine.getSession();
        // Neither provider exposes "resumed" through SSLSession; a session older than this handshake can
        // only have come from the session cache or a ticket.
        boolean resumed = session.getCreationTime() < started.toEpochMilli();
        // The negotiated group is not exposed through SSLSession by either provider in Netty 4.2: left out.
        return new NegotiatedTls(session.getProtocol(), session.getCipherSuite(), null,
                alpn == null || alpn.isEmpty() ? null : alpn, resumed, clientCertificate(clientCertificate));
    }

    /**
     * The client's certificate, or null. Asked of the session only when the engine requested one: without a
     * client certificate the session answers with an exception, which is not free on every connection.
     */
    public static X509Certificate peerCertificate(SSLEngine engine) {
        if (!engine.getNeedClientAuth() && !engine.getWantClientAuth()) {
            return null;
        }
        try {
            Certificate[] chain = engine.getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? leaf : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    static ClientCertificate clientCertificate(X509Certificate leaf) {
        if (leaf == null) {
            return null;
        }
        try {
            String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded()));
            return new ClientCertificate(leaf.getSubjectX500Principal().getName(), sha256,
                    leaf.getNotAfter().toInstant());
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            return null;
        }
    }
}
