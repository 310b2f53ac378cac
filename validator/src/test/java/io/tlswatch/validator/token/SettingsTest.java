package io.tlswatch.validator.token;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

    @Test
    void tokenDefaultsAre15MinutesWith60SecondsLeewayAnd8KiB() {
        // when
        TokenSettings settings = TokenSettings.defaults("https://issuer", "aud");

        // then
        assertThat(settings.lifetime()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.leeway()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.maxTokenLength()).isEqualTo(8192);
        assertThat(settings.keyRetention()).isEqualTo(Duration.ofMinutes(16));
    }

    @Test
    void implausibleTokenSettingsAreRefused() {
        TokenSettings ok = TokenSettings.defaults("https://issuer", "aud");
        assertThatThrownBy(() -> ok.withLifetime(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withLifetime(Duration.ofDays(2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withLeeway(Duration.ofMinutes(6))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withLeeway(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenSettings.defaults(" ", "aud")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenSettings("i", "a", Duration.ofMinutes(1), Duration.ZERO, 100))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dpopDefaultsAreSixtySecondsAndAsymmetricAlgorithmsOnly() {
        // when
        DpopSettings settings = DpopSettings.defaults();

        // then
        assertThat(settings.iatWindow()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.algorithms()).containsExactlyInAnyOrder("EdDSA", "Ed25519", "ES256", "RS256", "PS256");
    }

    @Test
    void symmetricOrNoneAlgorithmsCannotBeConfiguredForDpop() {
        DpopSettings ok = DpopSettings.defaults();
        assertThatThrownBy(() -> ok.withAlgorithms(Set.of("HS256"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withAlgorithms(Set.of("none"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withAlgorithms(Set.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withIatWindow(Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void signingAlgorithmsParseFromConfigurationInAnyCase() {
        assertThat(SigningAlgorithm.parse("eddsa")).isEqualTo(SigningAlgorithm.EDDSA);
        assertThat(SigningAlgorithm.parse(" ES256 ")).isEqualTo(SigningAlgorithm.ES256);
        assertThatThrownBy(() -> SigningAlgorithm.parse("HS256")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signing algorithm must be EdDSA or ES256, got 'HS256'");
    }

    @Test
    void jwsAlgNamesAreCaseSensitive() {
        assertThat(SigningAlgorithm.fromJws("EdDSA")).contains(SigningAlgorithm.EDDSA);
        assertThat(SigningAlgorithm.fromJws("eddsa")).isEmpty();
        assertThat(SigningAlgorithm.fromJws(null)).isEmpty();
    }
}
