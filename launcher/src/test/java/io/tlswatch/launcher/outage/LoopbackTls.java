package io.tlswatch.launcher.outage;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;

/** TLS clients from chosen loopback addresses (Linux accepts any source address in 127.0.0.0/8). */
final class LoopbackTls {

    /**
     * TLS 1.2 CBC suites with SHA-2 MACs only: an old stack, with which the validator (Mozilla intermediate)
     * shares no suite. The same client as the demo fleet's {@code tls1.2-cbc} installations.
     */
    private static final String[] CBC_SUITES = {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"};

    private LoopbackTls() {
    }

    /** {@code 127.0.0.<last>}. */
    static InetAddress address(int last) {
        try {
            return InetAddress.getByAddress(new byte[]{127, 0, 0, (byte) last});
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A context that trusts exactly the given CA. */
    static SSLContext trusting(Path caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry("dev-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /**
     * A handshake from {@code local} offering only TLS 1.2 CBC suites, which the server refuses. In this JVM, not
     * a child process: it costs about as much as a license check, so it does not itself become the load whose
     * effect on the validator's latency the test measures (a child JVM per handshake would, on two cores).
     *
     * @return true when the handshake failed as it should; false if the server accepted it
     */
    static boolean oldStackHandshakeFails(SSLContext context, InetAddress local, int port) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), port, local, 0)) {
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName("localhost")));
            parameters.setProtocols(new String[]{"TLSv1.2"});
            parameters.setCipherSuites(CBC_SUITES);
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return false;
        } catch (SSLException e) {
            return true;
        }
    }
}
