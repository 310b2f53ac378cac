package io.tlswatch.tlsserver.proxy;

import io.netty.util.NetUtil;
import io.tlswatch.contract.config.ConfigException;
import io.tlswatch.contract.config.ConfigSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProxySettingsTest {

    @Test
    void theDefaultIsOffWithNoTrustedProxies() {
        ProxySettings settings = ProxySettings.from(ConfigSource.of(Map.of()));

        assertThat(settings).isEqualTo(ProxySettings.OFF);
        assertThat(settings.awaitsHeader(NetUtil.createInetAddressFromIpAddressString("10.0.0.1"))).isFalse();
    }

    @Test
    void readsTheModeAndAListOfIpv4AndIpv6Networks() {
        ProxySettings settings = ProxySettings.from(ConfigSource.of(Map.of(
                "server.proxyProtocol", "required", "server.trustedProxies", "10.0.0.0/8, 2001:db8::/32,127.0.0.3")));

        assertThat(settings.mode()).isEqualTo(ProxyMode.REQUIRED);
        assertThat(settings.trustedProxies()).extracting(Cidr::toString)
                .containsExactly("10.0.0.0/8", "2001:db8::/32", "127.0.0.3/32");
        assertThat(settings.awaitsHeader(NetUtil.createInetAddressFromIpAddressString("2001:db8::7"))).isTrue();
        assertThat(settings.awaitsHeader(NetUtil.createInetAddressFromIpAddressString("192.0.2.1"))).isFalse();
    }

    @Test
    void readingHeadersWithoutTrustedProxiesIsAnErrorNamingTheKey() {
        for (String mode : List.of("required", "optional")) {
            assertThatThrownBy(() -> ProxySettings.from(ConfigSource.of(Map.of("server.proxyProtocol", mode))))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("server.trustedProxies must list")
                    .hasMessageContaining("server.proxyProtocol is " + mode);
        }
    }

    @Test
    void anInvalidNetworkIsAnErrorNamingTheKeyAndTheValue() {
        assertThatThrownBy(() -> ProxySettings.from(ConfigSource.of(Map.of(
                "server.proxyProtocol", "optional", "server.trustedProxies", "10.0.0.0/8,lb.internal"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("server.trustedProxies: 'lb.internal' is not an IP address");
    }

    @Test
    void anUnknownModeIsAnErrorNamingTheKeyAndTheChoices() {
        assertThatThrownBy(() -> ProxySettings.from(ConfigSource.of(Map.of("server.proxyProtocol", "v2"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("server.proxyProtocol must be one of [off, optional, required], was 'v2'");
    }

    @Test
    void trustedProxiesMayBeListedWhileTheProtocolIsOffButNothingAwaitsAHeader() {
        ProxySettings settings = ProxySettings.from(ConfigSource.of(Map.of("server.trustedProxies", "10.0.0.0/8")));

        assertThat(settings.mode()).isEqualTo(ProxyMode.OFF);
        assertThat(settings.awaitsHeader(NetUtil.createInetAddressFromIpAddressString("10.0.0.1"))).isFalse();
    }
}
