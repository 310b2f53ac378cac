package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What led to an alert, for the person paged and for the pager's custom details. Every field is optional:
 * each alert kind fills what applies to it.
 *
 * @param failuresByReason         handshake failures within the window, by failure reason value
 * @param reportsByErrorClass      client reports within the window, by error class
 * @param lastErrors               the latest raw error messages, newest first, a few at most
 * @param ja4s                     the fingerprints involved, sorted
 * @param highestOfferedVersion    the highest TLS version offered
 * @param highestNegotiatedVersion the highest TLS version negotiated
 * @param runtime                  the client's reported runtime
 * @param tls                      the client's reported TLS stack
 * @param entitlementExpiresAt     when the client's last entitlement token expires
 * @param entitlementTimeLeft      how long the client keeps working on what it has: from the alert's time to
 *                                 the later of {@code entitlementExpiresAt} and {@code licenseGraceUntil}
 *                                 (negative once run out)
 * @param licenseGraceUntil        until when the client can keep working offline
 * @param distinctClients          for fingerprint alerts: how many clients run the fingerprint; for cohort alerts:
 *                                 how many clients the cohort holds
 * @param cause                    for stuck and at-risk client alerts: what the client fails on, one key shared by
 *                                 every client failing the same way ({@code ja4:<ja4>} or {@code error:<class>},
 *                                 docs/alerting.md); the notifier pages a cohort of them once
 * @param clients                  for cohort alerts: the first clients of the cohort, a bounded list
 * @param queryUrl                 for cohort alerts: the query API's URL listing the cohort's clients
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AlertEvidence(
        Map<String, Long> failuresByReason,
        Map<String, Long> reportsByErrorClass,
        List<String> lastErrors,
        Set<String> ja4s,
        String highestOfferedVersion,
        String highestNegotiatedVersion,
        RuntimeInfo runtime,
        TlsStack tls,
        Instant entitlementExpiresAt,
        Duration entitlementTimeLeft,
        Instant licenseGraceUntil,
        Long distinctClients,
        String cause,
        List<String> clients,
        String queryUrl) {

    private static final AlertEvidence NONE =
            new AlertEvidence(null, null, null, null, null, null, null, null, null, null, null, null);

    /** Evidence without the cohort fields ({@code cause}, {@code clients}, {@code queryUrl}). */
    public AlertEvidence(Map<String, Long> failuresByReason, Map<String, Long> reportsByErrorClass,
                         List<String> lastErrors, Set<String> ja4s, String highestOfferedVersion,
                         String highestNegotiatedVersion, RuntimeInfo runtime, TlsStack tls,
                         Instant entitlementExpiresAt, Duration entitlementTimeLeft, Instant licenseGraceUntil,
                         Long distinctClients) {
        this(failuresByReason, reportsByErrorClass, lastErrors, ja4s, highestOfferedVersion, highestNegotiatedVersion,
                runtime, tls, entitlementExpiresAt, entitlementTimeLeft, licenseGraceUntil, distinctClients, null, null,
                null);
    }

    public AlertEvidence {
        failuresByReason = Fields.counts("failuresByReason", failuresByReason);
        reportsByErrorClass = Fields.counts("reportsByErrorClass", reportsByErrorClass);
        lastErrors = Fields.list("lastErrors", lastErrors);
        ja4s = Fields.sortedSet("ja4s", ja4s);
        Fields.optionalText("highestOfferedVersion", highestOfferedVersion);
        Fields.optionalText("highestNegotiatedVersion", highestNegotiatedVersion);
        entitlementExpiresAt = Fields.millis(entitlementExpiresAt);
        licenseGraceUntil = Fields.millis(licenseGraceUntil);
        if (distinctClients != null) {
            Fields.nonNegative("distinctClients", distinctClients);
        }
        Fields.optionalText("cause", cause);
        // Absent (not an empty array) when not a cohort alert, so that client alerts look as they always did.
        clients = clients == null ? null : Fields.list("clients", clients);
        Fields.optionalText("queryUrl", queryUrl);
    }

    /** This evidence with {@code cause} set. */
    public AlertEvidence withCause(String value) {
        return new AlertEvidence(failuresByReason, reportsByErrorClass, lastErrors, ja4s, highestOfferedVersion,
                highestNegotiatedVersion, runtime, tls, entitlementExpiresAt, entitlementTimeLeft, licenseGraceUntil,
                distinctClients, value, clients, queryUrl);
    }

    /** Evidence with nothing in it. */
    public static AlertEvidence none() {
        return NONE;
    }
}
