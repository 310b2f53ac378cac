package io.tlswatch.tlsserver.certificate;

import io.tlswatch.tlsserver.tls.CertificateSource;
import io.tlswatch.tlsserver.tls.KeyMaterialLoader;
import io.tlswatch.tlsserver.tls.ServerKeyMaterial;
import io.tlswatch.tlsserver.tls.ServerSslContextFactory;
import io.tlswatch.tlsserver.tls.ServerTlsContext;
import io.tlswatch.tlsserver.tls.TlsConfigurationException;
import io.tlswatch.tlsserver.tls.TlsSettings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Files;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads key and chain from their files, checks them, and builds the context that would serve them. The context
 * is built from exactly the material that was checked, so a file changing in between cannot slip through.
 * Blocking (files, key generation in the provider): never call it on an event loop.
 */
public final class CertificateLoader {

    private final TlsSettings tls;
    private final CertificateSource source;
    private final KeyMaterialLoader keys;
    private final MaterialValidator validator;
    private final ServerSslContextFactory factory;
    private final boolean ocspStapling;
    private final Clock clock;

    /**
     * @param tls          the listener's settings (protocols, suites, provider); its certificate is not read
     * @param ocspStapling whether contexts are built able to staple OCSP responses
     */
    public CertificateLoader(TlsSettings tls, CertificateSource source, KeyMaterialLoader keys,
                             MaterialValidator validator, ServerSslContextFactory factory, boolean ocspStapling,
                             Clock clock) {
        this.tls = Objects.requireNonNull(tls, "tls");
        this.source = Objects.requireNonNull(source, "source");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.ocspStapling = ocspStapling;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The loader a server needs for these settings: trust anchors read from {@code tls.trustAnchors}, contexts able
     * to staple when OCSP is enabled.
     *
     * @param tls the listener's settings; their certificate is ignored in favour of {@code settings.source()}
     * @throws TlsConfigurationException naming {@code tls.trustAnchors} when that file is unusable
     */
    public static CertificateLoader create(CertificateSettings settings, TlsSettings tls, ServerSslContextFactory factory,
                                           KeyMaterialLoader keys, Clock clock) {
        Objects.requireNonNull(settings.source(), "settings.source()");
        List<X509Certificate> anchors = settings.trustAnchors() == null ? List.of() : readAnchors(settings.trustAnchors());
        return new CertificateLoader(tls, settings.source(), keys,
                new MaterialValidator(anchors, settings.minValidityAhead()), factory, settings.ocsp().enabled(), clock);
    }

    private static List<X509Certificate> readAnchors(Path file) {
        String key = CertificateSettings.KEY_TRUST_ANCHORS;
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> anchors = new ArrayList<>();
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                anchors.add((X509Certificate) certificate);
            }
            if (anchors.isEmpty()) {
                throw new TlsConfigurationException(key + " " + file + " holds no PEM certificate");
            }
            return anchors;
        } catch (NoSuchFileException e) {
            throw new TlsConfigurationException(key + " " + file + " does not exist");
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsConfigurationException(key + " " + file + " holds no readable PEM certificate: " + e.getMessage());
        }
    }

    /**
     * For a rotation: anything wrong, including a leaf outside its validity window, refuses the candidate.
     */
    public CertificateCandidate load() {
        return load(true);
    }

    /**
     * At start-up, where refusing would leave nothing to serve: a leaf outside its validity window is still
     * served (with the reason as a warning); anything else wrong is refused.
     */
    public CertificateCandidate loadInitial() {
        return load(false);
    }

    public MaterialValidator validator() {
        return validator;
    }

    private CertificateCandidate load(boolean strictValidity) {
        ServerKeyMaterial material;
        try {
            material = keys.load(source);
        } catch (TlsConfigurationException e) {
            return new CertificateCandidate.Refused(e.getMessage(), readableLeaf().orElse(null));
        } catch (RuntimeException e) {
            // Whatever a damaged file makes a parser throw, it is still a refusal, never the end of watching.
            return new CertificateCandidate.Refused(TlsSettings.KEY_CERTIFICATE + " cannot be read: " + e, readableLeaf().orElse(null));
        }
        var now = clock.instant();
        Optional<String> chain = validator.chainRefusal(material, now);
        if (chain.isPresent()) {
            return new CertificateCandidate.Refused(chain.get(), material.leaf());
        }
        Optional<String> validity = validator.validityRefusal(material.leaf(), now);
        if (validity.isPresent() && strictValidity) {
            return new CertificateCandidate.Refused(validity.get(), material.leaf());
        }
        ServerTlsContext context;
        try {
            context = factory.create(tls, material, ocspStapling);
        } catch (TlsConfigurationException e) {
            return new CertificateCandidate.Refused(e.getMessage(), material.leaf());
        } catch (RuntimeException e) {
            return new CertificateCandidate.Refused("the TLS provider refused the certificate: " + e, material.leaf());
        }
        return new CertificateCandidate.Accepted(context, material, validity.orElse(null));
    }

    /** The first certificate of a PEM chain file, for naming a candidate whose key could not be used. */
    private Optional<X509Certificate> readableLeaf() {
        if (!(source instanceof CertificateSource.PemFiles pem)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(pem.certificateChain())) {
            Iterator<? extends Certificate> certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(in).iterator();
            return certificates.hasNext() ? Optional.of((X509Certificate) certificates.next()) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
