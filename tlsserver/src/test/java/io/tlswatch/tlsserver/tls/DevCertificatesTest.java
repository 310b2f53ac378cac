package io.tlswatch.tlsserver.tls;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class DevCertificatesTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void generatesACaAndAServerCertificateForLocalNames() throws Exception {
        // given
        Path dir = tmp.resolve("dev-certs");
        DevCertificates dev = new DevCertificates(dir, List.of("build-host"), clockAt(NOW));

        // when
        DevCertificateFiles files = dev.ensure();

        // then
        assertThat(files.status()).isEqualTo(DevCertificateFiles.Status.GENERATED);
        X509Certificate server = read(files.serverCertificate());
        X509Certificate ca = read(files.caCertificate());
        assertThat(sans(server)).containsExactly("localhost", "build-host", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(server.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(30)));
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(KeyStrength.describe(server.getPublicKey())).isEqualTo("EC P-256");
        assertThat(KeyStrength.describe(ca.getPublicKey())).isEqualTo("EC P-256");
        assertThat(ca.getBasicConstraints()).isZero();
        assertThat(files.notAfter()).isEqualTo(server.getNotAfter().toInstant());
        assertThat(files.warning()).isEqualTo("no certificate configured: using a development CA at " + dir
                + " (trust " + dir.resolve("ca.pem") + " in clients); server certificate valid until "
                + files.notAfter());
    }

    @Test
    void serverCertificateChainsToTheCaUnderItsNameConstraints() throws Exception {
        // given
        DevCertificateFiles files = new DevCertificates(tmp.resolve("d"), List.of("build-host"), clockAt(NOW))
                .ensure();
        X509Certificate ca = read(files.caCertificate());
        X509Certificate server = read(files.serverCertificate());

        // when: PKIX validation at the certificates' own time, name constraints included
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(NOW));
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(server)), parameters);

        // then: the CA may vouch for these names only
        byte[] extension = ca.getExtensionValue(Extension.nameConstraints.getId());
        assertThat(ca.getCriticalExtensionOIDs()).contains(Extension.nameConstraints.getId());
        NameConstraints constraints = NameConstraints.getInstance(ASN1OctetString.getInstance(extension).getOctets());
        assertThat(constraints.getPermittedSubtrees()).hasSize(4);
        assertThat(constraints.getExcludedSubtrees()).isNull();
    }

    @Test
    void keysAreOwnerOnlyAndTheDirectoryIsPrivate() throws Exception {
        // given
        Path dir = tmp.resolve("perm");
        assumeThat(tmp.getFileSystem().supportedFileAttributeViews()).contains("posix");

        // when
        DevCertificateFiles files = new DevCertificates(dir, List.of(), clockAt(NOW)).ensure();

        // then
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.serverKey())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca-key.pem"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("ca.pem", "ca-key.pem", "server.pem", "server-key.pem", ".lock");
        }
    }

    @Test
    void reusesValidFilesUnchanged() throws Exception {
        // given
        Path dir = tmp.resolve("reuse");
        new DevCertificates(dir, List.of(), clockAt(NOW)).ensure();
        byte[] server = Files.readAllBytes(dir.resolve("server.pem"));
        byte[] ca = Files.readAllBytes(dir.resolve("ca.pem"));

        // when: ten days later
        DevCertificateFiles files = new DevCertificates(dir, List.of(), clockAt(NOW.plus(Duration.ofDays(10))))
                .ensure();

        // then
        assertThat(files.status()).isEqualTo(DevCertificateFiles.Status.REUSED);
        assertThat(Files.readAllBytes(dir.resolve("server.pem"))).isEqualTo(server);
        assertThat(Files.readAllBytes(dir.resolve("ca.pem"))).isEqualTo(ca);
    }

    @Test
    void renewsTheServerCertificateUnderTheSameCaBeforeItExpires() throws Exception {
        // given
        Path dir = tmp.resolve("renew");
        new DevCertificates(dir, List.of(), clockAt(NOW)).ensure();
        byte[] ca = Files.readAllBytes(dir.resolve("ca.pem"));
        byte[] server = Files.readAllBytes(dir.resolve("server.pem"));

        // when: 25 days later, 5 days before the server certificate expires
        Instant later = NOW.plus(Duration.ofDays(25));
        DevCertificateFiles files = new DevCertificates(dir, List.of(), clockAt(later)).ensure();

        // then
        assertThat(files.status()).isEqualTo(DevCertificateFiles.Status.RENEWED);
        assertThat(Files.readAllBytes(dir.resolve("ca.pem"))).isEqualTo(ca);
        assertThat(Files.readAllBytes(dir.resolve("server.pem"))).isNotEqualTo(server);
        assertThat(files.notAfter()).isEqualTo(later.plus(Duration.ofDays(30)));
        read(files.serverCertificate()).verify(read(files.caCertificate()).getPublicKey());
    }

    @Test
    void replacesTheCaWhenItWouldExpireBeforeANewServerCertificate() throws Exception {
        // given
        Path dir = tmp.resolve("ca-renew");
        new DevCertificates(dir, List.of(), clockAt(NOW)).ensure();
        byte[] ca = Files.readAllBytes(dir.resolve("ca.pem"));

        // when: 340 days later, the 365-day CA has less than 30 days left
        DevCertificateFiles files = new DevCertificates(dir, List.of(), clockAt(NOW.plus(Duration.ofDays(340))))
                .ensure();

        // then
        assertThat(files.status()).isEqualTo(DevCertificateFiles.Status.GENERATED);
        assertThat(Files.readAllBytes(dir.resolve("ca.pem"))).isNotEqualTo(ca);
    }

    @Test
    void startsOverWhenTheHostNameChangesOrAFileIsDamaged() throws Exception {
        // given
        Path dir = tmp.resolve("names");
        new DevCertificates(dir, List.of("old-name"), clockAt(NOW)).ensure();

        // when
        DevCertificateFiles renamed = new DevCertificates(dir, List.of("new-name"), clockAt(NOW)).ensure();
        Files.writeString(dir.resolve("server-key.pem"), "garbage");
        DevCertificateFiles repaired = new DevCertificates(dir, List.of("new-name"), clockAt(NOW)).ensure();

        // then
        assertThat(renamed.status()).isEqualTo(DevCertificateFiles.Status.GENERATED);
        assertThat(sans(read(renamed.serverCertificate()))).contains("new-name").doesNotContain("old-name");
        assertThat(repaired.status()).isEqualTo(DevCertificateFiles.Status.GENERATED);
    }

    @Test
    void configuredNamesReplaceTheHostNameSoThatServicesSharingTheDirectoryAgree() throws Exception {
        // given the names docker-compose.yml gives the validator and the collector, written as a user might
        List<String> names = DevCertificates.hostNames(Optional.of(List.of("Validator", " collector ")));
        Path dir = tmp.resolve("shared");

        // when the two services ensure the certificates one after the other
        DevCertificateFiles first = new DevCertificates(dir, names, clockAt(NOW)).ensure();
        DevCertificateFiles second = new DevCertificates(dir, names, clockAt(NOW)).ensure();

        // then both names (and localhost) are in the certificate and the CA's constraints, and the second reuses it
        assertThat(names).containsExactly("validator", "collector");
        assertThat(sans(read(first.serverCertificate()))).containsExactly("localhost", "validator", "collector",
                "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(second.status()).isEqualTo(DevCertificateFiles.Status.REUSED);
        X509Certificate ca = read(first.caCertificate());
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(NOW));
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
                .generateCertPath(List.of(read(first.serverCertificate()))), parameters);
        assertThat(DevCertificates.hostNames(Optional.empty())).isEqualTo(DevCertificates.localHostNames());
    }

    @Test
    void namesThatAreNotDnsHostNamesAreRefusedNamingTheKey() {
        for (String bad : List.of("", "*.example.com", "10.0.0.1", "under_score", "-lead", "a..b", "trail-")) {
            assertThatThrownBy(() -> DevCertificates.hostNames(Optional.of(List.of("validator", bad))))
                    .as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("tls.devCertificateNames must list DNS host names")
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void serversEnsuringOneDirectoryAtOnceEndWithOneConsistentChain() throws Exception {
        // given two servers starting together on one directory
        Path dir = tmp.resolve("race");
        List<String> names = List.of("validator", "collector");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            // when both ensure at once, repeatedly
            for (int round = 0; round < 5; round++) {
                var a = pool.submit(() -> new DevCertificates(dir, names, clockAt(NOW)).ensure());
                var b = pool.submit(() -> new DevCertificates(dir, names, clockAt(NOW)).ensure());
                a.get();
                b.get();

                // then the server certificate on disk is signed by the CA on disk, and one of them generated it
                read(dir.resolve("server.pem")).verify(read(dir.resolve("ca.pem")).getPublicKey());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesADirectoryThatAnotherUserOwns() throws Exception {
        // given a directory handed to another user (only root can do that here)
        assumeThat(System.getProperty("user.name")).isEqualTo("root");
        Path dir = Files.createDirectory(tmp.resolve("foreign"));
        UserPrincipal nobody = tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(dir, nobody);

        // when / then
        assertThatThrownBy(() -> new DevCertificates(dir, List.of(), clockAt(NOW)).ensure())
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("belongs to nobody, not to root");
    }

    @Test
    void defaultDirectoryIsPerUserUnderTheTemporaryDirectory() {
        // given / when
        Path dir = DevCertificates.defaultDirectory();

        // then
        assertThat(dir.getParent()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
        assertThat(dir.getFileName().toString()).startsWith("tlswatch-dev-certs-");
    }

    private static List<String> sans(X509Certificate certificate) throws Exception {
        return certificate.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList();
    }

    private static Clock clockAt(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    private static X509Certificate read(Path file) {
        return KeyMaterialLoader.readCertificates(file, "test").get(0);
    }
}
