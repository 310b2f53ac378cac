package io.tlswatch.launcher.outage;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.tlswatch.client.identity.Installation;
import io.tlswatch.client.report.ReportSigner;
import io.tlswatch.contract.serde.Json;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * One installation checking its license over one kept-alive HTTPS connection, from a loopback address of its own
 * (so the streams job can tie the handshakes of that address to it), with a fresh DPoP proof (RFC 9449) per
 * request. A plain HTTP/1.1 client on a JDK {@link SSLSocket}: the JDK's HttpClient cannot choose its source
 * address on Java 17, and this also times exactly the request and its answer, not the proof's signing.
 */
final class KeepAliveLicenseClient implements AutoCloseable {

    /** One check: the validator's {@code code} and how long the answer took, in microseconds. */
    record Answer(int status, String code, long micros) {
    }

    private final SSLContext tls;
    private final InetAddress local;
    private final int port;
    private final String htu;
    private final String licenseKey;
    private final String clientId;
    private final ECKey key;
    private SSLSocket socket;
    private InputStream in;
    private OutputStream out;

    KeepAliveLicenseClient(SSLContext tls, InetAddress local, int port, String publicUrl, String licenseKey)
            throws JOSEException {
        this.tls = tls;
        this.local = local;
        this.port = port;
        this.htu = publicUrl + "/v1/licenses/validate";
        this.licenseKey = licenseKey;
        this.clientId = "inst-" + UUID.randomUUID();
        this.key = new ECKeyGenerator(Curve.P_256).generate();
    }

    String clientId() {
        return clientId;
    }

    InetAddress address() {
        return local;
    }

    /**
     * The {@value ReportSigner#HEADER} value for a report body, as the client SDK signs it: with the same key as
     * this installation's DPoP proofs, which is what ties its reports to its checks.
     */
    String signReport(byte[] body) {
        return new ReportSigner(new Installation(clientId, key)).sign(body);
    }

    /** Checks the license once on the kept-alive connection (opened on first use, or again if the server closed it). */
    synchronized Answer check() throws IOException, JOSEException {
        byte[] body = ("{\"licenseKey\":\"" + licenseKey + "\",\"clientId\":\"" + clientId + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST /v1/licenses/validate HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nDPoP: " + proof() + "\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        if (socket == null || socket.isClosed()) {
            connect();
        }
        long started = System.nanoTime();
        out.write(head);
        out.write(body);
        out.flush();
        int status = readStatus();
        int length = -1;
        boolean close = false;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close = true;
            }
        }
        if (length < 0) {
            throw new IOException("the validator's answer has no Content-Length");
        }
        byte[] answer = in.readNBytes(length);
        long micros = (System.nanoTime() - started) / 1_000;
        if (close) {
            close();
        }
        JsonNode json = Json.reader().readTree(answer);
        return new Answer(status, json.path("code").asText("(none)"), micros);
    }

    private void connect() throws IOException {
        socket = (SSLSocket) tls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port, local, 0);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName("localhost")));
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    private String proof() throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(key.toPublicJWK()).build(),
                new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString()).claim("htm", "POST")
                        .claim("htu", htu).issueTime(new Date()).build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private int readStatus() throws IOException {
        String line = readLine();
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP status line: " + line);
        }
        return Integer.parseInt(parts[1]);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the validator closed the connection mid-answer");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public synchronized void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
    }
}
