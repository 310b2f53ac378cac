package io.tlswatch.client.report;

import io.tlswatch.tlsserver.tls.TestPki;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A real JDK TLS server on 127.0.0.1 for the classification tests: one certificate, chosen protocols and suites,
 * answering every request with a 200. Misconfigure it and a client meets exactly that misconfiguration.
 */
final class TlsTestServer implements AutoCloseable {

    private final ServerSocket socket;
    private final Thread acceptor;
    private final boolean silent;

    private TlsTestServer(ServerSocket socket, boolean silent) {
        this.socket = socket;
        this.silent = silent;
        this.acceptor = new Thread(this::acceptLoop, "test-tls-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** TLS with {@code leaf} (issued by {@code ca}) and only the given protocols (and suites, if any). */
    static TlsTestServer tls(TestPki.Issued leaf, TestPki.Issued ca, List<String> protocols, List<String> suites)
            throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", leaf.keys().getPrivate(), "pw".toCharArray(),
                new X509Certificate[]{leaf.certificate(), ca.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "pw".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setEnabledProtocols(protocols.toArray(new String[0]));
        if (!suites.isEmpty()) {
            server.setEnabledCipherSuites(suites.toArray(new String[0]));
        }
        return new TlsTestServer(server, false);
    }

    /** Plain TCP that accepts and answers plain HTTP: a TLS client meets a server that does not speak TLS. */
    static TlsTestServer plain() throws IOException {
        return new TlsTestServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), false);
    }

    /** Accepts connections and never says a word. */
    static TlsTestServer silent() throws IOException {
        return new TlsTestServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), true);
    }

    int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                Thread handler = new Thread(() -> serve(connection), "test-tls-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (Socket c = connection) {
            c.setSoTimeout(10_000);
            if (c instanceof SSLSocket) {
                ((SSLSocket) c).startHandshake();
            }
            InputStream in = c.getInputStream();
            byte[] buffer = new byte[4096];
            if (silent) {
                while (in.read(buffer) >= 0) {
                    // say nothing until the client gives up
                }
                return;
            }
            if (in.read(buffer) < 0) {
                return;
            }
            OutputStream out = c.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // the failure under test is the client's
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
