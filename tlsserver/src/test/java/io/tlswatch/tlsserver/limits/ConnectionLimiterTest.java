package io.tlswatch.tlsserver.limits;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ConnectionLimiterTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ConnectionLimiter limiter = new ConnectionLimiter(3, 2, "test", registry);

    /** An embedded channel that claims to come from {@code address}, as a socket would. */
    private EmbeddedChannel connect(String address) {
        InetSocketAddress remote = new InetSocketAddress(address, 40000);
        EmbeddedChannel channel = new EmbeddedChannel(false, false) {
            @Override
            protected SocketAddress remoteAddress0() {
                return remote;
            }
        };
        channel.pipeline().addLast(limiter);
        try {
            channel.register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return channel;
    }

    @Test
    void refusesTheThirdConnectionFromOneAddressButNotFromAnother() {
        EmbeddedChannel first = connect("192.0.2.1");
        EmbeddedChannel second = connect("192.0.2.1");

        EmbeddedChannel third = connect("192.0.2.1");
        EmbeddedChannel elsewhere = connect("192.0.2.2");

        assertThat(first.isOpen()).isTrue();
        assertThat(second.isOpen()).isTrue();
        assertThat(third.isOpen()).isFalse();
        assertThat(elsewhere.isOpen()).isTrue();
        assertThat(registry.get("tlswatch.connections.refused").tag("limit", "per_address").counter().count()).isEqualTo(1.0);
        assertThat(limiter.active()).isEqualTo(3);
        for (EmbeddedChannel c : new EmbeddedChannel[]{first, second, third, elsewhere}) {
            assertFalse(c.finishAndReleaseAll());
        }
        assertThat(limiter.active()).isZero();
    }

    @Test
    void refusesBeyondTheTotalAndCountsIt() {
        EmbeddedChannel a = connect("192.0.2.1");
        EmbeddedChannel b = connect("192.0.2.2");
        EmbeddedChannel c = connect("192.0.2.3");

        EmbeddedChannel d = connect("192.0.2.4");

        assertThat(d.isOpen()).isFalse();
        assertThat(registry.get("tlswatch.connections.refused").tag("limit", "total").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("tlswatch.connections.active").gauge().value()).isEqualTo(3.0);
        for (EmbeddedChannel ch : new EmbeddedChannel[]{a, b, c, d}) {
            assertFalse(ch.finishAndReleaseAll());
        }
    }

    @Test
    void aClosedConnectionFreesItsSlot() {
        EmbeddedChannel first = connect("192.0.2.1");
        EmbeddedChannel second = connect("192.0.2.1");
        assertFalse(first.finishAndReleaseAll());

        EmbeddedChannel again = connect("192.0.2.1");

        assertThat(again.isOpen()).isTrue();
        assertFalse(second.finishAndReleaseAll());
        assertFalse(again.finishAndReleaseAll());
    }
}
