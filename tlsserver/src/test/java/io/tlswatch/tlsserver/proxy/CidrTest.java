package io.tlswatch.tlsserver.proxy;

import io.netty.util.NetUtil;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrTest {

    private static InetAddress ip(String literal) {
        return NetUtil.createInetAddressFromIpAddressString(literal);
    }

    @Test
    void anIpv4NetworkContainsItsAddressesOnly() {
        Cidr network = Cidr.parse("10.1.0.0/16");

        assertThat(network.contains(ip("10.1.0.1"))).isTrue();
        assertThat(network.contains(ip("10.1.255.255"))).isTrue();
        assertThat(network.contains(ip("10.2.0.1"))).isFalse();
        assertThat(network).hasToString("10.1.0.0/16");
    }

    @Test
    void anIpv6NetworkContainsItsAddressesAndIsShownInRfc5952Form() {
        Cidr network = Cidr.parse("2001:DB8:0:0::/32");

        assertThat(network.contains(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(network.contains(ip("2001:db9::1"))).isFalse();
        assertThat(network).hasToString("2001:db8::/32");
    }

    @Test
    void aBareAddressIsOneHost() {
        Cidr host = Cidr.parse(" 127.0.0.3 ");

        assertThat(host.contains(ip("127.0.0.3"))).isTrue();
        assertThat(host.contains(ip("127.0.0.4"))).isFalse();
        assertThat(host).hasToString("127.0.0.3/32");
    }

    @Test
    void anAddressOfTheOtherFamilyIsNeverContained() {
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("::1"))).isFalse();
        assertThat(Cidr.parse("::/0").contains(ip("10.0.0.1"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("192.0.2.1"))).isTrue();
    }

    @Test
    void aPrefixWithHostBitsSetIsRefusedWithTheNetworkItProbablyMeant() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.5/8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host bits set").hasMessageContaining("10.0.0.0/8");
    }

    @Test
    void namesPrefixesAndGarbageAreRefused() {
        assertThatThrownBy(() -> Cidr.parse("localhost")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix length outside 0..32");
        assertThatThrownBy(() -> Cidr.parse("::/129")).hasMessageContaining("prefix length outside 0..128");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).hasMessageContaining("prefix length");
    }
}
