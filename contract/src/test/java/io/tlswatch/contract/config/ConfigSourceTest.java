package io.tlswatch.contract.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigSourceTest {

    private static final Set<String> KNOWN = Set.of("server.port", "tls.allowInsecure", "token.lifetime");
    private static final List<String> PASS = List.of("kafka.");

    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        Path file = dir.resolve("service.properties");
        Files.writeString(file, content);
        return file;
    }

    @Test
    void environmentOverridesTheFile() throws IOException {
        ConfigSource config = ConfigSource.load(file("server.port=8443\ntls.allowInsecure=false\n"),
                Map.of("TLSWATCH_SERVER_PORT", "9443", "TLSWATCH_TLS_ALLOWINSECURE", "true"), KNOWN, PASS);

        assertThat(config.integer("server.port", 1, 1, 65535)).isEqualTo(9443);
        assertThat(config.bool("tls.allowInsecure", false)).isTrue();
    }

    @Test
    void unknownKeyInTheFileIsAnErrorNamingIt() throws IOException {
        Path file = file("server.prot=8443\n");

        assertThatThrownBy(() -> ConfigSource.load(file, Map.of(), KNOWN, PASS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown configuration key server.prot")
                .hasMessageContaining("server.port");
    }

    @Test
    void unknownKeySuggestsTheClosestKnownKeyInsteadOfListingThemAll() throws IOException {
        Path file = file("token.lifetme=15m\n");

        assertThatThrownBy(() -> ConfigSource.load(file, Map.of(), KNOWN, PASS))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown configuration key token.lifetme in " + file + ": did you mean token.lifetime?");
    }

    @Test
    void severalUnknownKeysAreEachNamedWithTheirSuggestion() throws IOException {
        Path file = file("token.lifetme=15m\nfoo.bar=1\n");

        assertThatThrownBy(() -> ConfigSource.load(file, Map.of(), KNOWN, PASS))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown configuration keys in " + file + ": foo.bar (no known key is like it), "
                        + "token.lifetme (did you mean token.lifetime?)");
    }

    @Test
    void passThroughKeysComeFromFileAndEnvironment() throws IOException {
        ConfigSource config = ConfigSource.load(file("kafka.acks=all\n"),
                Map.of("TLSWATCH_KAFKA_BOOTSTRAP_SERVERS", "broker:9092"), KNOWN, PASS);

        assertThat(config.all()).containsEntry("kafka.acks", "all").containsEntry("kafka.bootstrap.servers", "broker:9092");
    }

    @Test
    void badValuesNameTheKey() {
        ConfigSource config = ConfigSource.of(Map.of("server.port", "http", "tls.allowInsecure", "yes",
                "token.lifetime", "soon"));

        assertThatThrownBy(() -> config.integer("server.port", 1, 1, 65535)).hasMessageContaining("server.port");
        assertThatThrownBy(() -> config.bool("tls.allowInsecure", false)).hasMessageContaining("tls.allowInsecure");
        assertThatThrownBy(() -> config.duration("token.lifetime", Duration.ZERO)).hasMessageContaining("token.lifetime");
    }

    @Test
    void durationsTakeIsoAndShortForms() {
        ConfigSource config = ConfigSource.of(Map.of("a", "PT15M", "b", "500ms", "c", "30s", "d", "7d"));

        assertThat(config.duration("a", null)).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.duration("b", null)).isEqualTo(Duration.ofMillis(500));
        assertThat(config.duration("c", null)).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.duration("d", null)).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void portOutOfRangeIsRefused() {
        assertThatThrownBy(() -> ConfigSource.of(Map.of("server.port", "70000")).integer("server.port", 1, 1, 65535))
                .hasMessage("server.port must be between 1 and 65535, was 70000");
    }

    @Test
    void refusesAZeroDurationWherePositiveIsRequiredNamingTheKey() {
        ConfigSource config = ConfigSource.of(Map.of("token.lifetime", "0s"));

        assertThatThrownBy(() -> config.positiveDuration("token.lifetime", Duration.ofMinutes(5)))
                .isInstanceOf(ConfigException.class).hasMessage("token.lifetime must be more than zero");
        assertThat(ConfigSource.of(Map.of()).positiveDuration("token.lifetime", Duration.ofMinutes(5)))
                .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void checkedNamesTheKeyUnlessTheRefusalAlreadyDoes() {
        assertThatThrownBy(() -> ConfigSource.checked("server.port", () -> {
            throw new IllegalArgumentException("must be even");
        })).isInstanceOf(ConfigException.class).hasMessage("server.port: must be even");
        assertThatThrownBy(() -> ConfigSource.checked("kafka.bootstrap.servers", () -> {
            throw new IllegalArgumentException("kafka.bootstrap.servers must name a host");
        })).isInstanceOf(ConfigException.class).hasMessage("kafka.bootstrap.servers must name a host");
        assertThat(ConfigSource.checked("server.port", () -> 8443)).isEqualTo(8443);
    }
}
