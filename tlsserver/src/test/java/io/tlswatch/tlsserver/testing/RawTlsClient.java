package io.tlswatch.tlsserver.testing;

import io.tlswatch.tlsserver.classify.TlsAlertNames;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TLS client on the JDK's {@link SSLEngine} over a plain socket, so that a test controls every byte it sends:
 * a record with one byte flipped, a close_notify on its own, a record of a type the server must refuse, a
 * ClientHello cut into records with something in between. It reads what the server answers until the server
 * closes the TCP connection, decrypting an alert when the handshake is done, parsing it when it is not.
 */
public final class RawTlsClient implements Closeable {

    /** A TLS record of type application_data, version TLS 1.2 (what TLS 1.3 records say too), zero length. */
    public static final byte[] EMPTY_APPLICATION_DATA = {23, 3, 3, 0, 0};
    /**
     * A heartbeat request (RFC 6520: type 1, payload length 3, payload, 16 bytes of padding) in a record of type
     * heartbeat (24), as a client that still speaks heartbeat sends it; not encrypted, which a server that
     * refuses the record type never gets far enough to notice.
     */
    public static final byte[] HEARTBEAT_REQUEST;

    private static final Pattern RECEIVED_ALERT = Pattern.compile("Received fatal alert: ([a-z_]+)");
    private static final int READ_TIMEOUT_MILLIS = 5_000;

    static {
        byte[] message = new byte[1 + 2 + 3 + 16];
        message[0] = 1;
        message[2] = 3;
        message[3] = 'a';
        message[4] = 'b';
        message[5] = 'c';
        HEARTBEAT_REQUEST = record(24, message);
    }

    private final Socket socket;
    private final SSLEngine engine;
    private ByteBuffer received = ByteBuffer.allocate(0);

    private RawTlsClient(Socket socket, SSLEngine engine) {
        this.socket = socket;
        this.engine = engine;
    }

    /** Connects to 127.0.0.1:{@code port} and completes a handshake limited to {@code protocol} (TLSv1.3...). */
    public static RawTlsClient handshake(SSLContext trust, int port, String protocol) throws IOException {
        RawTlsClient client = new RawTlsClient(connect(port), engine(trust, protocol));
        client.completeHandshake();
        return client;
    }

