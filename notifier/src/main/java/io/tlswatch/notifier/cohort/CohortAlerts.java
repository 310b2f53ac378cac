package io.tlswatch.notifier.cohort;

import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.AlertEvidence;
import io.tlswatch.contract.event.Posture;
import io.tlswatch.contract.event.Severity;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The alerts a cohort is paged with: one firing (again when it grows more urgent) and one resolution. */
final class CohortAlerts {

    static final String KEY_PREFIX = "tls-cohort:";
    private static final String JA4_CAUSE = "ja4:";
    private static final String ERROR_CAUSE = "error:";

    private final String source;
    private final URI queryBaseUrl;

    CohortAlerts(String source, URI queryBaseUrl) {
        this.source = source;
        this.queryBaseUrl = queryBaseUrl;
    }

    AlertEvent firing(Cohort cohort, Instant now) {
        String link = queryUrl(cohort.cause(), cohort.severity());
        String summary = cohort.size() + " clients cannot complete a TLS handshake with the license server for one "
                + "cause, " + cohort.cause() + " (" + String.join(", ", cohort.listed())
                + (cohort.size() > cohort.listed().size() ? ", ..." : "") + ")"
                + (link == null ? "" : "; all of them: " + link);
        return AlertEvent.builder().id(id(cohort, "firing:" + cohort.severity(), now)).time(now).source(source)
                .dedupKey(KEY_PREFIX + cohort.cause()).severity(cohort.severity()).kind(AlertEvent.KIND_CLIENT_COHORT).summary(summary)
                .ja4(ja4(cohort.cause())).posture(posture(cohort.severity()))
                .evidence(evidence(cohort, link)).startsAt(cohort.startsAt()).build();
    }

    AlertEvent resolved(Cohort cohort, Instant now) {
        return AlertEvent.builder().id(id(cohort, "resolved", now)).time(now).source(source)
                .dedupKey(KEY_PREFIX + cohort.cause()).resolved(now)
                .severity(cohort.severity()).kind(AlertEvent.KIND_CLIENT_COHORT)
                .summary("All " + cohort.size() + " clients failing for " + cohort.cause() + " have recovered")
                .ja4(ja4(cohort.cause())).posture(Posture.HEALTHY).previousPosture(posture(cohort.severity()))
                .evidence(new AlertEvidence(Map.of(), Map.of(), List.of(), ja4s(cohort.cause()), null, null, null,
                        null, null, null, null, (long) cohort.size(), cohort.cause(), cohort.listed(), null))
                .startsAt(cohort.startsAt()).build();
    }

    /** The same change of the same cohort at the same moment gets the same id, as the streams job's alerts do. */
    private static String id(Cohort cohort, String what, Instant now) {
        return UUID.nameUUIDFromBytes((KEY_PREFIX + cohort.cause() + "|" + what + "|" + cohort.startsAt() + "|" + now)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    private AlertEvidence evidence(Cohort cohort, String link) {
        AlertEvidence sample = cohort.sample();
        return new AlertEvidence(cohort.failuresByReason(), cohort.reportsByErrorClass(), sample.lastErrors(),
                ja4s(cohort.cause()), sample.highestOfferedVersion(), sample.highestNegotiatedVersion(),
                sample.runtime(), sample.tls(), null, null, null, (long) cohort.size(), cohort.cause(),
                cohort.listed(), link);
    }

    /**
     * The clients query filtered to the cause. At risk is the more urgent posture, so a critical cohort links
     * there; the API lists each posture separately.
     */
    String queryUrl(String cause, Severity severity) {
        if (queryBaseUrl == null) {
            return null;
        }
        String base = queryBaseUrl.toString().replaceAll("/+$", "");
        String posture = severity == Severity.CRITICAL ? "at_risk" : "stuck";
        String filter = cause.startsWith(JA4_CAUSE) ? "ja4=" + encode(cause.substring(JA4_CAUSE.length()))
                : cause.startsWith(ERROR_CAUSE) ? "reason=" + encode(cause.substring(ERROR_CAUSE.length()))
                : "cause=" + encode(cause);
        return base + "/v1/clients?posture=" + posture + "&" + filter;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String ja4(String cause) {
        return cause.startsWith(JA4_CAUSE) ? cause.substring(JA4_CAUSE.length()) : null;
    }

    private static Set<String> ja4s(String cause) {
        String ja4 = ja4(cause);
        return ja4 == null ? Set.of() : Set.of(ja4);
    }

    private static Posture posture(Severity severity) {
        return severity == Severity.CRITICAL ? Posture.AT_RISK : Posture.STUCK;
    }
}
