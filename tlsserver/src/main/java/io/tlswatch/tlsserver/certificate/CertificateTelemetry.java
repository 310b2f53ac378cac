package io.tlswatch.tlsserver.certificate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tlswatch.contract.event.CertificateEvent;
import io.tlswatch.contract.event.CertificateEventKind;
import io.tlswatch.contract.event.OcspInfo;
import io.tlswatch.contract.publish.EventSink;
import io.tlswatch.contract.topic.Topics;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The certificate manager's events ({@code tlswatch.certificate/1} on {@code tlswatch.certificates.v1}) and meters,
 * all tagged with the certificate's configured name only (docs/metrics.md, "Certificates").
 */
public final class CertificateTelemetry {

    private final String name;
    private final String source;
    private final EventSink events;
    private final MeterRegistry meters;
    private final Clock clock;

    /** The outcomes of {@link OcspResult#outcome()}. */
    private static final List<String> OCSP_OUTCOMES = List.of("good", "revoked", "unknown", "invalid", "error");

    /**
     * @param source the emitting node of events, {@code <service>@<node>}
     */
    public CertificateTelemetry(String name, String source, EventSink events, MeterRegistry meters, Clock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.source = Objects.requireNonNull(source, "source");
        this.events = Objects.requireNonNull(events, "events");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Gauges read from the manager's state each scrape. */
    void register(Supplier<X509Certificate> leaf, Supplier<Staple> staple) {
        Gauge.builder("tlswatch.certificate.not.after", () -> leaf.get().getNotAfter().getTime() / 1000.0)
                .tag("certificate", name).baseUnit("seconds")
                .description("The served certificate's not-after, as seconds since the epoch")
                .register(meters);
        Gauge.builder("tlswatch.certificate.ocsp.stapled", () -> staple.get() == null ? 0 : 1)
                .tag("certificate", name)
                .description("1 while a good, current OCSP response is stapled to new connections, else 0")
                .register(meters);
        Gauge.builder("tlswatch.certificate.ocsp.staple.age", () -> {
                    Staple s = staple.get();
                    return s == null ? Double.NaN : Duration.between(s.thisUpdate(), clock.instant()).toMillis() / 1000.0;
                })
                .tag("certificate", name).baseUnit("seconds")
                .description("Time since the stapled response's thisUpdate; absent (NaN) without a staple")
                .register(meters);
        Gauge.builder("tlswatch.certificate.ocsp.next.update", () -> {
                    Staple s = staple.get();
                    return s == null ? Double.NaN : s.nextUpdate().toEpochMilli() / 1000.0;
                })
                .tag("certificate", name).baseUnit("seconds")
                .description("The stapled response's nextUpdate, as seconds since the epoch; NaN without a staple")
                .register(meters);
        rotations("rotated");
        rotations("refused");
        // Every outcome from the start, so that dashboards and rate() see 0 rather than nothing.
        for (String outcome : OCSP_OUTCOMES) {
            ocspFetches(outcome);
        }
    }

    void loaded(X509Certificate leaf) {
        publish(base(CertificateEventKind.LOADED, leaf));
    }

    void rotated(X509Certificate leaf, String previousSerial) {
        rotations("rotated").increment();
        publish(base(CertificateEventKind.ROTATED, leaf).previousSerial(previousSerial));
    }

    void refused(String reason, X509Certificate candidate, String servingSerial) {
        rotations("refused").increment();
        CertificateEvent.Builder event = CertificateEvent.builder().kind(CertificateEventKind.ROTATION_REFUSED)
                .certificateName(name).time(clock.instant()).source(source).reason(reason)
                .previousSerial(servingSerial);
        if (candidate != null) {
            describe(event, candidate);
        }
        publish(event);
    }

    void expiring(X509Certificate leaf, int thresholdDays) {
        publish(base(CertificateEventKind.EXPIRING, leaf).thresholdDays(thresholdDays));
    }

    void expired(X509Certificate leaf) {
        publish(base(CertificateEventKind.EXPIRED, leaf));
    }

    private Counter ocspFetches(String outcome) {
        return Counter.builder("tlswatch.certificate.ocsp.fetches").tag("certificate", name).tag("outcome", outcome)
                .description("OCSP fetches by outcome").register(meters);
    }

    void ocspFetched(OcspResult result, Duration took) {
        String outcome = result.outcome();
        ocspFetches(outcome).increment();
        Timer.builder("tlswatch.certificate.ocsp.fetch.duration").tag("certificate", name).tag("outcome", outcome)
                .description("Time to fetch and check an OCSP response").register(meters).record(took);
    }

    void ocspRefreshed(X509Certificate leaf, URI responder, OcspResult.Good good) {
        publish(base(CertificateEventKind.OCSP_REFRESHED, leaf).ocsp(new OcspInfo(
                io.tlswatch.contract.event.OcspStatus.GOOD, good.thisUpdate(), good.nextUpdate(), responder.toString(), null)));
    }

    void ocspRevoked(X509Certificate leaf, URI responder, OcspResult.Revoked revoked) {
        publish(base(CertificateEventKind.OCSP_REVOKED, leaf).reason(revoked.reason()).ocsp(new OcspInfo(
                io.tlswatch.contract.event.OcspStatus.REVOKED, revoked.thisUpdate(), revoked.nextUpdate(),
                responder.toString(), revoked.revokedAt())));
    }

    void ocspFailed(X509Certificate leaf, URI responder, String reason, OcspResult.Unknown unknown) {
        OcspInfo info = unknown == null
                ? new OcspInfo(null, null, null, responder.toString(), null)
                : new OcspInfo(io.tlswatch.contract.event.OcspStatus.UNKNOWN, unknown.thisUpdate(), unknown.nextUpdate(),
                responder.toString(), null);
        publish(base(CertificateEventKind.OCSP_FAILED, leaf).reason(reason).ocsp(info));
    }

    private Counter rotations(String outcome) {
        return Counter.builder("tlswatch.certificate.rotations").tag("certificate", name).tag("outcome", outcome)
                .description("Changed certificate files: rotated in, or refused").register(meters);
    }

    private CertificateEvent.Builder base(CertificateEventKind kind, X509Certificate leaf) {
        return describe(CertificateEvent.builder().kind(kind).certificateName(name).time(clock.instant())
                .source(source), leaf);
    }

    private static CertificateEvent.Builder describe(CertificateEvent.Builder event, X509Certificate leaf) {
        return event.certificate(CertificateFacts.serial(leaf), CertificateFacts.subject(leaf),
                CertificateFacts.issuer(leaf), leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(),
                CertificateFacts.sha256(leaf));
    }

    private void publish(CertificateEvent.Builder event) {
        events.publish(Topics.CERTIFICATES, event.build());
    }
}
