package io.tlswatch.tlsserver.proxy;

import io.netty.util.AttributeKey;

import java.net.InetAddress;

/**
 * The client behind a trusted proxy, as its PROXY header named it. Set on the connection once the header is
 * read; {@link io.tlswatch.tlsserver.handshake.Peer} reads it, so that events, limits and the API all see the client.
 *
 * @param address the client's IP address literal (IPv6 in RFC 5952 form)
 * @param port    the client's TCP port
 * @param via     the proxy's IP address literal
 * @param client  the client's address, for the per-address connection limit
 */
public record ProxiedPeer(String address, int port, String via, InetAddress client) {

    public static final AttributeKey<ProxiedPeer> KEY = AttributeKey.valueOf(ProxiedPeer.class, "proxied-peer");
}
