package io.tlswatch.client.http;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * The TLS the SDK speaks: an {@link SSLContext} (the JDK's trust, or exactly the CAs of a PEM file), optionally
 * restricted to some protocols and cipher suites, always with HTTPS host name verification inside the handshake
 * (so a wrong name is an {@code SSLHandshakeException} like every other TLS failure). Also what the failure
 * reports say about this stack.
 */
public final class ClientTls {

    private final SSLContext context;
    private final List<String> protocols;
    private final List<String> cipherSuites;
    private final SSLSocketFactory socketFactory;

    private ClientTls(SSLContext context, List<String> protocols, List<String> cipherSuites) {
        this.context = context;
        SSLParameters defaults = context.getDefaultSSLParameters();
        this.protocols = protocols.isEmpty() ? unmodifiable(Arrays.asList(defaults.getProtocols())) : unmodifiable(protocols);
        this.cipherSuites = cipherSuites.isEmpty() ? unmodifiable(Arrays.asList(defaults.getCipherSuites()))
                : unmodifiable(cipherSuites);
        this.socketFactory = new ConfiguredFactory(context.getSocketFactory());
    }

    /**
     * @param trustedCas   a PEM file of the CA certificates to trust instead of the JDK's, or {@code null}
     * @param protocols    the protocols to enable, empty for the runtime's defaults
     * @param cipherSuites the suites to enable, empty for the runtime's defaults
     */
    public static ClientTls create(Path trustedCas, List<String> protocols, List<String> cipherSuites)
            throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustedCas == null ? null : trustManagers(trustedCas), null);
        return new ClientTls(context, protocols, cipherSuites);
    }

    /** An SSL context the application built itself (its own key managers, provider...). */
    public static ClientTls of(SSLContext context, List<String> protocols, List<String> cipherSuites) {
        return new ClientTls(context, protocols, cipherSuites);
    }

    private static javax.net.ssl.TrustManager[] trustManagers(Path pem) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pem)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + pem);
        }
        int i = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    public SSLSocketFactory socketFactory() {
        return socketFactory;
    }

    /** The enabled protocols as configured (what this client offers, before the runtime's own disabling). */
    public List<String> protocols() {
        return protocols;
    }

    public List<String> cipherSuites() {
        return cipherSuites;
    }

    /** The JSSE provider, e.g. {@code SunJSSE}. */
    public String providerName() {
        return context.getProvider().getName();
    }

    public String providerVersion() {
        Provider provider = context.getProvider();
        try {
            // Java 9+ has the version as written ("17"); Java 8 only as a double ("1.8").
            return (String) Provider.class.getMethod("getVersionStr").invoke(provider);
        } catch (ReflectiveOperationException | ClassCastException e) {
            return String.valueOf(provider.getVersion());
        }
    }

    private static List<String> unmodifiable(List<String> values) {
        return Collections.unmodifiableList(new ArrayList<>(values));
    }

    private static String[] supportedOnly(String[] wanted, String[] supported) {
        List<String> known = Arrays.asList(supported);
        List<String> kept = new ArrayList<>();
        for (String name : wanted) {
            if (known.contains(name)) {
                kept.add(name);
            }
        }
        // Enabling nothing would fail with a less telling error than the handshake's own.
        return kept.isEmpty() ? wanted : kept.toArray(new String[0]);
    }

    /** Configures every socket it makes: protocols, suites and host name verification. */
    private final class ConfiguredFactory extends SSLSocketFactory {
        private final SSLSocketFactory delegate;

        ConfiguredFactory(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        private Socket configure(Socket socket) {
            if (socket instanceof SSLSocket) {
                SSLSocket ssl = (SSLSocket) socket;
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setProtocols(supportedOnly(protocols.toArray(new String[0]), ssl.getSupportedProtocols()));
                parameters.setCipherSuites(supportedOnly(cipherSuites.toArray(new String[0]),
                        ssl.getSupportedCipherSuites()));
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(parameters);
            }
            return socket;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return cipherSuites.toArray(new String[0]);
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return configure(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return configure(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return configure(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return configure(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return configure(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return configure(delegate.createSocket(address, port, localAddress, localPort));
        }
    }

    @Override
    public String toString() {
        return "ClientTls[" + providerName() + ", " + protocols + ", " + cipherSuites.size() + " suites]";
    }

}
