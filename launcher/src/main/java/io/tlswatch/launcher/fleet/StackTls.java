package io.tlswatch.launcher.fleet;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

/** The TLS of each simulated stack: protocols, suites, trust, clock. */
final class StackTls {

    /**
     * TLS 1.2 CBC suites with SHA-2 MACs: what an old stack has, and what neither the license server (Mozilla
     * intermediate) nor the collector's broad profile (which has the SHA-1 CBC suites only) accepts. So such a
     * client's reports reach the collector over plain HTTP: a CBC suite the collector did accept would make a
     * completed TLS 1.2 handshake there, which the posture job counts as a modern handshake (docs/demo.md).
     */
    static final List<String> CBC_SUITES = List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384");

    private StackTls() {
    }

    static List<String> protocols(Stack stack) {
        return switch (stack) {
            case TLS12_ONLY, TLS12_CBC -> List.of("TLSv1.2");
            case LEGACY_TLS10 -> List.of("TLSv1.1", "TLSv1");
            default -> List.of("TLSv1.3", "TLSv1.2");
        };
    }

    static List<String> cipherSuites(Stack stack) {
        return stack == Stack.TLS12_CBC ? CBC_SUITES : List.of();
    }

    /**
     * The context for a stack, connecting from {@code local} (null: wherever the system picks): trusting {@code currentCa}, or {@code oldCa} for
     * an old trust store; checking certificate dates by {@code clock} (the runtime checks them by the system
     * clock, so a simulated wrong clock needs this to fail the way a real one does).
     */
    static SSLContext context(Stack stack, Path currentCa, Path oldCa, Clock clock, InetAddress local) {
        try {
            X509ExtendedTrustManager trust = trustManager(stack == Stack.OLD_TRUST_STORE ? oldCa : currentCa);
            if (stack == Stack.CLOCK_OFF) {
                trust = new DatedTrustManager(trust, clock);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[]{trust}, null);
            return local == null ? context : BoundSslContext.bound(context, local);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS context of " + stack, e);
        }
    }

    private static X509ExtendedTrustManager trustManager(Path pem) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return Arrays.stream(factory.getTrustManagers()).filter(X509ExtendedTrustManager.class::isInstance)
                .map(X509ExtendedTrustManager.class::cast).findFirst().orElseThrow();
    }

    /** Checks the server's chain's dates by the installation's own clock before the usual checks. */
    private static final class DatedTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private final Clock clock;

        DatedTrustManager(X509ExtendedTrustManager delegate, Clock clock) {
            this.delegate = delegate;
            this.clock = clock;
        }

        private void dates(X509Certificate[] chain) throws CertificateException {
            Date now = Date.from(clock.instant());
            for (X509Certificate certificate : chain) {
                certificate.checkValidity(now);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            dates(chain);
            delegate.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            dates(chain);
            delegate.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            dates(chain);
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + literal, e);
        }
    }
}
