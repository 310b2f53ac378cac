package io.tlswatch.tlsserver.handshake;

import io.netty.channel.Channel;
import io.netty.util.NetUtil;
import io.tlswatch.tlsserver.proxy.ProxiedPeer;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Who is on the other end of a connection, and which of our ports it reached. Behind a trusted proxy that sent
 * a PROXY header, the client that header named, with the proxy as {@code via}.
 *
 * @param address the client's IP address literal (IPv6 in RFC 5952 form)
 * @param via     the proxy's IP address literal; {@code null} for a direct connection
 */
public record Peer(String address, int port, int localPort, String via) {

    public static Peer of(Channel channel) {
        SocketAddress local = channel.localAddress();
        int localPort = local instanceof InetSocketAddress inet ? inet.getPort() : 0;
        ProxiedPeer proxied = channel.attr(ProxiedPeer.KEY).get();
        if (proxied != null) {
            return new Peer(proxied.address(), proxied.port(), localPort, proxied.via());
        }
        SocketAddress remote = channel.remoteAddress();
        String address = remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? NetUtil.toAddressString(inet.getAddress()) : String.valueOf(remote);
        int port = remote instanceof InetSocketAddress inet ? inet.getPort() : 0;
        return new Peer(address, port, localPort, null);
    }
}
