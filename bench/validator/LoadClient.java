import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.HdrHistogram.Histogram;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * A closed-loop HTTP/1.1 keep-alive load client for bench/validator-vs-nginx.sh: K connections, one thread each,
 * each sending its next request as soon as the previous answer has been read in full. Measures throughput and
 * latency percentiles (HdrHistogram) from the moment every connection has finished its TLS handshake.
 *
 * <p>With {@code --dpop}, every request carries its own DPoP proof (RFC 9449, ES256, a unique {@code jti}, one key
 * per connection), all signed before the clock starts, so that the client's signing does not compete with the
 * server for the CPU while it is measured. The proofs carry the time they were made as {@code iat}: a run must end
 * within the server's window ({@code dpop.iatWindow}, 60 s) of that moment, which the client checks.
 *
 * <p>Run with the launcher's classpath (Nimbus and HdrHistogram):
 * {@code java -cp 'launcher/target/tlswatch.jar:launcher/target/lib/*' bench/validator/LoadClient.java --url ...}.
 * Prints one line {@code RESULT key=value ...} on standard output; everything else goes to standard error.
 */
public final class LoadClient {

    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

    public static void main(String[] args) {
        try {
            run(Options.parse(args));
        } catch (Exception e) {
            System.err.println("LoadClient: " + e);
            System.exit(1);
        }
    }

