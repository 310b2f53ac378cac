package io.tlswatch.collector.config;

import io.tlswatch.contract.kafka.TopicSettings;
import io.tlswatch.contract.config.ConfigException;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.tlsserver.proxy.ProxyMode;
import io.tlswatch.tlsserver.proxy.ProxySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CollectorConfigTest {

    @Test
    void runsOnItsDefaults() {
        CollectorConfig config = CollectorConfig.defaults();
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.httpsPort()).isEqualTo(8444);
        assertThat(config.server().adminPort()).isEqualTo(9402);
        assertThat(config.httpsEnabled()).isTrue();
        assertThat(config.maxBatchCount()).isEqualTo(500);
        assertThat(config.server().maxBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(config.ackTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.dedupWindow()).isEqualTo(Duration.ofHours(1));
        assertThat(config.plausibility().maxAge()).isEqualTo(Duration.ofDays(30));
        assertThat(config.server().tls().protocols()).containsExactly("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
        assertThat(config.server().tls().allowInsecure()).isTrue();
        assertThat(config.server().kafka().bootstrapServers()).isEqualTo("localhost:9092");
    }

    @Test
    void unknownKeysAndBadValuesAreRefusedByName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("collector.properties");
        Files.writeString(file, "http.prot=1\n");
        assertThatThrownBy(() -> CollectorConfig.load(file, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.prot");
        assertThatThrownBy(() -> CollectorConfig.from(ConfigSource.of(Map.of("limits.perClient.perSecond", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("limits.perClient.perSecond");
        assertThatThrownBy(() -> CollectorConfig.from(ConfigSource.of(Map.of("server.ackTimeout", "0s"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("server.ackTimeout");
        assertThatThrownBy(() -> CollectorConfig.from(ConfigSource.of(Map.of("reports.maxBatchCount", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("reports.maxBatchCount");
    }

    @Test
    void theProxyProtocolUsesTheSameKeysAsTheValidatorAndIsCheckedAtStart() {
        assertThat(CollectorConfig.defaults().server().proxy()).isEqualTo(ProxySettings.OFF);
        CollectorConfig config = CollectorConfig.from(ConfigSource.of(Map.of("server.proxyProtocol", "optional",
                "server.trustedProxies", "192.0.2.0/24")));
        assertThat(config.server().proxy().mode()).isEqualTo(ProxyMode.OPTIONAL);
        assertThat(config.server().proxy().trustedProxies()).extracting(Object::toString).containsExactly("192.0.2.0/24");

        assertThatThrownBy(() -> CollectorConfig.from(ConfigSource.of(Map.of("server.proxyProtocol", "required"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("server.trustedProxies must list");
        assertThatThrownBy(() -> CollectorConfig.from(ConfigSource.of(Map.of("server.proxyProtocol", "optional",
                "server.trustedProxies", "192.0.2.7/24"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("server.trustedProxies: ")
                .hasMessageContaining("host bits set");
    }

    @Test
    void environmentOverridesTheFileAndKafkaSettingsPassThrough(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("collector.properties");
        Files.writeString(file, "http.port=9000\nkafka.compression.type=zstd\n");
        CollectorConfig config = CollectorConfig.load(file, Map.of("TLSWATCH_HTTP_PORT", "9001",
                "TLSWATCH_HTTPS_PORT", "-1", "TLSWATCH_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"));
        assertThat(config.httpPort()).isEqualTo(9001);
        assertThat(config.httpsEnabled()).isFalse();
        assertThat(config.server().kafka().bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(config.server().kafka().passthrough()).containsEntry("compression.type", "zstd");
    }

    @Test
    void devCertificateNamesComeFromTheEnvironmentAndBadOnesAreRefusedByName() {
        CollectorConfig config = CollectorConfig.load(null, Map.of("TLSWATCH_TLS_DEVCERTIFICATENAMES", "validator,collector"));
        assertThat(config.server().devCertificateNames()).containsExactly("validator", "collector");
        assertThat(CollectorConfig.defaults().server().devCertificateNames())
                .isEqualTo(io.tlswatch.tlsserver.tls.DevCertificates.localHostNames());
        assertThatThrownBy(() -> CollectorConfig.from(ConfigSource.of(Map.of("tls.devCertificateNames", "collector,*.local"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("tls.devCertificateNames")
                .hasMessageContaining("'*.local'");
    }

    @Test
    void readsTheTopicKeysEveryServiceSharesFromItsFile(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("collector.properties");
        Files.writeString(file, "kafka.topics.create=never\ntopics.prefix=acme.\ntopics.replicationFactor=3\n"
                + "topics.minInsyncReplicas=2\n");

        // when
        CollectorConfig config = CollectorConfig.load(file, Map.of());

        // then
        assertThat(config.server().kafka().topics())
                .isEqualTo(new TopicSettings(TopicSettings.Create.NEVER, "acme.", 3, 2));
        assertThat(config.server().kafka().passthrough()).doesNotContainKey("topics.create");
    }

    @Test
    void anInvalidTopicKeyIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("collector.properties");
        Files.writeString(file, "topics.replicationFactor=zero\n");

        // then
        assertThatThrownBy(() -> CollectorConfig.load(file, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessage("topics.replicationFactor must be a whole number, was 'zero'");
    }
}
