package io.tlswatch.streams.posture;

import io.tlswatch.contract.event.ErrorClass;
import io.tlswatch.contract.event.Posture;
import io.tlswatch.streams.config.PostureRulesConfig;
import io.tlswatch.streams.event.TlsVersions;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
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
 *   <li>{@code stuck}: it cannot reach the license server. Since its last modern (TLS 1.2+) completed handshake,
 *       within the window, at least {@code stuckMinFailures} failures to complete a handshake for a TLS cause
 *       (version or cipher mismatch, unknown CA, certificate dates, names or others, from failed handshakes and
 *       its reports) plus checks refused for a cause on its side since its last valid check (its clock, its
 *       proof); or one ClientHello offering nothing above TLS 1.1 that is surely its own.</li>
 *   <li>{@code at_risk}: stuck, and the later of its entitlement's expiry and its license grace is within
 *       {@code atRiskHorizon} (or already past), or it was never seen with a valid check.</li>
 *   <li>{@code degraded}: not stuck, but its latest completed handshake was TLS 1.2 without an AEAD suite, or
 *       since its last successful handshake (check) it shows fewer such failures (refusals) than make it stuck,
 *       or a clock offset beyond {@code maxClockSkew}.</li>
 *   <li>{@code healthy} otherwise.</li>
 * </ul>
 */
public final class PostureRules {

    private static final Set<String> MISMATCH_FAILURES = Set.of("protocol_version", "no_shared_cipher",
            "no_shared_group");
    private static final int LAST_ERRORS = 5;

    /**
     * The TLS causes that keep a client from the license server, in the order their reasons are listed: the
     * failure reasons of attributed handshakes and the error classes of reports that show each.
     */
    enum TlsCause {
        VERSION_OR_CIPHER("version_or_cipher_mismatch", MISMATCH_FAILURES,
                Set.of(ErrorClass.VERSION_OR_CIPHER_MISMATCH)),
        TRUST_STORE("old_trust_store", Set.of("unknown_ca"), Set.of(ErrorClass.CERT_AUTHORITY_INVALID)),
        CERTIFICATE_DATE("certificate_date_errors", Set.of("certificate_expired"),
                Set.of(ErrorClass.CERT_DATE_INVALID)),
        CERTIFICATE_NAME("certificate_name_errors", Set.of(), Set.of(ErrorClass.CERT_NAME_INVALID)),
        CERTIFICATE("certificate_errors", Set.of("bad_certificate"), Set.of(ErrorClass.CERT_INVALID,
                ErrorClass.CERT_REVOKED, ErrorClass.CERT_PINNED_KEY_NOT_IN_CERT_CHAIN, ErrorClass.BAD_CLIENT_AUTH_CERT));

        final String reason;
        private final Set<String> failures;
        private final Set<ErrorClass> reports;

        TlsCause(String reason, Set<String> failures, Set<ErrorClass> reports) {
            this.reason = reason;
            this.failures = failures;
            this.reports = reports;
        }

