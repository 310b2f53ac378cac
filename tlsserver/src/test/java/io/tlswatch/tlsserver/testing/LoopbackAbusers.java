package io.tlswatch.tlsserver.testing;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Sockets to a listener on 127.0.0.1 from a chosen loopback address (Linux routes all of 127/8 to lo), so that
 * each abuser counts as its own client. With a trust context, requests go over TLS ({@code localhost} as SNI).
 * Failures are answers here: an abuser's connection may be cut.
 */
public final class LoopbackAbusers {

    private final SSLContext trust;
    private final int port;

    private LoopbackAbusers(SSLContext trust, int port) {
        this.trust = trust;
        this.port = port;
    }

    public static LoopbackAbusers plain(int port) {
        return new LoopbackAbusers(null, port);
    }

    public static LoopbackAbusers tls(SSLContext trust, int port) {
        return new LoopbackAbusers(trust, port);
    }

    /** A TCP connection, never TLS: for abusers that send nothing, or not TLS. */
    public Socket tcp(String from) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** A connection that speaks the listener's protocol: TLS after the handshake, or plain TCP. */
    public Socket open(String from) throws IOException {
        Socket plain = tcp(from);
        if (trust == null) {
            return plain;
        }
        SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket(plain, "localhost", port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName("localhost")));
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    /** Sends {@code request} and returns all that came back until the server closed, or why it failed. */
    public String exchange(String from, String request) {
        try (Socket socket = open(from)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return readUntilClosed(socket);
        } catch (IOException e) {
            return "failed: " + e;
        }
    }

    /** The first bytes of a request head to {@code path}, then nothing: a slow-loris client. */
    public String slowHead(String from, String path) {
        return exchange(from, "POST " + path + " HTTP/1.1\r\nHost: loc");
    }

    /** A TCP connection that never sends a byte; returns what came back until the server closed it. */
    public String silent(String from) {
        try (Socket socket = tcp(from)) {
            return readUntilClosed(socket);
        } catch (IOException e) {
            return "failed: " + e;
        }
    }

    /** Opens {@code count} connections at once from one address; returns how many the server closed at once. */
    public int flood(String from, int count) {
        List<Socket> sockets = new ArrayList<>();
        int closedAtOnce = 0;
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(tcp(from));
            }
            for (Socket socket : sockets) {
                socket.setSoTimeout(200);
                try {
                    if (socket.getInputStream().read() < 0) {
                        closedAtOnce++;
                    }
                } catch (SocketTimeoutException stillOpen) {
                    // taken in: it waits for its handshake or idle timeout
                } catch (SocketException reset) {
                    closedAtOnce++;
                }
            }
            return closedAtOnce;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            for (Socket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing an abuser's socket
                }
            }
        }
    }

    public static String readUntilClosed(Socket socket) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                received.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // reset: closed all the same
        }
        return received.toString(StandardCharsets.UTF_8);
    }
}
