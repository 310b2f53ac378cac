package io.tlswatch.tlsserver.proxy;

import io.netty.channel.ChannelPipeline;
import io.tlswatch.tlsserver.limits.ConnectionLimiter;

/** One listener's PROXY protocol: what its initializer installs, per its settings. */
public final class ProxyProtocol {

    public static final String HANDLER = "proxy-protocol";

    private final ProxyPolicy policy;
    private final ProxyMeters meters;
    private final ConnectionLimiter limiter;

    /** @param limiter the listener's limiter, built with {@link ProxySettings#awaitsHeader} */
    public ProxyProtocol(ProxySettings settings, ConnectionLimiter limiter, ProxyMeters meters) {
        this.policy = new ProxyPolicy(settings);
        this.meters = meters;
        this.limiter = limiter;
    }

    /**
     * Puts the header gate right behind {@code after} (the connection limiter), in front of everything that reads
     * the client's bytes; nothing when the protocol is off.
     */
    public void install(ChannelPipeline pipeline, String after) {
        if (policy.settings().mode() != ProxyMode.OFF) {
            pipeline.addAfter(after, HANDLER, new ProxyHeaderGate(policy, meters, limiter));
        }
    }
}
