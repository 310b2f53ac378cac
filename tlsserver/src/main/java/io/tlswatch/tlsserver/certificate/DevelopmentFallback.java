package io.tlswatch.tlsserver.certificate;

import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import io.tlswatch.tlsserver.tls.TlsSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The certificate a listener serves when none is configured: development certificates generated (or reused)
 * in {@code devDirectory}, with their CA as the trust anchor, and the warning that says so. Shared by every
 * TLS listener so that they all start on their defaults alike.
 */
public final class DevelopmentFallback {

    private static final Logger log = LoggerFactory.getLogger(DevelopmentFallback.class);

    private DevelopmentFallback() {
    }

    /**
     * @param devDirectory where development certificates live, or null for {@link DevCertificates#defaultDirectory()}
     * @param devNames     their DNS names besides localhost ({@link DevCertificates#hostNames})
     * @return {@code certificates} unchanged when {@code tls} names a certificate, else pointing at the development one
     */
    public static CertificateSettings apply(CertificateSettings certificates, TlsSettings tls, Path devDirectory,
                                            List<String> devNames, Clock clock) {
        if (tls.certificate() != null) {
            return certificates;
        }
        DevCertificateFiles dev = new DevCertificates(devDirectory == null ? DevCertificates.defaultDirectory()
                : devDirectory, devNames, clock).ensure();
        log.warn(dev.warning());
        CertificateSettings resolved = certificates.withSource(dev.certificateSource());
        return resolved.trustAnchors() == null ? resolved.withTrustAnchors(dev.caCertificate()) : resolved;
    }
}
