package io.tlswatch.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlswatch.client.http.ClientTls;
import io.tlswatch.client.log.SdkLog;
import io.tlswatch.client.report.Classification;
import io.tlswatch.client.report.FailureReport;
import io.tlswatch.client.report.RefusalClassifier;
import io.tlswatch.client.report.Reporter;
import io.tlswatch.client.report.TlsFailureClassifier;
import io.tlswatch.client.token.TokenException;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Runs a {@link LicenseCheck}, one at a time, and decides when the next one is due: after a verdict when the
 * check says, after anything else with a backoff from 1 s up to {@code maxRetryInterval}. A failure becomes the
 * status's last failure; one this client or its network caused is also reported to the collector.
 */
final class RetryingCheck {

    private static final SdkLog LOG = SdkLog.of(LicenseClient.class);

    private final LicenseCheck check;
    private final Clock clock;
    private final EntitlementTracker tracker;
    private final TlsFailureClassifier classifier = new TlsFailureClassifier();
    private final RefusalClassifier refusals;
    private final Reporter reporter;
    private final Report report;
    private final Duration maxRetryInterval;
    private final Object validation = new Object();
    private Duration retry = LicenseCheck.FIRST_RETRY;

    RetryingCheck(LicenseCheck check, Clock clock, EntitlementTracker tracker, RefusalClassifier refusals,
                  Reporter reporter, Report report, Duration maxRetryInterval) {
        this.check = check;
        this.clock = clock;
        this.tracker = tracker;
        this.refusals = refusals;
        this.reporter = reporter;
        this.report = report;
        this.maxRetryInterval = maxRetryInterval;
    }

    /** @return how long until the next check should run */
    Duration run() {
        synchronized (validation) {
            Instant started = clock.instant();
            try {
                Duration next = check.run();
                // A verdict: the next check is a schedule, not a retry. (Refusals keep backing off.)
                retry = LicenseCheck.FIRST_RETRY;
                return next;
            } catch (IOException e) {
                Classification classification = classifier.classify(e);
                tracker.failed(classification.errorClass(), classification.message(), started);
                LOG.info("license check failed: {0}", classification);
                if (classification.reportable()) {
                    report(classification, started);
                }
            } catch (TokenException e) {
                if (e.clockOffset().isPresent()) {
                    refused(refusals.refusedTokenTimes(e.reason(), e.getMessage(), e.clockOffset().get()), started);
                } else {
                    tracker.failed("token." + e.reason(), e.getMessage(), started);
                    LOG.warning("entitlement token refused: {0}", e.getMessage());
                }
            } catch (LicenseCheck.RefusedException e) {
                refused(e.classification(), started);
            } catch (LicenseCheck.ServerAnswerException e) {
                tracker.failed(e.errorClass(), e.getMessage(), started);
                LOG.warning("license server answer not usable: {0}", e.getMessage());
            } catch (RuntimeException e) {
                tracker.failed("sdk.error", e.toString(), started);
                LOG.error("license check failed unexpectedly", e);
            }
            Duration wait = retry;
            retry = retry.multipliedBy(2).compareTo(maxRetryInterval) > 0 ? maxRetryInterval : retry.multipliedBy(2);
            return wait;
        }
    }

    /** A check refused because of this client: kept as its last failure, and reported like a TLS failure. */
    private void refused(Classification classification, Instant started) {
        tracker.failed(classification.errorClass(), classification.message(), started);
        LOG.warning("license check refused because of this client: {0}", classification);
        report(classification, started);
    }

    private void report(Classification classification, Instant occurredAt) {
        reporter.submit(FailureReport.of(report.json, report.clientId,
                tracker.status(clock.instant()).licenseId().orElse(null), occurredAt, report.validateUri,
                classification, report.tls, report.appVersion));
    }

    /** What every failure report of this installation says besides the failure. */
    static final class Report {
        private final ObjectMapper json;
        private final String clientId;
        private final String validateUri;
        private final ClientTls tls;
        private final String appVersion;

        Report(ObjectMapper json, String clientId, String validateUri, ClientTls tls, String appVersion) {
            this.json = json;
            this.clientId = clientId;
            this.validateUri = validateUri;
            this.tls = tls;
            this.appVersion = appVersion;
        }
    }
}
