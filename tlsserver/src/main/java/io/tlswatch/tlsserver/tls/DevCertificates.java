package io.tlswatch.tlsserver.tls;

import org.bouncycastle.operator.OperatorCreationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A development CA and a server certificate it signed, for a server started without a configured certificate.
 *
 * <p>Both keys are ECDSA P-256. The server certificate names {@code localhost}, {@code 127.0.0.1}, {@code ::1}
 * and the host's name, and lives {@value #SERVER_VALIDITY_DAYS} days. The CA is limited by a critical name
 * constraint to exactly those names, so that a developer who trusts {@code ca.pem} trusts it for nothing else,
 * even if its key (which sits in a temporary directory) leaks. Files are PEM, keys readable by the owner only
 * where the file system has POSIX permissions. Existing files are reused while valid: the server certificate is
 * renewed {@value #RENEW_BEFORE_DAYS} days before it expires, under the same CA, so clients keep trusting it; the
 * CA is renewed when it would expire before a new server certificate.
 *
 * <p>Several servers may share one directory (the validator and the collector in docker-compose.yml): they must
 * then be given the same names ({@code tls.devCertificateNames}), or each would replace the other's CA, and
 * {@link #ensure()} holds a lock on {@value #LOCK_FILE} in the directory while it reads and writes, so that two
 * starting at once do not interleave their files.
 */
public final class DevCertificates {

    static final int SERVER_VALIDITY_DAYS = 30;
    static final int RENEW_BEFORE_DAYS = 7;
    static final int CA_VALIDITY_DAYS = 365;

    static final String CA_FILE = "ca.pem";
    static final String CA_KEY_FILE = "ca-key.pem";
    static final String SERVER_FILE = "server.pem";
    static final String SERVER_KEY_FILE = "server-key.pem";
    static final String LOCK_FILE = ".lock";
    /** The configuration key (validator, collector) that names the certificate's DNS names besides localhost. */
    public static final String KEY_NAMES = "tls.devCertificateNames";

    private static final Logger log = LoggerFactory.getLogger(DevCertificates.class);

    private final DevCertificateDirectory directory;
    private final List<String> hostNames;
    private final Clock clock;
    private final DevCertificateIssuer issuer = new DevCertificateIssuer();

    /**
     * @param directory where the files live; created owner-only when missing, refused when another user owns it
     * @param hostNames extra DNS names for the server certificate besides {@code localhost} (e.g. the host name)
     */
    public DevCertificates(Path directory, List<String> hostNames, Clock clock) {
        this.directory = new DevCertificateDirectory(directory);
        this.hostNames = List.copyOf(hostNames);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@code <java.io.tmpdir>/tlswatch-dev-certs-<user>}: outside any repository, one per user. */
    public static Path defaultDirectory() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "tlswatch-dev-certs-" + user);
    }

    /** This host's name, or nothing when it cannot be determined (the certificate then names localhost only). */
    public static List<String> localHostNames() {
        return DevCertificateNames.localHostNames();
    }

    /**
     * The DNS names a server's development certificate gets besides {@code localhost}: {@code configured} (the
     * value of {@value #KEY_NAMES}) when set, else {@link #localHostNames()}.
     *
     * @throws IllegalArgumentException naming the first entry that is not a DNS host name (letters, digits and
     *                                  hyphens in dot-separated labels; no IP address, no wildcard)
     */
    public static List<String> hostNames(Optional<List<String>> configured) {
        return DevCertificateNames.hostNames(configured);
    }

    /**
     * Returns usable files, generating or renewing what is missing, invalid or about to expire.
     *
     * @throws TlsConfigurationException when the directory cannot be used
     */
    public DevCertificateFiles ensure() {
        try {
            directory.prepare();
            // Within this JVM a monitor, across processes (containers sharing a volume) the file lock: a JVM
            // may hold only one lock on a file, and two servers of one process may start at once.
            synchronized (DevCertificates.class) {
                try (FileChannel lock = FileChannel.open(directory.path().resolve(LOCK_FILE),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = lock.lock()) {
                    return ensureLocked();
                }
            }
        } catch (IOException e) {
            throw new TlsConfigurationException("cannot write development certificates to " + directory.path()
                    + ": " + e.getMessage(), e);
        }
    }

    private DevCertificateFiles ensureLocked() {
        try {
            Instant now = clock.instant();
            Set<String> dnsNames = DevCertificateNames.dnsNames(hostNames);
            ExistingDevCertificates existing = ExistingDevCertificates.read(directory.path());
            if (existing != null && existing.caUsable(now, dnsNames)) {
                if (existing.serverUsable(now, dnsNames)) {
                    return files(existing.server().getNotAfter().toInstant(), DevCertificateFiles.Status.REUSED);
                }
                X509Certificate server = writeServer(new KeyPair(existing.ca().getPublicKey(), existing.caKey()),
                        existing.ca(), dnsNames, now);
                return files(server.getNotAfter().toInstant(), DevCertificateFiles.Status.RENEWED);
            }
            KeyPair caKeys = issuer.newKeyPair();
            X509Certificate ca = issuer.ca(caKeys, dnsNames, now);
            directory.writePrivate(CA_KEY_FILE, "PRIVATE KEY", caKeys.getPrivate().getEncoded());
            directory.writePublic(CA_FILE, "CERTIFICATE", ca.getEncoded());
            X509Certificate server = writeServer(caKeys, ca, dnsNames, now);
            return files(server.getNotAfter().toInstant(), DevCertificateFiles.Status.GENERATED);
        } catch (IOException e) {
            throw new TlsConfigurationException("cannot write development certificates to " + directory.path()
                    + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate development certificates", e);
        }
    }

    private X509Certificate writeServer(KeyPair caKeys, X509Certificate ca, Set<String> dnsNames, Instant now)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        KeyPair keys = issuer.newKeyPair();
        X509Certificate server = issuer.server(keys, caKeys, ca, dnsNames, now);
        directory.writePrivate(SERVER_KEY_FILE, "PRIVATE KEY", keys.getPrivate().getEncoded());
        directory.writePublic(SERVER_FILE, "CERTIFICATE", server.getEncoded());
        log.debug("development server certificate for {} written to {}, valid until {}", dnsNames,
                directory.path(), server.getNotAfter().toInstant());
        return server;
    }

    private DevCertificateFiles files(Instant notAfter, DevCertificateFiles.Status status) {
        Path path = directory.path();
        return new DevCertificateFiles(path, path.resolve(CA_FILE), path.resolve(SERVER_FILE),
                path.resolve(SERVER_KEY_FILE), notAfter, status);
    }
}
