package io.tlswatch.tlsserver.host;

import io.micrometer.core.instrument.Counter;
import io.netty.channel.group.ChannelGroup;
import io.tlswatch.tlsserver.limits.ConnectionLimiter;
import io.tlswatch.tlsserver.limits.InFlightRequests;
import io.tlswatch.tlsserver.proxy.ProxyProtocol;

import java.time.Clock;

/**
 * What every connection of one listener passes through before the service's own handler: its limits, the PROXY
 * header, and the bookkeeping the host needs to stop it (open connections, requests in flight).
 *
 * @param name            the {@code listener} tag of the listener's meters
 * @param requestTimeouts requests that did not arrive in time (408)
 */
public record ListenerParts(String name, ServerSettings settings, ChannelGroup connections, ConnectionLimiter limiter,
                            InFlightRequests inFlight, Counter requestTimeouts, ProxyProtocol proxy, Clock clock) {
}
