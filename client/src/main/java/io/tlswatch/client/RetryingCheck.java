package io.tlswatch.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlswatch.client.ValidationRequest.Call;
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
import java.util.Locale;

/**
 * Runs a {@link LicenseCheck} (and the other exchanges with the server), one at a time, and decides when the next one is due: after a verdict when the
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

    /** One exchange with the server, as {@link LicenseCheck} makes them. */
    interface Step {
        /** @return how long until the next check, after a verdict */
        Duration run() throws IOException, TokenException, LicenseCheck.ServerAnswerException,
                LicenseCheck.RefusedException;
    }

    /** @return how long until the next check should run */
    Duration run() {
        return run(Call.VALIDATE, check::run);
    }

    /**
     * Runs a check (a validation, an activation) whose failures back off.
     *
     * @param call what {@code step} calls, for failure reports
     * @return how long until the next check should run
     */
    Duration run(Call call, Step step) {
        synchronized (validation) {
            Duration next = attempt(call, step);
            if (next != null) {
                // A verdict: the next check is a schedule, not a retry. (Refusals keep backing off.)
                retry = LicenseCheck.FIRST_RETRY;
                return next;
            }
            Duration wait = retry;
            retry = retry.multipliedBy(2).compareTo(maxRetryInterval) > 0 ? maxRetryInterval : retry.multipliedBy(2);
            return wait;
        }
    }

    /**
     * Runs one exchange (serialised with the checks) whose caller keeps its own pace: a heartbeat, a deactivation.
     *
     * @return what {@code step} returned after an answer; {@code null} when no answer came (the failure is the
     * status's last failure, and reported when this client or its network caused it)
     */
    Duration attempt(Call call, Step step) {
        synchronized (validation) {
            Instant started = clock.instant();
            try {
                return step.run();
            } catch (IOException e) {
                Classification classification = classifier.classify(e);
                tracker.failed(classification.errorClass(), classification.message(), started);
                LOG.info("license {0} failed: {1}", name(call), classification);
                if (classification.reportable()) {
                    report(classification, started, call);
                }
            } catch (TokenException e) {
                if (e.clockOffset().isPresent()) {
                    refused(refusals.refusedTokenTimes(e.reason(), e.getMessage(), e.clockOffset().get()), started,
                            call);
                } else {
                    tracker.failed("token." + e.reason(), e.getMessage(), started);
                    LOG.warning("entitlement token refused: {0}", e.getMessage());
                }
            } catch (LicenseCheck.RefusedException e) {
                refused(e.classification(), started, call);
            } catch (LicenseCheck.ServerAnswerException e) {
                tracker.failed(e.errorClass(), e.getMessage(), started);
                LOG.warning("license server answer not usable: {0}", e.getMessage());
            } catch (RuntimeException e) {
                tracker.failed("sdk.error", e.toString(), started);
                LOG.error("license " + name(call) + " failed unexpectedly", e);
            }
            return null;
        }
    }

    private static String name(Call call) {
        return call == Call.VALIDATE ? "check" : call.name().toLowerCase(Locale.ROOT);
    }

    /** A check refused because of this client: kept as its last failure, and reported like a TLS failure. */
    private void refused(Classification classification, Instant started, Call call) {
        tracker.failed(classification.errorClass(), classification.message(), started);
        LOG.warning("license {0} refused because of this client: {1}", name(call), classification);
        report(classification, started, call);
    }

    private void report(Classification classification, Instant occurredAt, Call call) {
        reporter.submit(FailureReport.of(report.json, report.clientId,
                tracker.status(clock.instant()).licenseId().orElse(null), occurredAt,
                check.uri(call).toString(), classification, report.tls, report.appVersion));
    }

    /** What every failure report of this installation says besides the failure. */
    static final class Report {
        private final ObjectMapper json;
        private final String clientId;
        private final ClientTls tls;
        private final String appVersion;

        Report(ObjectMapper json, String clientId, ClientTls tls, String appVersion) {
            this.json = json;
            this.clientId = clientId;
            this.tls = tls;
            this.appVersion = appVersion;
        }
    }
}