    private static void run(Options o) throws Exception {
        SSLContext tls = tls(o.ca);
        List<List<byte[]>> requests = requests(o);
        Instant proofsMadeAt = Instant.now();

        List<SSLSocket> sockets = new ArrayList<>();
        for (int i = 0; i < o.connections; i++) {
            sockets.add(connect(tls, o.url));
        }
        Histogram[] histograms = new Histogram[o.connections];
        int[] done = new int[o.connections];
        AtomicInteger errors = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        AtomicReference<byte[]> sample = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(o.connections);
        CountDownLatch go = new CountDownLatch(1);
        long[] finishedAt = new long[o.connections];
        long[] startedAt = new long[1];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < o.connections; c++) {
            int id = c;
            Thread thread = new Thread(() -> {
                Histogram h = new Histogram(60_000_000_000L, 3);
                histograms[id] = h;
                SSLSocket socket = sockets.get(id);
                List<byte[]> mine = requests.get(id);
                try {
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                    OutputStream out = socket.getOutputStream();
                    ready.countDown();
                    go.await();
                    long deadline = startedAt[0] + (long) (o.seconds * 1e9);
                    int n = 0;
                    while (System.nanoTime() < deadline && (o.cycle || n < mine.size())) {
                        byte[] request = mine.get(n % mine.size());
                        long begin = System.nanoTime();
                        out.write(request);
                        out.flush();
                        Response response = Response.read(in);
                        h.recordValue(System.nanoTime() - begin);
                        n++;
                        String problem = response.problem(o.expect);
                        if (problem != null) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, problem);
                        } else if (sample.get() == null) {
                            sample.compareAndSet(null, response.body);
                        }
                        if (response.closes) {
                            firstError.compareAndSet(null, "the server closed the keep-alive connection");
                            break;
                        }
                    }
                    done[id] = n;
                } catch (IOException e) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, "connection " + id + ": " + e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    finishedAt[id] = System.nanoTime();
                }
            }, "load-" + c);
            // Daemons: a failure of the main thread must end the run, not leave the connections waiting.
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        ready.await();
        long cpuBefore = cpuTicks(o.cpuPids);
        long brokerBefore = cpuTicks(o.brokerPids);
        startedAt[0] = System.nanoTime();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long cpuAfter = cpuTicks(o.cpuPids);
        long brokerAfter = cpuTicks(o.brokerPids);
        long end = 0;
        for (long f : finishedAt) {
            end = Math.max(end, f);
        }
        for (SSLSocket s : sockets) {
            s.close();
        }
        double seconds = (end - startedAt[0]) / 1e9;
        Histogram all = new Histogram(60_000_000_000L, 3);
        long total = 0;
        for (int c = 0; c < o.connections; c++) {
            if (histograms[c] != null) {
                all.add(histograms[c]);
            }
            total += done[c];
        }
        if (o.dpop != null) {
            long age = java.time.Duration.between(proofsMadeAt, Instant.now()).toSeconds();
            if (age > 55) {
                System.err.printf("warning: the last proofs were used %d s after they were made; the server's "
                        + "iat window may have refused some (see errors)%n", age);
            }
        }
        if (firstError.get() != null) {
            System.err.println("first error: " + firstError.get());
        }
        if (o.sampleOut != null && sample.get() != null) {
            Files.write(o.sampleOut, sample.get());
        }
        // CPU per request of the server's and the Kafka broker's processes (all threads), as the kernel counts it.
        double serverCpuMs = (cpuAfter - cpuBefore) * 1000.0 / o.clockTicks;
        double brokerCpuMs = (brokerAfter - brokerBefore) * 1000.0 / o.clockTicks;
        System.out.printf(Locale.ROOT, "RESULT requests=%d errors=%d seconds=%.3f rps=%.1f p50_us=%d p90_us=%d "
                        + "p99_us=%d p999_us=%d max_us=%d connections=%d server_cpu_ms=%.0f server_cpu_us_per_req=%.1f "
                        + "broker_cpu_us_per_req=%.1f%n",
                total, errors.get(), seconds, total / seconds,
                all.getValueAtPercentile(50) / 1000, all.getValueAtPercentile(90) / 1000,
                all.getValueAtPercentile(99) / 1000, all.getValueAtPercentile(99.9) / 1000,
                all.getMaxValue() / 1000, o.connections, serverCpuMs, total == 0 ? 0 : serverCpuMs * 1000 / total,
                total == 0 ? 0 : brokerCpuMs * 1000 / total);
    }

    /** utime + stime of the processes (all their threads), in clock ticks; 0 without pids. */
    private static long cpuTicks(List<Long> pids) throws IOException {
        long ticks = 0;
        for (long pid : pids) {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
        return ticks;
    }

    /** Per connection: one request reused (no proofs), or one request per proof. */
    private static List<List<byte[]>> requests(Options o) throws Exception {
        List<List<byte[]>> perConnection = new ArrayList<>();
        int perConn = o.dpop == null ? 1 : (o.maxRequests + o.connections - 1) / o.connections;
        long begin = System.nanoTime();
        for (int c = 0; c < o.connections; c++) {
            String clientId = "bench-" + c + "-" + UUID.randomUUID().toString().substring(0, 8);
            byte[] body = ("{\"licenseKey\":\"" + o.licenseKey + "\",\"clientId\":\"" + clientId + "\","
                    + "\"sdk\":{\"name\":\"tlswatch-bench\",\"version\":\"1\"}}").getBytes(StandardCharsets.UTF_8);
            if (o.dpop == null) {
                perConnection.add(List.of(request(o.url, body, null)));
                continue;
            }
            ECKey key = new ECKeyGenerator(Curve.P_256).generate();
            ECDSASigner signer = new ECDSASigner(key);
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                    .jwk(key.toPublicJWK()).build();
            byte[][] made = new byte[perConn][];
            IntStream.range(0, perConn).parallel().forEach(i -> made[i] = request(o.url, body, proof(header, signer, o.dpop)));
            perConnection.add(List.of(made));
        }
        if (o.dpop != null) {
            System.err.printf(Locale.ROOT, "made %d DPoP proofs in %.1f s%n", perConn * o.connections,
                    (System.nanoTime() - begin) / 1e9);
        }
        return perConnection;
    }

    private static String proof(JWSHeader header, ECDSASigner signer, URI htu) {
        SignedJWT jwt = new SignedJWT(header, new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
                .claim("htm", "POST").claim("htu", htu.toString()).issueTime(new Date()).build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static byte[] request(URI url, byte[] body, String proof) {
        StringBuilder head = new StringBuilder()
                .append("POST ").append(url.getRawPath()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(url.getHost()).append(':').append(url.getPort()).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n");
        if (proof != null) {
            head.append("DPoP: ").append(proof).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    private static SSLSocket connect(SSLContext tls, URI url) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(url.getHost())));
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setProtocols(new String[]{"TLSv1.3"});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    private static SSLContext tls(Path ca) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(ca)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** One HTTP/1.1 response, read to the end of its Content-Length body. */
    private record Response(int status, byte[] body, boolean closes) {

        static Response read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream(512);
            int matched = 0;
            while (matched < HEAD_END.length) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("the server closed the connection before a full response head");
                }
                head.write(b);
                matched = b == HEAD_END[matched] ? matched + 1 : (b == HEAD_END[0] ? 1 : 0);
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
            }
            String length = headers.get("content-length");
            if (length == null) {
                throw new IOException("response without Content-Length: " + lines[0]);
            }
            byte[] body = in.readNBytes(Integer.parseInt(length));
            return new Response(status, body, "close".equalsIgnoreCase(headers.get("connection")));
        }

        /** Null when the response is what the run expects. */
        String problem(String expect) {
            if (status != 200) {
                return "HTTP " + status + ": " + new String(body, StandardCharsets.UTF_8);
            }
            if (expect != null && !new String(body, StandardCharsets.UTF_8).contains(expect)) {
                return "the answer lacks " + expect + ": " + new String(body, StandardCharsets.UTF_8);
            }
            return null;
        }
    }

    private record Options(URI url, Path ca, String licenseKey, int connections, double seconds, URI dpop,
                           int maxRequests, boolean cycle, String expect, Path sampleOut, List<Long> cpuPids,
                           List<Long> brokerPids, int clockTicks) {

        static Options parse(String[] args) {
            Map<String, String> m = new HashMap<>();
            for (String a : args) {
                if (!a.startsWith("--") || !a.contains("=")) {
                    throw usage("not --key=value: " + a);
                }
                m.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            }
            for (String required : List.of("url", "ca")) {
                if (!m.containsKey(required)) {
                    throw usage("--" + required + " is required");
                }
            }
            return new Options(URI.create(m.get("url")), Path.of(m.get("ca")), m.getOrDefault("license", "none"),
                    Integer.parseInt(m.getOrDefault("connections", "8")),
                    Double.parseDouble(m.getOrDefault("seconds", "10")),
                    m.containsKey("dpop-htu") ? URI.create(m.get("dpop-htu")) : null,
                    Integer.parseInt(m.getOrDefault("max-requests", "30000")),
                    // Without proofs the one request repeats; with proofs only when asked (a server that
                    // ignores them, such as the nginx reference).
                    !m.containsKey("dpop-htu") || Boolean.parseBoolean(m.getOrDefault("cycle", "false")),
                    m.get("expect"), m.containsKey("sample-out") ? Path.of(m.get("sample-out")) : null,
                    pids(m.get("cpu-pids")), pids(m.get("broker-pids")),
                    Integer.parseInt(m.getOrDefault("clock-ticks", "100")));
        }

        private static List<Long> pids(String list) {
            return list == null || list.isBlank() ? List.of()
                    : java.util.Arrays.stream(list.split(",")).map(Long::parseLong).toList();
        }

        private static IllegalArgumentException usage(String problem) {
            return new IllegalArgumentException(problem + "\nusage: LoadClient --url=https://host:port/path --ca=CA.pem "
                    + "[--license=KEY] [--connections=8] [--seconds=10] [--dpop-htu=URL --max-requests=30000 [--cycle=true]] "
                    + "[--expect=TEXT] [--sample-out=FILE] [--cpu-pids=PID,... [--broker-pids=PID,...] --clock-ticks=100]");
        }
    }
}
