package io.tlswatch.launcher.outage;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** TLS clients from chosen loopback addresses (Linux accepts any source address in 127.0.0.0/8). */
final class LoopbackTls {

    /**
     * TLS 1.2 with ECDHE CBC suites with SHA-1 MACs only: an old stack, with which the validator (Mozilla
     * intermediate) shares no suite, while the collector's HTTPS listener (its broad profile) takes it, so that
     * such an installation reports over HTTPS with the same ClientHello its failed checks carry, and the posture
     * job learns that JA4 at its address (docs/posture.md, "Attribution"). Not the demo fleet's {@code tls1.2-cbc}
     * (SHA-2 MACs), which the collector refuses too and which therefore reports over plain HTTP.
     */
    static final List<String> OLD_STACK_PROTOCOLS = List.of("TLSv1.2");
    static final List<String> OLD_STACK_SUITES = List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA");

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
     * A handshake from {@code local} with the old stack, which the validator refuses. In this JVM, not a child
     * process: it costs about as much as a license check, so it does not itself become the load whose effect on
     * the validator's latency the test measures (a child JVM per handshake would, on two cores).
     *
     * @return how the handshake failed, as it should; empty if the server accepted it
     */
    static Optional<SSLException> oldStackHandshakeFailure(SSLContext context, InetAddress local, int port)
            throws IOException {
        try (SSLSocket socket = oldStack(context, local, port)) {
            socket.startHandshake();
            return Optional.empty();
        } catch (SSLException e) {
            return Optional.of(e);
        }
    }

    /**
     * One HTTP/1.1 POST from {@code local} with the old stack, on a connection of its own, closed after the answer.
     * With a context that has no session to resume at that port, its ClientHello is the one
     * {@link #oldStackHandshakeFailure} sends (those never complete, so they never resume).
     *
     * @return the answer's status code
     */
    static int oldStackPost(SSLContext context, InetAddress local, int port, String path, Map<String, String> headers,
                            byte[] body) throws IOException {
        try (SSLSocket socket = oldStack(context, local, port)) {
            StringBuilder head = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            String[] status = answer.split(" ", 3);
            if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP answer: " + answer);
            }
            return Integer.parseInt(status[1]);
        }
    }

    /** A socket from {@code local} with the old stack's parameters, its handshake not started yet. */
    private static SSLSocket oldStack(SSLContext context, InetAddress local, int port) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), port, local, 0);
        socket.setSoTimeout(10_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName("localhost")));
        parameters.setProtocols(OLD_STACK_PROTOCOLS.toArray(String[]::new));
        parameters.setCipherSuites(OLD_STACK_SUITES.toArray(String[]::new));
        socket.setSSLParameters(parameters);
        return socket;
    }
}