    /** The ClientHello the JDK sends for {@code protocol}, as the record(s) it writes: a real client's first flight. */
    public static byte[] clientHelloRecords(SSLContext trust, String protocol) throws IOException {
        SSLEngine engine = engine(trust, protocol);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), out);
        return Arrays.copyOf(out.array(), out.position());
    }

    /**
     * A real ClientHello ({@code records}, one record as the JDK writes it) grown to a handshake body of
     * {@code size} bytes the way a conformance suite grows one: more cipher suites (unassigned code points) and a
     * padding extension (RFC 7685) filling the extensions block, then cut into records of 2^14 bytes as any TLS
     * stack fragments a handshake message.
     */
    public static byte[] grownClientHello(byte[] records, int size) {
        ByteBuffer hello = ByteBuffer.wrap(records, 9, records.length - 9);
        byte[] version = {records[1], records[2]};
        byte[] head = new byte[2 + 32];
        hello.get(head);
        byte[] sessionId = new byte[hello.get() & 0xFF];
        hello.get(sessionId);
        byte[] suites = new byte[hello.getShort() & 0xFFFF];
        hello.get(suites);
        byte[] compression = new byte[hello.get() & 0xFF];
        hello.get(compression);
        byte[] extensions = new byte[hello.getShort() & 0xFFFF];
        hello.get(extensions);
        int current = head.length + 1 + sessionId.length + 2 + suites.length + 1 + compression.length + 2
                + extensions.length;
        int growth = size - current;
        int padding = Math.min(growth - 4, 0xFFFF - extensions.length - 4);
        int moreSuites = growth - 4 - padding;
        if (moreSuites % 2 != 0) {
            padding--;
            moreSuites++;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(head);
        body.write(sessionId.length);
        body.writeBytes(sessionId);
        u16(body, suites.length + moreSuites);
        body.writeBytes(suites);
        for (int i = 0; i < moreSuites / 2; i++) {
            u16(body, 0x6000 + i);
        }
        body.write(compression.length);
        body.writeBytes(compression);
        u16(body, extensions.length + 4 + padding);
        body.writeBytes(extensions);
        u16(body, 21);
        u16(body, padding);
        body.writeBytes(new byte[padding]);
        byte[] message = new byte[4 + body.size()];
        message[0] = 1;
        message[1] = (byte) (body.size() >>> 16);
        message[2] = (byte) (body.size() >>> 8);
        message[3] = (byte) body.size();
        System.arraycopy(body.toByteArray(), 0, message, 4, body.size());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int offset = 0; offset < message.length; offset += 16_384) {
            byte[] fragment = Arrays.copyOfRange(message, offset, Math.min(message.length, offset + 16_384));
            byte[] record = record(22, fragment);
            record[1] = version[0];
            record[2] = version[1];
            out.writeBytes(record);
        }
        return out.toByteArray();
    }

    /**
     * {@code records} (one record holding a ClientHello) with the list inside its signature_algorithms extension
     * announcing one byte more than the extension holds: an odd length that overruns, as conformance suites
     * malform it.
     */
    public static byte[] malformedSignatureAlgorithms(byte[] records) {
        byte[] copy = records.clone();
        int p = 9 + 2 + 32;
        p += 1 + (copy[p] & 0xFF);
        p += 2 + u16At(copy, p);
        p += 1 + (copy[p] & 0xFF);
        int end = p + 2 + u16At(copy, p);
        for (p += 2; p < end; p += 4 + u16At(copy, p + 2)) {
            if (u16At(copy, p) == 0x000d) {
                int announced = u16At(copy, p + 4) + 1;
                copy[p + 4] = (byte) (announced >>> 8);
                copy[p + 5] = (byte) announced;
                return copy;
            }
        }
        throw new IllegalArgumentException("no signature_algorithms extension");
    }

    private static int u16At(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }

    private static void u16(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8);
        out.write(value);
    }

    /** A TCP connection to 127.0.0.1:{@code port} for sending raw bytes. */
    public static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        return socket;
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    public String protocol() {
        return engine.getSession().getProtocol();
    }

    /** One application_data record carrying {@code plaintext}, encrypted by this connection, not sent. */
    public byte[] applicationRecord(byte[] plaintext) throws SSLException {
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        SSLEngineResult result = engine.wrap(ByteBuffer.wrap(plaintext), out);
        if (result.getStatus() != SSLEngineResult.Status.OK) {
            throw new SSLException("wrap: " + result);
        }
        return Arrays.copyOf(out.array(), out.position());
    }

    /** Sends bytes as they are. */
    public void send(byte[] raw) throws IOException {
        socket.getOutputStream().write(raw);
        socket.getOutputStream().flush();
    }

    /** Asks to renegotiate (TLS 1.2): a new ClientHello, encrypted under the connection's keys, and nothing else. */
    public void sendRenegotiation() throws IOException {
        engine.beginHandshake();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        send(Arrays.copyOf(out.array(), out.position()));
    }

    /** Sends close_notify (and nothing else). */
    public void sendCloseNotify() throws IOException {
        engine.closeOutbound();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (!engine.isOutboundDone()) {
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.wrap(ByteBuffer.allocate(0), out);
            bytes.write(out.array(), 0, out.position());
        }
        send(bytes.toByteArray());
    }

    /**
     * Reads, decrypting, until the server closes the TCP connection: what it said last (a fatal alert's name,
     * {@code close_notify}, or null for nothing) and how long after the call the connection ended. Fails with
     * {@link SocketTimeoutException} when the server keeps the connection open.
     */
    public Ending readUntilClosed() throws IOException {
        long started = System.nanoTime();
        String said = null;
        boolean failed = false;
        byte[] buffer = new byte[16_384];
        InputStream in = socket.getInputStream();
        for (int n; (n = readOrReset(in, buffer)) >= 0; ) {
            if (failed) {
                continue;
            }
            append(buffer, n);
            try {
                String got = unwrapAvailable();
                said = got != null ? got : said;
            } catch (SSLException e) {
                said = alertIn(e);
                failed = true;
            }
        }
        return new Ending(said, Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Reads from a connection whose handshake never completed until the server closes it: the first alert it
     * sent in the clear (null for none) and how long that took. Fails with {@link SocketTimeoutException} when
     * the server keeps the connection open.
     */
    public static Ending readPlainUntilClosed(Socket socket) throws IOException {
        long started = System.nanoTime();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = readOrReset(socket.getInputStream(), buffer)) >= 0; ) {
            all.write(buffer, 0, n);
        }
        byte[] bytes = all.toByteArray();
        String alert = null;
        // The first record, if it is an alert: level, then description.
        if (bytes.length >= 7 && bytes[0] == 21) {
            alert = TlsAlertNames.name(bytes[6] & 0xFF);
        }
        return new Ending(alert, Duration.ofNanos(System.nanoTime() - started));
    }

    /** A TLS record of {@code type} carrying {@code body}, version TLS 1.2. */
    public static byte[] record(int type, byte[] body) {
        byte[] record = new byte[5 + body.length];
        record[0] = (byte) type;
        record[1] = 3;
        record[2] = 3;
        record[3] = (byte) (body.length >>> 8);
        record[4] = (byte) body.length;
        System.arraycopy(body, 0, record, 5, body.length);
        return record;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** How a connection ended: what the server said last and when it closed. */
    public record Ending(String alert, Duration untilClosed) {
    }

    private static int readOrReset(InputStream in, byte[] buffer) throws IOException {
        try {
            return in.read(buffer);
        } catch (SocketTimeoutException stillOpen) {
            throw stillOpen;
        } catch (SocketException reset) {
            // A reset after the server's last bytes: closed all the same.
            return -1;
        }
    }

    private static SSLEngine engine(SSLContext trust, String protocol) {
        SSLEngine engine = trust.createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName("localhost")));
        parameters.setProtocols(new String[]{protocol});
        engine.setSSLParameters(parameters);
        return engine;
    }

    private void completeHandshake() throws IOException {
        engine.beginHandshake();
        byte[] buffer = new byte[16_384];
        for (;;) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> {
                    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
                    engine.wrap(ByteBuffer.allocate(0), out);
                    send(Arrays.copyOf(out.array(), out.position()));
                }
                case NEED_TASK -> {
                    for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                        task.run();
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    ByteBuffer plain = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
                    SSLEngineResult result = engine.unwrap(received, plain);
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        int n = socket.getInputStream().read(buffer);
                        if (n < 0) {
                            throw new SSLException("closed during the handshake");
                        }
                        append(buffer, n);
                    }
                }
                default -> {
                    return;
                }
            }
        }
    }

    /** Unwraps every complete record received; returns close_notify when the server sent it. */
    private String unwrapAvailable() throws SSLException {
        String said = null;
        while (received.hasRemaining()) {
            ByteBuffer plain = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
            SSLEngineResult result = engine.unwrap(received, plain);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                said = "close_notify";
            }
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                    || result.getStatus() == SSLEngineResult.Status.CLOSED
                    || result.bytesConsumed() == 0) {
                break;
            }
        }
        return said;
    }

    private void append(byte[] bytes, int n) {
        ByteBuffer grown = ByteBuffer.allocate(received.remaining() + n);
        grown.put(received).put(bytes, 0, n).flip();
        received = grown;
    }

    private static String alertIn(SSLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            Matcher m = RECEIVED_ALERT.matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                return m.group(1);
            }
        }
        return "unreadable: " + e.getMessage();
    }
}
