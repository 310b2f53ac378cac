package io.tlswatch.tlsserver.certificate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real OCSP responder on loopback, built with BouncyCastle: answers {@code POST application/ocsp-request} with
 * responses signed by the CA (or a delegated responder), with each serial's status as the test sets it.
 */
public final class TestOcspResponder implements AutoCloseable {

    public enum Status { GOOD, REVOKED, UNKNOWN }

    private final int port;
    private final KeyPair signerKeys;
    private final X509Certificate signer;
    private final Map<BigInteger, Status> statuses = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Duration lifetime = Duration.ofMinutes(10);
    private volatile boolean down;
    private volatile HttpServer server;

    private TestOcspResponder(int port, KeyPair signerKeys, X509Certificate signer) {
        this.port = port;
        this.signerKeys = signerKeys;
        this.signer = signer;
    }

    /** Signed by the CA itself. */
    public static TestOcspResponder start(RotationPki pki) throws IOException {
        return start(pki.caKeys, pki.ca);
    }

    static TestOcspResponder start(KeyPair signerKeys, X509Certificate signer) throws IOException {
        HttpServer server = listen(0);
        TestOcspResponder responder = new TestOcspResponder(server.getAddress().getPort(), signerKeys, signer);
        responder.serve(server);
        return responder;
    }

    private static HttpServer listen(int port) throws IOException {
        return HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    }

    private void serve(HttpServer listening) {
        listening.createContext("/", this::handle);
        listening.start();
        server = listening;
    }

    /** A port that is free now, for a PKI whose certificates must name the responder before it runs. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port + "/ocsp");
    }

    /**
     * Stops listening, as a responder that crashed: connections are refused (unlike {@link #down}, which answers
     * 503) until {@link #restart}. The statuses set so far are kept.
     */
    public void stop() {
        HttpServer listening = server;
        if (listening != null) {
            server = null;
            listening.stop(0);
        }
    }

    /** Listens again on the same port, the one the certificates name, after {@link #stop}. */
    public void restart() throws IOException {
        if (server == null) {
            serve(listen(port));
        }
    }

    public void set(BigInteger serial, Status status) {
        statuses.put(serial, status);
    }

    /** How long each response is valid: {@code nextUpdate} is this long after {@code thisUpdate}. */
    public void lifetime(Duration value) {
        lifetime = value;
    }

    /** While down, every request is answered by closing the connection, as a dead responder behind a proxy. */
    public void down(boolean value) {
        down = value;
    }

    public int requests() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            if (down) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())
                    || !"application/ocsp-request".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            byte[] response = respond(new OCSPReq(body));
            exchange.getResponseHeaders().set("Content-Type", "application/ocsp-response");
            exchange.sendResponseHeaders(200, response.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response);
            }
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private byte[] respond(OCSPReq request) throws Exception {
        Instant now = Instant.now();
        return respond(request.getRequestList()[0].getCertID(), now.minusSeconds(1), now.minusSeconds(1).plus(lifetime));
    }

    byte[] respond(CertificateID id, Instant thisUpdate, Instant nextUpdate) throws Exception {
        Status status = statuses.getOrDefault(id.getSerialNumber(), Status.UNKNOWN);
        CertificateStatus certificateStatus = switch (status) {
            case GOOD -> CertificateStatus.GOOD;
            case REVOKED -> new RevokedStatus(Date.from(thisUpdate.minusSeconds(60)), CRLReason.keyCompromise);
            case UNKNOWN -> new UnknownStatus();
        };
        return build(signerKeys, signer, id, certificateStatus, thisUpdate, nextUpdate);
    }

    /** A signed response about {@code id}, for tests of the checker. */
    static byte[] build(KeyPair signerKeys, X509Certificate signer, CertificateID id, CertificateStatus status,
                        Instant thisUpdate, Instant nextUpdate) throws Exception {
        X509CertificateHolder holder = new JcaX509CertificateHolder(signer);
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(holder.getSubject()));
        builder.addResponse(id, status, Date.from(thisUpdate), nextUpdate == null ? null : Date.from(nextUpdate), null);
        BasicOCSPResp basic = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signerKeys.getPrivate()),
                new X509CertificateHolder[]{holder}, Date.from(Instant.now()));
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    }

    static CertificateID idOf(X509Certificate leaf, X509Certificate issuer) throws Exception {
        return new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(issuer), leaf.getSerialNumber());
    }

    static byte[] unsuccessful(int status) throws Exception {
        return new OCSPRespBuilder().build(status, null).getEncoded();
    }

    @Override
    public void close() {
        stop();
    }
}
