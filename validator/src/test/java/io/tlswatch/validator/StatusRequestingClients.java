package io.tlswatch.validator;

import com.nimbusds.jose.jwk.ECKey;
import io.tlswatch.tlsserver.tls.TlsClients;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real TLS clients that ask for the server's OCSP staple (status_request) on a new connection each time and make
 * one license check over it: the JDK's client, and {@code openssl s_client -status}. Each connection answers what
 * it was served (serial, staple) or why it failed; nothing here throws.
 */
final class StatusRequestingClients {

    /** The served leaf: not the first PEM block, since {@code -status} prints the OCSP signer's certificate before. */
    private static final Pattern SERVER_CERTIFICATE = Pattern.compile(
            "Server certificate\\s*(-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----)");
    private static final Pattern OCSP_SERIAL = Pattern.compile("Certificate ID:.*?Serial Number: ([0-9A-Fa-f]+)",
            Pattern.DOTALL);
    private static final Pattern OCSP_ISSUER_KEY_HASH = Pattern.compile("Issuer Key Hash: ([0-9A-Fa-f]+)");
    private static final Pattern OCSP_CERT_STATUS = Pattern.compile("Cert Status: (\\w+)");
    private static final Pattern OCSP_NEXT_UPDATE = Pattern.compile("Next Update: (.+? GMT)");
    private static final Pattern VALID = Pattern.compile("\"code\"\\s*:\\s*\"VALID\"");
    private static final DateTimeFormatter OPENSSL_TIME = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy zzz",
            Locale.ROOT);

    /** What the client was stapled: the response's certificate id and status, as the client read them. */
    record Staple(BigInteger serial, boolean issuerMatches, String status, Instant nextUpdate) {
    }

    /**
     * One connection: {@code served} and {@code staple} (null when none was sent) when the handshake succeeded;
     * {@code failure} names the step and the cause when the handshake or the license check failed.
     */
    record Connection(String client, String phase, Instant startedAt, long startedNanos, long endedNanos,
                      BigInteger served, Staple staple, boolean handshakeFailed, String failure) {
        boolean failed() {
            return failure != null;
        }

        @Override
        public String toString() {
            return client + " [" + phase + "] " + (failure != null ? failure
                    : "serial " + served.toString(16) + (staple == null ? ", no staple" : ", " + staple));
        }
    }

    private final int port;
    private final String validateUrl;
    private final X509Certificate ca;
    private final Path caFile;
    private final TrustManager[] trust;

    /**
     * @param validateUrl the license check's public URL, which DPoP proofs name
     */
    StatusRequestingClients(int port, String validateUrl, X509Certificate ca, Path caFile) throws Exception {
        this.port = port;
        this.validateUrl = validateUrl;
        this.ca = ca;
        this.caFile = caFile;
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", ca);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        this.trust = factory.getTrustManagers();
    }

    /** The JDK client (which sends status_request by default), with a fresh context: never a resumed session. */
    Connection jdk(String client, String phase, String licenseKey, String clientId, ECKey key) {
        Instant startedAt = Instant.now();
        long started = System.nanoTime();
        BigInteger served = null;
        Staple staple = null;
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust, null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                try {
                    socket.startHandshake();
                } catch (Exception e) {
                    return new Connection(client, phase, startedAt, started, System.nanoTime(), null, null, true,
                            "handshake failed: " + e);
                }
                ExtendedSSLSession session = (ExtendedSSLSession) socket.getSession();
                served = ((X509Certificate) session.getPeerCertificates()[0]).getSerialNumber();
                List<byte[]> responses = session.getStatusResponses();
                staple = responses.isEmpty() ? null : parse(responses.get(0));
                OutputStream out = socket.getOutputStream();
                out.write(request(licenseKey, clientId, key));
                out.flush();
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String failure = checkAnswer(answer);
                return new Connection(client, phase, startedAt, started, System.nanoTime(), served, staple, false, failure);
            }
        } catch (Exception e) {
            return new Connection(client, phase, startedAt, started, System.nanoTime(), served, staple, false,
                    "license check failed: " + e);
        }
    }

    /** {@code openssl s_client -status}, verifying the chain and the name, sending the check from a file. */
    Connection openssl(String client, String phase, String licenseKey, String clientId, ECKey key, Path scratch) {
        Instant startedAt = Instant.now();
        long started = System.nanoTime();
        try {
            Files.write(scratch, request(licenseKey, clientId, key));
            Process process = new ProcessBuilder(TlsClients.OPENSSL.toString(), "s_client", "-connect",
                    "127.0.0.1:" + port, "-servername", "localhost", "-status", "-CAfile", caFile.toString(),
                    "-verify_return_error", "-verify_hostname", "localhost", "-ign_eof")
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(scratch.toFile()))
                    .start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Connection(client, phase, startedAt, started, System.nanoTime(), null, null, true,
                        "openssl did not finish");
            }
            Matcher pem = SERVER_CERTIFICATE.matcher(output);
            if (process.exitValue() != 0 || !pem.find() || !output.contains("Verify return code: 0 (ok)")) {
                return new Connection(client, phase, startedAt, started, System.nanoTime(), null, null, true,
                        "handshake failed: openssl exit " + process.exitValue() + ": " + tail(output));
            }
            BigInteger served = ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(pem.group(1).getBytes(StandardCharsets.US_ASCII)))).getSerialNumber();
            Staple staple = output.contains("OCSP response: no response sent") ? null : parseText(output);
            return new Connection(client, phase, startedAt, started, System.nanoTime(), served, staple, false,
                    checkAnswer(output));
        } catch (Exception e) {
            return new Connection(client, phase, startedAt, started, System.nanoTime(), null, null, false,
                    "openssl could not be run: " + e);
        }
    }

    private byte[] request(String licenseKey, String clientId, ECKey key) throws Exception {
        byte[] body = ("{\"licenseKey\":\"" + licenseKey + "\",\"clientId\":\"" + clientId + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        String head = "POST " + java.net.URI.create(validateUrl).getPath() + " HTTP/1.1\r\n"
                + "Host: localhost\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + "DPoP: " + ClientSide.dpopProof(key, validateUrl) + "\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] head8 = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head8.length + body.length];
        System.arraycopy(head8, 0, all, 0, head8.length);
        System.arraycopy(body, 0, all, head8.length, body.length);
        return all;
    }

    /** Null when the license check was answered 200 VALID, else what came instead. */
    private static String checkAnswer(String answer) {
        if (answer.contains("HTTP/1.1 200") && VALID.matcher(answer).find()) {
            return null;
        }
        return "license check not answered 200 VALID: " + tail(answer);
    }

    /** The certificate id and status of a DER OCSP response. */
    Staple parse(byte[] der) throws Exception {
        BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(der).getResponseObject();
        SingleResp single = basic.getResponses()[0];
        CertificateID id = single.getCertID();
        boolean issuer = id.matchesIssuer(new JcaX509CertificateHolder(ca), new JcaDigestCalculatorProviderBuilder()
                .build());
        String status = single.getCertStatus() == CertificateStatus.GOOD ? "good"
                : single.getCertStatus().getClass().getSimpleName();
        return new Staple(id.getSerialNumber(), issuer, status,
                single.getNextUpdate() == null ? null : single.getNextUpdate().toInstant());
    }

    private Staple parseText(String output) throws Exception {
        Matcher serial = OCSP_SERIAL.matcher(output);
        Matcher keyHash = OCSP_ISSUER_KEY_HASH.matcher(output);
        Matcher status = OCSP_CERT_STATUS.matcher(output);
        Matcher next = OCSP_NEXT_UPDATE.matcher(output);
        if (!serial.find() || !keyHash.find() || !status.find()) {
            return new Staple(null, false, "unreadable: " + tail(output), null);
        }
        byte[] expectedKeyHash = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                .get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(ca), BigInteger.ONE).getIssuerKeyHash();
        boolean issuer = HexFormat.of().formatHex(expectedKeyHash).equalsIgnoreCase(keyHash.group(1));
        Instant nextUpdate = next.find()
                ? ZonedDateTime.parse(next.group(1).trim(), OPENSSL_TIME).toInstant() : null;
        return new Staple(new BigInteger(serial.group(1), 16), issuer, status.group(1), nextUpdate);
    }

    private static String tail(String output) {
        String flat = output.replace('\n', ' ').replace('\r', ' ');
        return flat.length() <= 400 ? flat : "..." + flat.substring(flat.length() - 400);
    }
}
