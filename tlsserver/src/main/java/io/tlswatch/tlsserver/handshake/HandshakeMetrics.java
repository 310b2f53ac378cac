package io.tlswatch.tlsserver.handshake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tlswatch.contract.event.ClientHelloSummary;
import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.TlsProvider;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The handshake meters, documented in docs/metrics.md (validator section):
 * {@code tlswatch.handshakes} (outcome, reason, protocol, provider), {@code tlswatch.handshakes.offered}
 * (the highest version a client offered) and {@code tlswatch.handshake.duration} (outcome). Every tag value
 * comes from a fixed set. Also {@code tlswatch.tls.closes} (reason, provider), see {@link TlsCloser}.
 */
public final class HandshakeMetrics implements TlsCloseCounter {

    static final Set<String> VERSIONS = Set.of("SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    private final MeterRegistry registry;
    private final String provider;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<TlsCloseReason, Counter> closes = new EnumMap<>(TlsCloseReason.class);

    public HandshakeMetrics(MeterRegistry registry, TlsProvider provider) {
        this.registry = registry;
        this.provider = provider.name().toLowerCase(Locale.ROOT);
        // Registered now, for every reason, so that a healthy listener shows 0 rather than nothing.
        for (TlsCloseReason reason : TlsCloseReason.values()) {
            closes.put(reason, Counter.builder("tlswatch.tls.closes")
                    .description("TLS connections closed at once after a fatal alert or the client's close_notify")
                    .tags("reason", reason.tag(), "provider", this.provider)
                    .register(registry));
        }
        registerKnown();
    }

    /** Every failure reason and every version a series at 0, so that a healthy listener shows 0 rather than nothing. */
    private void registerKnown() {
        for (FailureReason reason : FailureReason.values()) {
            handshakes("failure", reasonTag(reason), "none");
        }
        handshakes("failure", reasonTag(null), "none");
        for (String version : VERSIONS) {
            handshakes("success", "none", version);
            offered(version);
        }
        handshakes("success", "none", bounded(null));
        offered(bounded(null));
        offered("none");
        duration("success");
        duration("failure");
    }

    @Override
    public void closed(TlsCloseReason reason) {
        closes.get(reason).increment();
    }

    public void record(HandshakeEvent event) {
        boolean success = event.negotiated() != null;
        String outcome = success ? "success" : "failure";
        String reason = success ? "none" : reasonTag(event.failureReason());
        String protocol = success ? bounded(event.negotiated().protocol()) : "none";
        handshakes(outcome, reason, protocol).increment();
        offered(offeredTag(event.clientHello())).increment();
        duration(outcome).record(Duration.ofNanos((long) (event.durationMillis() * 1_000_000)));
    }

    private Counter handshakes(String outcome, String reason, String protocol) {
        return counters.computeIfAbsent("h|" + outcome + '|' + reason + '|' + protocol, k -> Counter.builder("tlswatch.handshakes")
                .description("TLS handshakes by outcome, failure reason and negotiated protocol")
                .tags("outcome", outcome, "reason", reason, "protocol", protocol, "provider", provider)
                .register(registry));
    }

    private Counter offered(String offered) {
        return counters.computeIfAbsent("o|" + offered, k -> Counter.builder("tlswatch.handshakes.offered")
                .description("Handshakes by the highest TLS version the client offered")
                .tags("highest_version", offered, "provider", provider)
                .register(registry));
    }

    private Timer duration(String outcome) {
        return timers.computeIfAbsent(outcome, k -> Timer.builder("tlswatch.handshake.duration")
                .description("Time from the first byte of a connection to the end of its handshake")
                .tags("outcome", outcome, "provider", provider)
                .publishPercentileHistogram()
                .register(registry));
    }

    private static String reasonTag(FailureReason reason) {
        return reason == null ? "other" : reason.name().toLowerCase(Locale.ROOT);
    }

    private static String offeredTag(ClientHelloSummary hello) {
        return hello == null ? "none" : bounded(hello.highestOfferedVersion());
    }

    private static String bounded(String version) {
        return version != null && VERSIONS.contains(version) ? version : "other";
    }
}
