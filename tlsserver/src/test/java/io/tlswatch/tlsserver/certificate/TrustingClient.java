package io.tlswatch.tlsserver.certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

/**
 * A JDK TLS client trusting one CA. Each {@link #connect} uses a fresh context, so a new connection never resumes
 * an earlier session and always sees the certificate served now.
 */
final class TrustingClient {

    private final X509Certificate ca;

    TrustingClient(X509Certificate ca) {
        this.ca = ca;
    }

    Connection connect(int port) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return new Connection(socket);
    }

    /** The serial a new connection is served. */
    BigInteger servedSerial(int port) throws Exception {
        try (Connection connection = connect(port)) {
            connection.roundTrip("ping");
            return connection.serial();
        }
    }

    static final class Connection implements AutoCloseable {
        private final SSLSocket socket;

        Connection(SSLSocket socket) {
            this.socket = socket;
        }

        BigInteger serial() throws Exception {
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }

        /** The OCSP responses the server stapled, as the JDK's client (which asks by default) received them. */
        java.util.List<byte[]> statusResponses() {
            return ((javax.net.ssl.ExtendedSSLSession) socket.getSession()).getStatusResponses();
        }

        /** Sends a message over this very connection and reads the echo. */
        String roundTrip(String message) throws IOException {
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] echo = in.readNBytes(bytes.length);
            return new String(echo, StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
