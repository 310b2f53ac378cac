package io.tlswatch.tlsserver.proxy;

import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;

/**
 * What a decoded PROXY header says, copied off Netty's reference-counted message.
 *
 * @param sourceAddress the client's address as the proxy saw it; {@code null} for LOCAL and UNKNOWN
 */
public record ProxyHeader(HAProxyCommand command, HAProxyProxiedProtocol protocol, String sourceAddress,
                          int sourcePort) {

    public static ProxyHeader of(HAProxyMessage message) {
        return new ProxyHeader(message.command(), message.proxiedProtocol(), message.sourceAddress(),
                message.sourcePort());
    }
}