        static TlsCause of(Observation o) {
            ErrorClass reported = o.kind() == ObservationKind.REPORT
                    ? ErrorClass.fromWire(o.detail()).orElse(null) : null;
            for (TlsCause c : values()) {
                if (o.kind() == ObservationKind.FAILURE && c.failures.contains(o.detail())
                        || reported != null && c.reports.contains(reported)) {
                    return c;
                }
            }
            return null;
        }
    }

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
        SortedSet<String> ownJa4s = new TreeSet<>();
        SortedSet<String> addresses = new TreeSet<>();
        String offered = null;
        String negotiated = null;
        Instant lastModern = null;
        Instant lastValid = null;
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
                if (o.firstHand()) {
                    ownJa4s.add(o.ja4());
                }
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
            if (o.validCheck() && (lastValid == null || o.time().isAfter(lastValid))) {
                lastValid = o.time();
            }
        }

        // Only what happened after the last modern handshake can keep a client from the license server: once
        // it completes one, whatever failed before it is behind it. Likewise a valid check puts its refusals
        // behind it.
        List<Observation> sinceModern = after(window, lastModern);
        List<Observation> sinceValid = after(window, lastValid);
        Map<TlsCause, Long> causes = new EnumMap<>(TlsCause.class);
        for (Observation o : sinceModern) {
            TlsCause cause = TlsCause.of(o);
            if (cause != null) {
                causes.merge(cause, 1L, Long::sum);
            }
        }
        Map<Refusals.Cause, Long> refusals = new EnumMap<>(Refusals.Cause.class);
        Duration skew = null;
        for (Observation o : sinceValid) {
            Refusals.Cause cause = Refusals.of(o, config.maxClockSkew());
            if (cause != Refusals.Cause.NONE) {
                refusals.merge(cause, 1L, Long::sum);
            }
            // The newest clock reading since the last valid check: a proof's offset or a report's clock.
            if (o.clockSkew() != null && (o.kind() == ObservationKind.REPORT || cause != Refusals.Cause.NONE)) {
                skew = o.clockSkew();
            }
        }
        long blocked = causes.values().stream().mapToLong(Long::longValue).sum()
                + refusals.values().stream().mapToLong(Long::longValue).sum();
        // An outdated offer convicts on its own only when it is surely the client's: its own connection, a
        // fingerprint it was seen with itself, or nothing modern from it to contradict it. Otherwise (a modern
        // client behind an address it shares) it counts as one more mismatch if it failed.
        boolean noModern = lastModern == null;
        String oldOffer = sinceModern.stream().filter(o -> TlsVersions.outdated(o.offered()))
                .filter(o -> o.firstHand() || ownJa4s.contains(o.ja4()) || noModern)
                .map(Observation::offered).max(TlsVersions.ORDER).orElse(null);
        boolean clockSkewed = refusals.containsKey(Refusals.Cause.CLOCK)
                || skew != null && skew.abs().compareTo(config.maxClockSkew()) > 0;

        List<String> reasons = new ArrayList<>();
        Posture posture;
        Instant runsOut = latest(state.entitlementExpiresAt(), state.licenseGraceUntil());
        Duration timeLeft = runsOut == null ? null : Duration.between(now, runsOut);
        if (blocked >= config.stuckMinFailures() || oldOffer != null) {
            posture = Posture.STUCK;
            causes.forEach((cause, n) -> reasons.add(cause.reason + ":" + n));
            if (oldOffer != null) {
                reasons.add("offers_only:" + sinceModern.stream().map(Observation::offered)
                        .filter(TlsVersions::known).max(TlsVersions.ORDER).orElse(oldOffer));
            }
            refusalReasons(refusals, clockSkewed, skew, reasons);
            if (state.lastValidCheck() == null) {
                // Nothing says how long it can go on: it may be running on a grace we never saw, or not at all.
                posture = Posture.AT_RISK;
                reasons.add("never_validated");
            } else if (timeLeft != null && timeLeft.compareTo(config.atRiskHorizon()) <= 0) {
                posture = Posture.AT_RISK;
                reasons.add(timeLeft.isNegative() || timeLeft.isZero() ? "entitlement_ran_out"
                        : "entitlement_runs_out_in:" + coarse(timeLeft));
            }
        } else {
            if (lastCompleted != null && TlsVersions.TLS_1_2.equals(lastCompleted.protocol())
                    && !TlsVersions.aead(lastCompleted.cipherSuite())) {
                reasons.add("tls12_without_aead:" + lastCompleted.cipherSuite());
            }
            causes.forEach((cause, n) -> {
                // Mismatches below the threshold say nothing yet: behind a shared address they may be a
                // neighbour's.
                if (cause != TlsCause.VERSION_OR_CIPHER && n >= config.degradedMinEvidence()) {
                    reasons.add(cause.reason + ":" + n);
                }
            });
            refusalReasons(refusals, clockSkewed, skew, reasons);
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

    private static List<Observation> after(List<Observation> window, Instant cutoff) {
        return cutoff == null ? window : window.stream().filter(o -> o.time().isAfter(cutoff)).toList();
    }

    private static void refusalReasons(Map<Refusals.Cause, Long> refusals, boolean clockSkewed, Duration skew,
                                       List<String> reasons) {
        if (clockSkewed) {
            reasons.add(skew == null ? "clock_skew" : "clock_skew:" + Refusals.skew(skew));
        }
        long proof = refusals.getOrDefault(Refusals.Cause.PROOF_INVALID, 0L);
        if (proof > 0) {
            reasons.add("proof_invalid:" + proof);
        }
        long missing = refusals.getOrDefault(Refusals.Cause.PROOF_REQUIRED, 0L);
        if (missing > 0) {
            reasons.add("proof_required:" + missing);
        }
    }

    /** Hours (minutes under an hour), so the reason does not change with every evaluation. */
    private static Duration coarse(Duration d) {
        return d.compareTo(Duration.ofHours(1)) >= 0 ? Duration.ofHours(d.toHours()) : Duration.ofMinutes(d.toMinutes());
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
