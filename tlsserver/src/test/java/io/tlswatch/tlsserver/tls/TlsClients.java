package io.tlswatch.tlsserver.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real TLS clients for tests: the openssl and curl binaries, the JDK, and raw sockets. */
public final class TlsClients {

    public static final Path OPENSSL = Path.of("/usr/bin/openssl");
    public static final Path CURL = Path.of("/usr/bin/curl");

    private TlsClients() {
    }

    public record Result(int exitCode, String output) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    public static boolean opensslPresent() {
        return Files.isExecutable(OPENSSL);
    }

    public static boolean curlPresent() {
        return Files.isExecutable(CURL);
    }

    /** {@code openssl s_client} against the port with the given options; stdin is empty, so it quits after. */
    public static Result openssl(int port, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(OPENSSL.toString(), "s_client", "-connect",
                "127.0.0.1:" + port, "-servername", "localhost"));
        command.addAll(List.of(options));
        return run(command);
    }

    public static Result curl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CURL.toString(), "--silent", "--show-error",
                "--max-time", "10"));
        command.addAll(List.of(arguments));
        return run(command);
    }

    public static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        byte[] output;
        try (InputStream in = process.getInputStream()) {
            output = in.readAllBytes();
        }
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("client did not finish: " + command);
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /** A JDK client handshake; returns the client's failure, or null when the handshake succeeded. */
    public static Exception jdk(int port, SSLContext context, String... protocols) {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            if (protocols.length > 0) {
                socket.setEnabledProtocols(protocols);
            }
            socket.startHandshake();
            // In TLS 1.3 a server's verdict on the client certificate arrives after the client's handshake ends.
            socket.getOutputStream().write(new byte[]{'x'});
            socket.getOutputStream().flush();
            socket.getInputStream().read();
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    /**
     * {@link OldJavaClient} in a child JVM with TLS 1.0 and 1.1 taken out of {@code jdk.tls.disabledAlgorithms},
     * since this JVM must keep its own security properties.
     */
    public static Result oldJava(int port, String protocol, Path workDirectory) throws IOException, InterruptedException {
        Path properties = workDirectory.resolve("old-java.security");
        Files.writeString(properties, "jdk.tls.disabledAlgorithms=SSLv3, RC4, DES, MD5withRSA, DH keySize < 1024, "
                + "EC keySize < 224, 3DES_EDE_CBC, anon, NULL\n");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return run(List.of(java.toString(), "-Djava.security.properties=" + properties,
                "-cp", System.getProperty("java.class.path"), OldJavaClient.class.getName(),
                String.valueOf(port), protocol));
    }

    /** Connects and closes at once, sending nothing. */
    public static void connectAndClose(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        }
    }

    /** Connects and stays silent until the server gives up; returns when the server closed. */
    public static void connectAndWait(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(15_000);
            while (socket.getInputStream().read() >= 0) {
                // drain until the server closes
            }
        }
    }

    /** Sends raw bytes and closes at once. */
    public static void sendAndClose(int port, byte[] bytes) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        }
    }

    /** Sends raw bytes, then waits for the server to close. */
    public static void send(int port, byte[] bytes) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            socket.setSoTimeout(5_000);
            try {
                while (socket.getInputStream().read() >= 0) {
                    // drain until the server closes
                }
            } catch (IOException e) {
                // a reset after the server's alert is fine
            }
        }
    }
}
