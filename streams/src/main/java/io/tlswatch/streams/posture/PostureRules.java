package io.tlswatch.streams.posture;

import io.tlswatch.common.event.Posture;
import io.tlswatch.streams.config.PostureRulesConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The posture rules of docs/posture.md, as a pure function of a client's remembered evidence and the time.
 *
 * <ul>
 *   <li>{@code stuck}: since its last modern (TLS 1.2+) completed handshake, within the window, at least
 *       {@code stuckMinFailures} version or cipher mismatches (failed handshakes, or reports of
 *       {@code tls.version_or_cipher_mismatch}), or a ClientHello offering nothing above TLS 1.1.</li>
 *   <li>{@code at_risk}: stuck, and the later of its entitlement's expiry and its license grace is within
 *       {@code atRiskHorizon} (or already past).</li>
 *   <li>{@code degraded}: not stuck, but its latest completed handshake was TLS 1.2 without an AEAD suite,
 *       or it shows trust-store errors, certificate date errors or a clock offset beyond
 *       {@code maxClockSkew}.</li>
 *   <li>{@code healthy} otherwise.</li>
 * </ul>
 */
public final class PostureRules {

    static final String MISMATCH_REPORT = "tls.version_or_cipher_mismatch";
    private static final Set<String> MISMATCH_FAILURES = Set.of("protocol_version", "no_shared_cipher",
            "no_shared_group");
    private static final Set<String> TRUST_STORE_REPORTS = Set.of("tls.cert.authority_invalid");
    private static final Set<String> DATE_REPORTS = Set.of("tls.cert.date_invalid");
    private static final int LAST_ERRORS = 5;

    private final PostureRulesConfig config;

    public PostureRules(PostureRulesConfig config) {
        this.config = config;
    }

    public PostureRulesConfig config() {
        return config;
    }

    public Assessment assess(ClientState state, Instant now) {
        Instant from = now.minus(config.window());
        List<Observation> window = state.observations().stream().filter(o -> !o.time().isBefore(from)).toList();

        Map<String, Long> failures = new TreeMap<>();
        Map<String, Long> reports = new TreeMap<>();
        SortedSet<String> ja4s = new TreeSet<>();
        SortedSet<String> addresses = new TreeSet<>();
        String offered = null;
        String negotiated = null;
        Instant lastModern = null;
        Observation lastCompleted = null;
        for (Observation o : window) {
            switch (o.kind()) {
                case FAILURE -> failures.merge(o.detail(), 1L, Long::sum);
                case REPORT -> reports.merge(o.detail(), 1L, Long::sum);
                default -> {
                }
            }
            if (o.ja4() != null) {
                ja4s.add(o.ja4());
            }
            if (o.address() != null) {
                addresses.add(o.address());
            }
            offered = TlsVersions.max(offered, o.offered());
            if (o.completed()) {
                negotiated = TlsVersions.max(negotiated, o.protocol());
                if (lastCompleted == null || !o.time().isBefore(lastCompleted.time())) {
                    lastCompleted = o;
                }
            }
            if (o.modernSuccess() && (lastModern == null || o.time().isAfter(lastModern))) {
                lastModern = o.time();
            }
        }

        // Only what happened after the last modern handshake can make a client stuck: once it completes
        // one, whatever failed before it is behind it.
        Instant modernCutoff = lastModern;
        List<Observation> sinceModern = modernCutoff == null ? window
                : window.stream().filter(o -> o.time().isAfter(modernCutoff)).toList();
        long mismatches = sinceModern.stream().filter(PostureRules::mismatch).count();
        String oldOffer = sinceModern.stream().map(Observation::offered).filter(TlsVersions::outdated)
                .max(TlsVersions.ORDER).orElse(null);

        List<String> reasons = new ArrayList<>();
        Posture posture;
        Instant runsOut = latest(state.entitlementExpiresAt(), state.licenseGraceUntil());
        Duration timeLeft = runsOut == null ? null : Duration.between(now, runsOut);
        if (mismatches >= config.stuckMinFailures() || oldOffer != null) {
            posture = Posture.STUCK;
            if (mismatches > 0) {
                reasons.add("version_or_cipher_mismatch:" + mismatches);
            }
            if (oldOffer != null) {
                reasons.add("offers_only:" + sinceModern.stream().map(Observation::offered)
                        .filter(TlsVersions::known).max(TlsVersions.ORDER).orElse(oldOffer));
            }
            if (timeLeft != null && timeLeft.compareTo(config.atRiskHorizon()) <= 0) {
                posture = Posture.AT_RISK;
                reasons.add(timeLeft.isNegative() || timeLeft.isZero() ? "entitlement_ran_out"
                        : "entitlement_runs_out_in:" + coarse(timeLeft));
            }
        } else {
            if (lastCompleted != null && TlsVersions.TLS_1_2.equals(lastCompleted.protocol())
                    && !TlsVersions.aead(lastCompleted.cipherSuite())) {
                reasons.add("tls12_without_aead:" + lastCompleted.cipherSuite());
            }
            long trust = failures.getOrDefault("unknown_ca", 0L)
                    + window.stream().filter(o -> o.kind() == ObservationKind.REPORT
                    && TRUST_STORE_REPORTS.contains(o.detail())).count();
            if (trust >= config.degradedMinEvidence()) {
                reasons.add("old_trust_store:" + trust);
            }
            long dates = failures.getOrDefault("certificate_expired", 0L)
                    + window.stream().filter(o -> o.kind() == ObservationKind.REPORT
                    && DATE_REPORTS.contains(o.detail())).count();
            if (dates >= config.degradedMinEvidence()) {
                reasons.add("certificate_date_errors:" + dates);
            }
            Duration skew = window.stream().map(Observation::clockSkew).filter(s -> s != null)
                    .reduce((a, b) -> b).orElse(null);
            if (skew != null && skew.abs().compareTo(config.maxClockSkew()) > 0) {
                reasons.add("clock_offset:" + skew.withNanos(0));
            }
            posture = reasons.isEmpty() ? Posture.HEALTHY : Posture.DEGRADED;
        }

        List<String> lastErrors = new ArrayList<>();
        for (int i = window.size() - 1; i >= 0 && lastErrors.size() < LAST_ERRORS; i--) {
            Observation o = window.get(i);
            if (o.message() != null && (o.kind() == ObservationKind.FAILURE || o.kind() == ObservationKind.REPORT)) {
                lastErrors.add(o.message());
            }
        }
        String offeredSinceModern = sinceModern.stream().map(Observation::offered).filter(TlsVersions::known)
                .max(TlsVersions.ORDER).orElse(null);
        return new Assessment(posture, List.copyOf(reasons), failures, reports, offered, offeredSinceModern,
                negotiated, ja4s,
                addresses, lastErrors, runsOut, timeLeft);
    }

    /** Hours (minutes under an hour), so the reason does not change with every evaluation. */
    private static Duration coarse(Duration d) {
        return d.compareTo(Duration.ofHours(1)) >= 0 ? Duration.ofHours(d.toHours()) : Duration.ofMinutes(d.toMinutes());
    }

    private static boolean mismatch(Observation o) {
        return (o.kind() == ObservationKind.FAILURE && MISMATCH_FAILURES.contains(o.detail()))
                || (o.kind() == ObservationKind.REPORT && MISMATCH_REPORT.equals(o.detail()));
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.isAfter(b) ? a : b;
    }
}
