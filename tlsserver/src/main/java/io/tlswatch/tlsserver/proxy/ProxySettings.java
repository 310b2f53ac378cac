package io.tlswatch.tlsserver.proxy;

import io.tlswatch.contract.config.ConfigException;
import io.tlswatch.contract.config.ConfigSource;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The PROXY protocol settings of a service's listeners, the same keys in every service: whether a header is
 * read ({@code server.proxyProtocol}) and from which peers it is believed ({@code server.trustedProxies}).
 */
public record ProxySettings(ProxyMode mode, List<Cidr> trustedProxies) {

    public static final String KEY_MODE = "server.proxyProtocol";
    public static final String KEY_TRUSTED = "server.trustedProxies";
    public static final ProxySettings OFF = new ProxySettings(ProxyMode.OFF, List.of());

    public ProxySettings {
        trustedProxies = List.copyOf(trustedProxies);
        if (mode != ProxyMode.OFF && trustedProxies.isEmpty()) {
            // Reading a header from anyone would let every client choose the address it is recorded and limited by.
            throw new ConfigException(KEY_TRUSTED + " must list the proxies' addresses or CIDRs (e.g. 10.0.0.0/8) "
                    + "when " + KEY_MODE + " is " + mode.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    public static ProxySettings from(ConfigSource c) {
        ProxyMode mode = c.enumValue(KEY_MODE, ProxyMode.class, ProxyMode.OFF);
        List<Cidr> trusted = new ArrayList<>();
        for (String value : c.list(KEY_TRUSTED, List.of())) {
            try {
                trusted.add(Cidr.parse(value));
            } catch (IllegalArgumentException e) {
                // Named here: the message starts with the value, which ConfigSource.checked may take for a key.
                throw new ConfigException(KEY_TRUSTED + ": " + e.getMessage());
            }
        }
        return new ProxySettings(mode, trusted);
    }

    /** Whether a header from {@code peer} is believed. */
    public boolean trusts(InetAddress peer) {
        return trustedProxies.stream().anyMatch(cidr -> cidr.contains(peer));
    }

    /**
     * Whether a connection from {@code peer} may carry a header to be read: its per-address limit then waits for
     * the client address the header names (docs/deployment.md).
     */
    public boolean awaitsHeader(InetAddress peer) {
        return mode != ProxyMode.OFF && trusts(peer);
    }
}
