package io.tlswatch.common.handshake;

import io.netty.channel.Channel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Who is on the other end of a connection, and which of our ports it reached. */
public record Peer(String address, int port, int localPort) {

    public static Peer of(Channel channel) {
        SocketAddress remote = channel.remoteAddress();
        SocketAddress local = channel.localAddress();
        String address = remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(remote);
        int port = remote instanceof InetSocketAddress inet ? inet.getPort() : 0;
        int localPort = local instanceof InetSocketAddress inet ? inet.getPort() : 0;
        return new Peer(address, port, localPort);
    }
}
