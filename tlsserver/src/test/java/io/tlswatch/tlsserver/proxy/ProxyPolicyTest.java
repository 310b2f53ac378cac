package io.tlswatch.tlsserver.proxy;

import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyPolicyTest {

    private static final InetSocketAddress PROXY = new InetSocketAddress(ip("10.0.0.7"), 40000);

    private static InetAddress ip(String literal) {
        return NetUtil.createInetAddressFromIpAddressString(literal);
    }

    private static ProxyPolicy policy(ProxyMode mode) {
        return new ProxyPolicy(new ProxySettings(mode, List.of(Cidr.parse("10.0.0.0/24"), Cidr.parse("fd00::/8"))));
    }

    @Test
    void aHeaderIsReadOnlyFromATrustedProxy() {
        ProxyPolicy policy = policy(ProxyMode.OPTIONAL);

        assertThat(policy.onHeader(ip("10.0.0.7"))).isNull();
        assertThat(policy.onHeader(ip("fd00::1"))).isNull();
        assertThat(policy.onHeader(ip("10.0.1.7"))).isEqualTo(ProxyOutcome.UNTRUSTED);
        assertThat(policy.onHeader(null)).as("no address to trust").isEqualTo(ProxyOutcome.UNTRUSTED);
    }

    @Test
    void noHeaderIsADirectClientWhenOptionalAndRefusedWhenRequired() {
        assertThat(policy(ProxyMode.OPTIONAL).withoutHeader()).isEqualTo(ProxyOutcome.DIRECT);
        assertThat(policy(ProxyMode.REQUIRED).withoutHeader()).isEqualTo(ProxyOutcome.MISSING);
        assertThat(ProxyOutcome.MISSING.refused()).isTrue();
        assertThat(ProxyOutcome.DIRECT.refused()).isFalse();
    }

    @Test
    void aProxiedIpv4ClientBecomesThePeerWithTheProxyAsVia() {
        ProxyPolicy.Resolution resolution = policy(ProxyMode.REQUIRED).resolve(PROXY,
                new ProxyHeader(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4, "203.0.113.24", 51544));

        assertThat(resolution.outcome()).isEqualTo(ProxyOutcome.ACCEPTED);
        assertThat(resolution.peer()).isEqualTo(new ProxiedPeer("203.0.113.24", 51544, "10.0.0.7",
                ip("203.0.113.24")));
    }

    @Test
    void aProxiedIpv6ClientIsWrittenInRfc5952Form() {
        ProxyPolicy.Resolution resolution = policy(ProxyMode.REQUIRED).resolve(PROXY,
                new ProxyHeader(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP6, "2001:db8:0:0:0:0:0:1", 443));

        assertThat(resolution.peer().address()).isEqualTo("2001:db8::1");
    }

    @Test
    void anIpv4MappedClientIsWrittenAsTheIpv4AddressADirectClientWouldHave() {
        ProxyPolicy.Resolution resolution = policy(ProxyMode.REQUIRED).resolve(PROXY,
                new ProxyHeader(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP6, "::ffff:203.0.113.24", 443));

        assertThat(resolution.peer().address()).isEqualTo("203.0.113.24");
    }

    @Test
    void aLocalHeaderIsTheProxysOwnConnection() {
        ProxyPolicy.Resolution resolution = policy(ProxyMode.REQUIRED).resolve(PROXY,
                new ProxyHeader(HAProxyCommand.LOCAL, HAProxyProxiedProtocol.UNKNOWN, null, 0));

        assertThat(resolution).isEqualTo(new ProxyPolicy.Resolution(ProxyOutcome.LOCAL, null));
    }

    @Test
    void aClientTheProxyCouldNotNameKeepsTheProxysAddress() {
        ProxyPolicy policy = policy(ProxyMode.REQUIRED);

        assertThat(policy.resolve(PROXY, new ProxyHeader(HAProxyCommand.PROXY, HAProxyProxiedProtocol.UNKNOWN,
                null, 0))).isEqualTo(new ProxyPolicy.Resolution(ProxyOutcome.UNSPECIFIED, null));
        assertThat(policy.resolve(PROXY, new ProxyHeader(HAProxyCommand.PROXY, HAProxyProxiedProtocol.UNIX_STREAM,
                "/run/client.sock", 0)).outcome()).isEqualTo(ProxyOutcome.UNSPECIFIED);
    }
}
