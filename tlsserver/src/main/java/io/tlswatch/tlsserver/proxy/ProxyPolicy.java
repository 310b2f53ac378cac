package io.tlswatch.tlsserver.proxy;

import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Decides what a connection's PROXY header (or its absence) means under the listener's settings; the handlers
 * only carry the decision out.
 */
public final class ProxyPolicy {

    private final ProxySettings settings;

    public ProxyPolicy(ProxySettings settings) {
        this.settings = settings;
    }

    public ProxySettings settings() {
        return settings;
    }

    /**
     * A header has begun on a connection from {@code peer}: {@link ProxyOutcome#UNTRUSTED} unless the peer is a
     * trusted proxy, else {@code null} (read it).
     */
    public ProxyOutcome onHeader(InetAddress peer) {
        return peer != null && settings.trusts(peer) ? null : ProxyOutcome.UNTRUSTED;
    }

    /** The connection began without a header: refused when one is required, else a direct client. */
    public ProxyOutcome withoutHeader() {
        return settings.mode() == ProxyMode.REQUIRED ? ProxyOutcome.MISSING : ProxyOutcome.DIRECT;
    }

    /**
     * What a trusted proxy's decoded header makes of the connection. LOCAL (the proxy's own health check) and a
     * client the proxy could not name (UNKNOWN, UNSPEC, a UNIX socket) keep the proxy's address, as if it had
     * connected directly: there is no client address to believe.
     */
    public Resolution resolve(InetSocketAddress proxy, ProxyHeader header) {
        if (header.command() == HAProxyCommand.LOCAL) {
            return new Resolution(ProxyOutcome.LOCAL, null);
        }
        HAProxyProxiedProtocol.AddressFamily family = header.protocol().addressFamily();
        if (family != HAProxyProxiedProtocol.AddressFamily.AF_IPv4
                && family != HAProxyProxiedProtocol.AddressFamily.AF_IPv6) {
            return new Resolution(ProxyOutcome.UNSPECIFIED, null);
        }
        InetAddress client = address(header.sourceAddress());
        if (client == null) {
            return new Resolution(ProxyOutcome.MALFORMED, null);
        }
        return new Resolution(ProxyOutcome.ACCEPTED, new ProxiedPeer(NetUtil.toAddressString(client),
                header.sourcePort(), NetUtil.toAddressString(proxy.getAddress()), client));
    }

    /**
     * The literal as an address, with an IPv4-mapped IPv6 address (a dual-stack proxy's view of an IPv4 client)
     * as the IPv4 address the same client has when it connects directly; null when it is no IP literal.
     */
    private static InetAddress address(String literal) {
        byte[] bytes = literal == null ? null : NetUtil.createByteArrayFromIpAddressString(literal);
        if (bytes == null) {
            return null;
        }
        try {
            // From bytes, never through DNS; this is what turns ::ffff:a.b.c.d into a.b.c.d.
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** @param peer the client the header named; {@code null} unless {@code outcome} is {@code accepted} */
    public record Resolution(ProxyOutcome outcome, ProxiedPeer peer) {
    }
}
