package io.tlswatch.validator;

import io.tlswatch.contract.config.ConfigException;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.tlsserver.proxy.ProxyMode;
import io.tlswatch.tlsserver.proxy.ProxySettings;
import io.tlswatch.tlsserver.tls.CertificateSource;
import io.tlswatch.tlsserver.tls.SecretSource;
import io.tlswatch.tlsserver.tls.TlsSettings;
import io.tlswatch.validator.token.SigningAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidatorConfigTest {

    @TempDir
    Path directory;

    private Path file(String content) throws IOException {
        return Files.writeString(directory.resolve("validator.properties"), content);
    }

    private static ValidatorConfig of(Map<String, String> values) {
        return ValidatorConfig.from(ConfigSource.of(values));
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        ValidatorConfig config = ValidatorConfig.defaults();

        assertThat(config.server().host()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isEqualTo(8443);
        assertThat(config.server().adminHost()).isEqualTo("0.0.0.0");
        assertThat(config.server().adminPort()).isEqualTo(9401);
        assertThat(config.publicUrl()).isEqualTo(URI.create("https://localhost:8443"));
        assertThat(config.server().nodeName()).isNotBlank();
        assertThat(config.server().maxConnections()).isEqualTo(10_000);
        assertThat(config.server().maxConnectionsPerAddress()).isEqualTo(256);
        assertThat(config.server().handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.server().idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.server().requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.server().maxHeaderBytes()).isEqualTo(8 * 1024);
        assertThat(config.server().maxBodyBytes()).isEqualTo(64 * 1024);
        assertThat(config.server().shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.server().tls()).isEqualTo(TlsSettings.mozillaIntermediate());
        assertThat(config.server().devCertificateDir()).isNull();
        assertThat(config.tokenIssuer()).isEqualTo("https://localhost:8443");
        assertThat(config.tokenAudience()).isEqualTo("tlswatch-client");
        assertThat(config.tokenLifetime()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.tokenLeeway()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.tokenAlgorithm()).isEqualTo(SigningAlgorithm.EDDSA);
        assertThat(config.tokenKeyFile()).isNull();
        assertThat(config.tokenRotateEvery()).isEqualTo(Duration.ofDays(1));
        assertThat(config.dpopIatWindow()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.proofRequired()).isTrue();
        assertThat(config.machineWindow()).isEqualTo(Duration.ofHours(24));
        assertThat(config.machineActivationTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.machineCullInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.server().startupTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.server().eventBufferCapacity()).isEqualTo(10_000);
        assertThat(config.eventsEnabled()).isTrue();
        assertThat(config.server().kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.server().kafka().passthrough()).isEmpty();
    }

    @Test
    void theDefaultTlsProfileIsMozillaIntermediate() {
        TlsSettings tls = ValidatorConfig.defaults().server().tls();

        assertThat(tls.protocols()).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(tls.groups()).containsExactly("x25519", "secp256r1", "secp384r1");
        assertThat(tls.cipherSuites()).isEqualTo(TlsSettings.MOZILLA_INTERMEDIATE_CIPHER_SUITES);
        assertThat(tls.allowInsecure()).isFalse();
        assertThat(tls.clientAuth()).isEqualTo(TlsSettings.ClientAuthMode.NONE);
        assertThat(tls.provider()).isEqualTo(TlsSettings.ProviderPreference.AUTO);
    }

    @Test
    void everyKeyCanBeSetInTheFile() throws IOException {
        // given a file that sets a value for each kind of key
        Path file = file("""
                server.host=127.0.0.1
                https.port=9443
                admin.port=9501
                server.publicUrl=https://licenses.example.com
                node.name=validator-1
                server.maxConnectionsPerAddress=16
                server.requestTimeout=500ms
                shutdown.grace=PT30S
                tls.protocols=TLSv1.3
                tls.clientAuth=optional
                tls.clientCaFile=/etc/tlswatch/client-ca.pem
                token.lifetime=5m
                token.algorithm=es256
                licenses.proofRequired=false
                licenses.machineWindow=7d
                events.enabled=false
                kafka.bootstrap.servers=broker-1:9092,broker-2:9092
                kafka.compression.type=zstd
                """);

        // when
        ValidatorConfig config = ValidatorConfig.load(file, Map.of());

        // then
        assertThat(config.server().host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(9443);
        assertThat(config.server().adminPort()).isEqualTo(9501);
        assertThat(config.publicUrl()).isEqualTo(URI.create("https://licenses.example.com"));
        assertThat(config.tokenIssuer()).as("the issuer follows the public URL").isEqualTo("https://licenses.example.com");
        assertThat(config.server().nodeName()).isEqualTo("validator-1");
        assertThat(config.server().maxConnectionsPerAddress()).isEqualTo(16);
        assertThat(config.server().requestTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.server().shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.server().tls().protocols()).containsExactly("TLSv1.3");
        assertThat(config.server().tls().clientAuth()).isEqualTo(TlsSettings.ClientAuthMode.OPTIONAL);
        assertThat(config.server().tls().clientCaFile()).isEqualTo(Path.of("/etc/tlswatch/client-ca.pem"));
        assertThat(config.tokenLifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.tokenAlgorithm()).isEqualTo(SigningAlgorithm.ES256);
        assertThat(config.proofRequired()).isFalse();
        assertThat(config.machineWindow()).isEqualTo(Duration.ofDays(7));
        assertThat(config.eventsEnabled()).isFalse();
        assertThat(config.server().kafka().bootstrapServers()).isEqualTo("broker-1:9092,broker-2:9092");
        assertThat(config.server().kafka().passthrough()).containsExactly(Map.entry("compression.type", "zstd"));
    }

    @Test
    void environmentVariablesOverrideTheFile() throws IOException {
        // given a file and environment variables named TLSWATCH_ + the key upper-cased, dots as underscores
        Path file = file("https.port=9443\nlicenses.proofRequired=true\n");
        Map<String, String> environment = Map.of(
                "TLSWATCH_HTTPS_PORT", "10443",
                "TLSWATCH_LICENSES_PROOFREQUIRED", "false",
                "TLSWATCH_TLS_ALLOWINSECURE", "true",
                "TLSWATCH_SERVER_PUBLICURL", "https://licenses.example.com:10443",
                "TLSWATCH_KAFKA_BOOTSTRAP_SERVERS", "kafka.internal:9092",
                "TLSWATCH_KAFKA_SECURITY_PROTOCOL", "SSL",
                "PATH", "/usr/bin");

        // when
        ValidatorConfig config = ValidatorConfig.load(file, environment);

        // then
        assertThat(config.port()).isEqualTo(10443);
        assertThat(config.proofRequired()).isFalse();
        assertThat(config.server().tls().allowInsecure()).isTrue();
        assertThat(config.publicUrl()).isEqualTo(URI.create("https://licenses.example.com:10443"));
        assertThat(config.server().kafka().bootstrapServers()).isEqualTo("kafka.internal:9092");
        assertThat(config.server().kafka().passthrough()).containsEntry("security.protocol", "SSL");
    }

    @Test
    void withoutAFileTheEnvironmentAloneConfigures() {
        ValidatorConfig config = ValidatorConfig.load(null, Map.of("TLSWATCH_ADMIN_PORT", "9999"));

        assertThat(config.server().adminPort()).isEqualTo(9999);
        assertThat(config.port()).isEqualTo(8443);
    }

    @Test
    void theEnvironmentNameOfAKeyFollowsTheRule() {
        assertThat(ConfigSource.envName("server.maxConnectionsPerAddress"))
                .isEqualTo("TLSWATCH_SERVER_MAXCONNECTIONSPERADDRESS");
        assertThat(ConfigSource.envName("tls.devCertificateDir")).isEqualTo("TLSWATCH_TLS_DEVCERTIFICATEDIR");
    }

    @Test
    void anUnknownKeyIsAnErrorNamingIt() throws IOException {
        // given a typo
        Path file = file("https.port=9443\nserver.requestTimout=5s\n");

        assertThatThrownBy(() -> ValidatorConfig.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.requestTimout")
                .hasMessageContaining(file.toString());
    }

    @Test
    void aFileThatCannotBeReadIsAnError() {
        Path missing = directory.resolve("absent.properties");

        assertThatThrownBy(() -> ValidatorConfig.load(missing, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining(missing.toString());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "https.port                     | https     | must be a whole number",
            "https.port                     | 70000     | must be between 0 and 65535",
            "admin.port                      | -1        | must be between 0 and 65535",
            "server.maxConnections           | 0         | must be between 1",
            "server.maxHeaderBytes           | 100       | must be between 1024",
            "server.maxBodyBytes             | 999999999 | must be between 1024",
            "server.handshakeTimeout         | 0s        | must be more than zero",
            "server.requestTimeout           | soon      | must be a duration",
            "server.idleTimeout              | -5s       | must not be negative",
            "token.lifetime                  | 0ms       | must be more than zero",
            "token.algorithm                 | HS256     | must be EdDSA or ES256",
            "licenses.proofRequired          | yes       | must be true or false",
            "events.enabled                  | 1         | must be true or false",
            "tls.clientAuth                  | maybe     | must be one of",
            "tls.provider                    | bouncy    | must be one of",
            "events.bufferCapacity           | 0         | must be between 1",
            "server.proxyProtocol            | v2        | must be one of [off, optional, required]",
            "server.trustedProxies           | lb.local  | is not an IP address",
    })
    void aBadValueIsAnErrorNamingTheKey(String key, String value, String problem) {
        assertThatThrownBy(() -> of(Map.of(key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(key)
                .hasMessageContaining(problem);
    }

    @Test
    void aPemCertificateNeedsItsPrivateKey() {
        assertThatThrownBy(() -> of(Map.of("tls.certificate", "/etc/tlswatch/server.pem")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tls.privateKey")
                .hasMessageContaining("/etc/tlswatch/server.pem");
    }

    @Test
    void aPemCertificateWithItsKeyAndAPasswordVariable() {
        ValidatorConfig config = of(Map.of("tls.certificate", "/etc/tlswatch/server.pem",
                "tls.privateKey", "/etc/tlswatch/server-key.pem", "tls.keyPasswordEnv", "TLS_KEY_PASSWORD"));

        assertThat(config.server().tls().certificate()).isEqualTo(new CertificateSource.PemFiles(
                Path.of("/etc/tlswatch/server.pem"), Path.of("/etc/tlswatch/server-key.pem"),
                new SecretSource.EnvironmentVariable("TLS_KEY_PASSWORD")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/etc/tlswatch/server.p12", "/etc/tlswatch/SERVER.PFX"})
    void aPkcs12KeyStoreIsRecognisedByItsExtensionAndNeedsNoPrivateKey(String path) {
        ValidatorConfig config = of(Map.of("tls.certificate", path, "tls.keyPasswordFile", "/run/secrets/p12"));

        assertThat(config.server().tls().certificate()).isEqualTo(new CertificateSource.Pkcs12File(Path.of(path),
                new SecretSource.File(Path.of("/run/secrets/p12"))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"http://licenses.example.com", "licenses.example.com", "https:///no-host"})
    void thePublicUrlMustBeHttpsWithAHost(String url) {
        assertThatThrownBy(() -> of(Map.of("server.publicUrl", url)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("server.publicUrl");
    }

    @Test
    void aPublicUrlThatIsNoUrlIsAnErrorNamingTheKey() {
        assertThatThrownBy(() -> of(Map.of("server.publicUrl", "https://a b")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("server.publicUrl")
                .hasMessageContaining("https://a b");
    }

    @Test
    void theDefaultPublicUrlFollowsThePort() {
        assertThat(of(Map.of("https.port", "9443")).publicUrl()).isEqualTo(URI.create("https://localhost:9443"));
        assertThat(of(Map.of("https.port", "0")).publicUrl())
                .as("an ephemeral port cannot be known in advance").isEqualTo(URI.create("https://localhost:8443"));
    }

    @Test
    void listsAreCommaSeparatedAndTrimmed() {
        ValidatorConfig config = of(Map.of("tls.groups", " x25519 , secp384r1,,"));

        assertThat(config.server().tls().groups()).isEqualTo(List.of("x25519", "secp384r1"));
    }

    @Test
    void certificateRotationAndOcspKeysAreReadFromTheFileAndTheEnvironment() throws IOException {
        Path file = directory.resolve("certificates.properties");
        Files.writeString(file, "tls.certificate=/etc/tlswatch/server.pem\ntls.privateKey=/etc/tlswatch/key.pem\n"
                + "tls.certificateName=licenses\ntls.watch.interval=5s\ntls.expiryWarnDays=10,2\n"
                + "ocsp.responderUrl=http://ocsp.example.com\n");

        ValidatorConfig config = ValidatorConfig.load(file, Map.of("TLSWATCH_OCSP_ENABLED", "false",
                "TLSWATCH_TLS_MINVALIDITYAHEAD", "2h"));

        assertThat(config.server().certificates().name()).isEqualTo("licenses");
        assertThat(config.server().certificates().source()).isEqualTo(config.server().tls().certificate());
        assertThat(config.server().certificates().watchInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.server().certificates().minValidityAhead()).isEqualTo(Duration.ofHours(2));
        assertThat(config.server().certificates().expiryWarnDays()).containsExactly(10, 2);
        assertThat(config.server().certificates().ocsp().enabled()).isFalse();
        assertThat(config.server().certificates().ocsp().responderUrl()).isEqualTo(URI.create("http://ocsp.example.com"));
    }

    @Test
    void anUnusableTrustAnchorFileRefusesStartUpNamingTheKey() {
        ValidatorConfig config = ValidatorConfig.from(ConfigSource.of(Map.of(
                "tls.devCertificateDir", directory.resolve("dev").toString(),
                "tls.trustAnchors", directory.resolve("missing-ca.pem").toString())));

        assertThatThrownBy(() -> Validator.start(config, java.time.Clock.systemUTC()))
                .isInstanceOf(io.tlswatch.tlsserver.tls.TlsConfigurationException.class)
                .hasMessageStartingWith("tls.trustAnchors").hasMessageContaining("does not exist");
    }

    @Test
    void aChainFromOutsideTheTrustAnchorsRefusesStartUp() throws Exception {
        // the development certificate, checked against a CA that did not issue it
        Path otherCa = new io.tlswatch.tlsserver.tls.DevCertificates(directory.resolve("other"),
                List.of("localhost"), java.time.Clock.systemUTC()).ensure().caCertificate();
        ValidatorConfig config = ValidatorConfig.from(ConfigSource.of(Map.of(
                "tls.devCertificateDir", directory.resolve("dev").toString(),
                "tls.trustAnchors", otherCa.toString())));

        assertThatThrownBy(() -> Validator.start(config, java.time.Clock.systemUTC()))
                .isInstanceOf(io.tlswatch.tlsserver.tls.TlsConfigurationException.class)
                .hasMessageContaining("not a configured trust anchor (tls.trustAnchors)");
    }

    @Test
    void theProxyProtocolIsOffByDefaultAndReadsTheSharedKeys() {
        assertThat(ValidatorConfig.defaults().server().proxy()).isEqualTo(ProxySettings.OFF);

        ValidatorConfig config = of(Map.of("server.proxyProtocol", "required",
                "server.trustedProxies", "10.0.0.0/8,fd00::/8"));

        assertThat(config.server().proxy().mode()).isEqualTo(ProxyMode.REQUIRED);
        assertThat(config.server().proxy().trustedProxies()).extracting(Object::toString).containsExactly("10.0.0.0/8", "fd00::/8");
    }

    @Test
    void theAdminApiIsOffUntilItsPortIsSet() {
        assertThat(ValidatorConfig.defaults().adminApi().enabled()).isFalse();

        ValidatorConfig config = of(Map.of("admin.api.port", "9443", "admin.api.requestsPerMinute", "0",
                "admin.api.writeTimeout", "5s"));

        assertThat(config.adminApi()).isEqualTo(new io.tlswatch.validator.admin.AdminApiSettings(9443, 0,
                java.time.Duration.ofSeconds(5)));
        assertThat(io.tlswatch.validator.admin.AdminApiSettings.KEYS).isSubsetOf(ValidatorConfig.KEYS);
        assertThatThrownBy(() -> of(Map.of("admin.api.port", "https")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("admin.api.port");
    }

    @Test
    void readingProxyHeadersWithoutTrustedProxiesRefusesStartUpNamingTheKey() {
        assertThatThrownBy(() -> of(Map.of("server.proxyProtocol", "required")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("server.trustedProxies must list");
    }

    @Test
    void docsValidatorMdDescribesExactlyTheKnownKeys() throws IOException {
        // Surefire runs in the module directory; an IDE may run in the repository root.
        Path fromModule = Path.of("../docs/validator.md");
        String doc = Files.readString(Files.exists(fromModule) ? fromModule : Path.of("docs/validator.md"));
        Set<String> documented = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-zA-Z.]+)` \\|").matcher(doc);
        while (row.find()) {
            documented.add(row.group(1));
        }

        // kafka.* keys pass through unchecked; the doc names the one the validator itself reads.
        assertThat(documented).contains("kafka.bootstrap.servers");
        documented.removeIf(key -> key.startsWith("kafka."));
        assertThat(documented).isEqualTo(new TreeSet<>(ValidatorConfig.KEYS));
    }

    @Test
    void devCertificateNamesComeFromTheEnvironmentAndBadOnesAreRefusedByName() {
        ValidatorConfig config = ValidatorConfig.load(null, Map.of("TLSWATCH_TLS_DEVCERTIFICATENAMES", "validator, collector"));
        assertThat(config.server().devCertificateNames()).containsExactly("validator", "collector");
        assertThat(ValidatorConfig.defaults().server().devCertificateNames())
                .isEqualTo(io.tlswatch.tlsserver.tls.DevCertificates.localHostNames());
        assertThatThrownBy(() -> of(Map.of("tls.devCertificateNames", "validator,10.1.2.3")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("tls.devCertificateNames")
                .hasMessageContaining("'10.1.2.3'");
    }
}
