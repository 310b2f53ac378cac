package io.tlswatch.tlsserver.tls;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
    private static final java.util.regex.Pattern DNS_LABEL =
            java.util.regex.Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private static final Logger log = LoggerFactory.getLogger(DevCertificates.class);
    // Certificates are back-dated a little, so that a client whose clock is slightly behind accepts them.
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final String SIGNATURE = "SHA256withECDSA";

    private final Path directory;
    private final List<String> hostNames;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param directory where the files live; created owner-only when missing, refused when another user owns it
     * @param hostNames extra DNS names for the server certificate besides {@code localhost} (e.g. the host name)
     */
    public DevCertificates(Path directory, List<String> hostNames, Clock clock) {
        this.directory = Objects.requireNonNull(directory, "directory");
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
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name == null || name.isBlank() || name.equalsIgnoreCase("localhost") || isIpLiteral(name)
                    ? List.of()
                    : List.of(name.toLowerCase(Locale.ROOT));
        } catch (UnknownHostException e) {
            return List.of();
        }
    }

    /**
     * The DNS names a server's development certificate gets besides {@code localhost}: {@code configured} (the
     * value of {@value #KEY_NAMES}) when set, else {@link #localHostNames()}.
     *
     * @throws IllegalArgumentException naming the first entry that is not a DNS host name (letters, digits and
     *                                  hyphens in dot-separated labels; no IP address, no wildcard)
     */
    public static List<String> hostNames(Optional<List<String>> configured) {
        if (configured.isEmpty()) {
            return localHostNames();
        }
        List<String> names = new ArrayList<>();
        for (String raw : configured.get()) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            boolean valid = !name.isEmpty() && name.length() <= 253 && !isIpLiteral(name)
                    && java.util.Arrays.stream(name.split("\\.", -1)).allMatch(l -> DNS_LABEL.matcher(l).matches());
            if (!valid) {
                throw new IllegalArgumentException(KEY_NAMES + " must list DNS host names (such as validator,"
                        + "collector), was '" + raw + "'");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    /**
     * Returns usable files, generating or renewing what is missing, invalid or about to expire.
     *
     * @throws TlsConfigurationException when the directory cannot be used
     */
    public DevCertificateFiles ensure() {
        try {
            prepareDirectory();
            // Within this JVM a monitor, across processes (containers sharing a volume) the file lock: a JVM
            // may hold only one lock on a file, and two servers of one process may start at once.
            synchronized (DevCertificates.class) {
                try (FileChannel lock = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                     FileLock ignored = lock.lock()) {
                    return ensureLocked();
                }
            }
        } catch (IOException e) {
            throw new TlsConfigurationException("cannot write development certificates to " + directory + ": "
                    + e.getMessage(), e);
        }
    }

    private DevCertificateFiles ensureLocked() {
        try {
            Instant now = clock.instant();
            Set<String> dnsNames = dnsNames();
            Existing existing = Existing.read(directory);
            if (existing != null && caUsable(existing, now, dnsNames)) {
                if (serverUsable(existing, now, dnsNames)) {
                    return files(existing.server.getNotAfter().toInstant(), DevCertificateFiles.Status.REUSED);
                }
                X509Certificate server = writeServer(new KeyPair(existing.ca.getPublicKey(), existing.caKey),
                        existing.ca, dnsNames, now);
                return files(server.getNotAfter().toInstant(), DevCertificateFiles.Status.RENEWED);
            }
            KeyPair caKeys = newKeyPair();
            X509Certificate ca = writeCa(caKeys, dnsNames, now);
            X509Certificate server = writeServer(caKeys, ca, dnsNames, now);
            return files(server.getNotAfter().toInstant(), DevCertificateFiles.Status.GENERATED);
        } catch (IOException e) {
            throw new TlsConfigurationException("cannot write development certificates to " + directory + ": "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate development certificates", e);
        }
    }

    private DevCertificateFiles files(Instant notAfter, DevCertificateFiles.Status status) {
        return new DevCertificateFiles(directory, directory.resolve(CA_FILE), directory.resolve(SERVER_FILE),
                directory.resolve(SERVER_KEY_FILE), notAfter, status);
    }

    private Set<String> dnsNames() {
        Set<String> names = new LinkedHashSet<>();
        names.add("localhost");
        for (String name : hostNames) {
            if (!isIpLiteral(name)) {
                names.add(name.toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    private void prepareDirectory() throws IOException {
        boolean posix = posix();
        if (!Files.exists(directory)) {
            if (posix) {
                Files.createDirectories(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(directory);
            }
        }
        if (posix) {
            UserPrincipal owner = Files.getOwner(directory);
            UserPrincipal me = directory.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
            if (!owner.equals(me)) {
                throw new TlsConfigurationException("development certificate directory " + directory
                        + " belongs to " + owner.getName() + ", not to " + me.getName()
                        + ": refusing to use a CA someone else could have written");
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
            if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                    || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            }
        }
    }

    private boolean caUsable(Existing existing, Instant now, Set<String> dnsNames) {
        X509Certificate ca = existing.ca;
        Instant renewalDeadline = now.plus(Duration.ofDays(SERVER_VALIDITY_DAYS));
        return !ca.getNotBefore().toInstant().isAfter(now)
                && ca.getNotAfter().toInstant().isAfter(renewalDeadline)
                && ca.getBasicConstraints() >= 0
                && keyMatches(existing.caKey, ca)
                && dnsNames.equals(permittedDnsNames(ca));
    }

    private boolean serverUsable(Existing existing, Instant now, Set<String> dnsNames) {
        X509Certificate server = existing.server;
        if (server.getNotBefore().toInstant().isAfter(now)
                || !server.getNotAfter().toInstant().isAfter(now.plus(Duration.ofDays(RENEW_BEFORE_DAYS)))
                || !keyMatches(existing.serverKey, server)) {
            return false;
        }
        try {
            server.verify(existing.ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            return false;
        }
        return dnsNames.equals(sanDnsNames(server));
    }

    private X509Certificate writeCa(KeyPair keys, Set<String> dnsNames, Instant now)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        X500Name name = new X500Name("CN=tlswatch development CA,O=tlswatch development only");
        Instant notBefore = now.minus(BACKDATE);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(notBefore),
                Date.from(now.plus(Duration.ofDays(CA_VALIDITY_DAYS))), name, keys.getPublic());
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                utils.createSubjectKeyIdentifier(keys.getPublic()));
        builder.addExtension(Extension.nameConstraints, true, new NameConstraints(permittedSubtrees(dnsNames), null));
        X509Certificate ca = sign(builder, keys.getPrivate());
        writePrivate(CA_KEY_FILE, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        writePublic(CA_FILE, pem("CERTIFICATE", ca.getEncoded()));
        return ca;
    }

    private X509Certificate writeServer(KeyPair caKeys, X509Certificate ca, Set<String> dnsNames, Instant now)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        KeyPair keys = newKeyPair();
        X500Name subject = new X500Name("CN=localhost,O=tlswatch development only");
        Instant notBefore = now.minus(BACKDATE);
        Instant notAfter = now.plus(Duration.ofDays(SERVER_VALIDITY_DAYS));
        if (notAfter.isAfter(ca.getNotAfter().toInstant())) {
            notAfter = ca.getNotAfter().toInstant();
        }
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(), Date.from(notBefore),
                Date.from(notAfter), subject, keys.getPublic());
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                utils.createSubjectKeyIdentifier(keys.getPublic()));
        builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca));
        builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(dnsNames));
        X509Certificate server = sign(builder, caKeys.getPrivate());
        writePrivate(SERVER_KEY_FILE, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        writePublic(SERVER_FILE, pem("CERTIFICATE", server.getEncoded()));
        log.debug("development server certificate for {} written to {}, valid until {}", dnsNames, directory,
                notAfter);
        return server;
    }

    private static GeneralNames subjectAltNames(Set<String> dnsNames) throws CertIOException {
        List<GeneralName> names = new ArrayList<>();
        for (String name : dnsNames) {
            names.add(new GeneralName(GeneralName.dNSName, name));
        }
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        names.add(new GeneralName(GeneralName.iPAddress, "::1"));
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static GeneralSubtree[] permittedSubtrees(Set<String> dnsNames) {
        List<GeneralSubtree> subtrees = new ArrayList<>();
        for (String name : dnsNames) {
            subtrees.add(new GeneralSubtree(new GeneralName(GeneralName.dNSName, name)));
        }
        // An iPAddress constraint is the address followed by its mask (RFC 5280 4.2.1.10).
        subtrees.add(new GeneralSubtree(new GeneralName(GeneralName.iPAddress, new DEROctetString(
                new byte[]{127, 0, 0, 1, -1, -1, -1, -1}))));
        byte[] loopback6 = new byte[32];
        loopback6[15] = 1;
        for (int i = 16; i < 32; i++) {
            loopback6[i] = -1;
        }
        subtrees.add(new GeneralSubtree(new GeneralName(GeneralName.iPAddress, new DEROctetString(loopback6))));
        return subtrees.toArray(GeneralSubtree[]::new);
    }

    private static Set<String> permittedDnsNames(X509Certificate ca) {
        byte[] extension = ca.getExtensionValue(Extension.nameConstraints.getId());
        Set<String> names = new LinkedHashSet<>();
        if (extension == null) {
            return names;
        }
        NameConstraints constraints = NameConstraints.getInstance(
                org.bouncycastle.asn1.ASN1OctetString.getInstance(extension).getOctets());
        if (constraints.getPermittedSubtrees() != null) {
            for (GeneralSubtree subtree : constraints.getPermittedSubtrees()) {
                if (subtree.getBase().getTagNo() == GeneralName.dNSName) {
                    names.add(subtree.getBase().getName().toString());
                }
            }
        }
        return names;
    }

    private static Set<String> sanDnsNames(X509Certificate certificate) {
        Set<String> names = new LinkedHashSet<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if ((Integer) san.get(0) == GeneralName.dNSName) {
                        names.add((String) san.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return Set.of();
        }
        return names;
    }

    private X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signingKey)));
    }

    private KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    private BigInteger serial() {
        // RFC 5280: positive, at most 20 octets; 16 random bytes with the sign bit clear.
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        bytes[0] &= 0x7F;
        bytes[0] |= 0x01;
        return new BigInteger(bytes);
    }

    private void writePrivate(String file, String content) throws IOException {
        write(file, content, PosixFilePermissions.fromString("rw-------"));
    }

    private void writePublic(String file, String content) throws IOException {
        write(file, content, PosixFilePermissions.fromString("rw-r--r--"));
    }

    /** Writes to a temporary file created with its final permissions, then moves it in place atomically. */
    private void write(String file, String content, Set<PosixFilePermission> permissions) throws IOException {
        FileAttribute<?>[] attributes = posix()
                ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
        Path temporary = Files.createTempFile(directory, "." + file, ".tmp", attributes);
        try {
            Files.writeString(temporary, content, StandardCharsets.US_ASCII);
            Files.move(temporary, directory.resolve(file), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private boolean posix() {
        return directory.getFileSystem().supportedFileAttributeViews().contains("posix")
                && FileSystems.getDefault().equals(directory.getFileSystem());
    }

    static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static boolean keyMatches(PrivateKey key, X509Certificate certificate) {
        try {
            java.security.Signature signer = java.security.Signature.getInstance(SIGNATURE);
            signer.initSign(key);
            byte[] probe = "tlswatch".getBytes(StandardCharsets.US_ASCII);
            signer.update(probe);
            byte[] signature = signer.sign();
            java.security.Signature verifier = java.security.Signature.getInstance(SIGNATURE);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean isIpLiteral(String name) {
        return name.indexOf(':') >= 0 || name.matches("[0-9.]+");
    }

    /** The four files as read back; {@code null} when any is missing or unreadable. */
    private record Existing(X509Certificate ca, PrivateKey caKey, X509Certificate server, PrivateKey serverKey) {

        static Existing read(Path directory) {
            Path[] files = {directory.resolve(CA_FILE), directory.resolve(CA_KEY_FILE),
                    directory.resolve(SERVER_FILE), directory.resolve(SERVER_KEY_FILE)};
            for (Path file : files) {
                if (!Files.isRegularFile(file)) {
                    return null;
                }
            }
            try {
                KeyMaterialLoader loader = new KeyMaterialLoader(name -> null);
                List<X509Certificate> ca = KeyMaterialLoader.readCertificates(files[0], "development CA");
                ServerKeyMaterial caMaterial = loader.load(new CertificateSource.PemFiles(files[0], files[1]));
                ServerKeyMaterial server = loader.load(new CertificateSource.PemFiles(files[2], files[3]));
                return new Existing(ca.get(0), caMaterial.privateKey(), server.leaf(), server.privateKey());
            } catch (TlsConfigurationException | UncheckedIOException | IndexOutOfBoundsException e) {
                log.info("development certificates in {} are unusable ({}): generating new ones", directory,
                        e.getMessage());
                return null;
            }
        }
    }
}
