package io.tlswatch.tlsserver.certificate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One round of OCSP for the served leaf: finds its issuer and responder, fetches and checks a response, reports
 * it (log line, event, meters), and says which staple to serve from now on and when to ask again. Blocking, and
 * not thread-safe: the certificate manager's thread runs it.
 */
final class OcspRefresher {

    private static final Logger log = LoggerFactory.getLogger(CertificateManager.class);

    private final String name;
    private final OcspSettings settings;
    private final MaterialValidator validator;
    private final OcspClient client;
    private final OcspResponseChecker checker;
    private final RefreshSchedule schedule;
    private final CertificateTelemetry telemetry;
    private final Clock clock;
    private final boolean stapling;
    private int failures;
    private String unavailableLoggedFor;

    OcspRefresher(String name, OcspSettings settings, MaterialValidator validator, OcspClient client,
                  OcspResponseChecker checker, RefreshSchedule schedule, CertificateTelemetry telemetry, Clock clock,
                  boolean stapling) {
        this.name = Objects.requireNonNull(name, "name");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.client = Objects.requireNonNull(client, "client");
        this.checker = Objects.requireNonNull(checker, "checker");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stapling = stapling;
    }

    /**
     * @param staple what to serve from now on: the new response when good, the one held while it stays usable
     *               after a failure, none after a revocation or without OCSP for this certificate
     * @param next   when to ask again; {@code null} when there is nobody to ask
     */
    record Round(Staple staple, Duration next) {
    }

    /** A new certificate starts with a clean record of failures. */
    void reset() {
        failures = 0;
    }

    Round refresh(CertificateCandidate.Accepted material, Staple held) {
        X509Certificate leaf = material.leaf();
        Optional<X509Certificate> issuer = validator.issuerOf(material.material());
        Optional<URI> responder = Optional.ofNullable(settings.responderUrl()).or(() -> OcspClient.responderOf(leaf));
        if (issuer.isEmpty() || responder.isEmpty()) {
            String serial = CertificateFacts.serial(leaf);
            if (!serial.equals(unavailableLoggedFor)) {
                unavailableLoggedFor = serial;
                log.info("certificate {}: no OCSP for serial {}: {}", name, serial, issuer.isEmpty()
                        ? "its issuer is neither in the chain nor a trust anchor"
                        : "it names no OCSP responder (set " + OcspSettings.KEY_RESPONDER_URL + " to ask one)");
            }
            return new Round(null, null);
        }
        OcspResult result = fetch(leaf, issuer.get(), responder.get());
        Instant now = clock.instant();
        if (result instanceof OcspResult.Good good) {
            failures = 0;
            log.info("certificate {}: OCSP response good, valid until {}{}", name, good.nextUpdate(),
                    stapling ? ", stapled" : "");
            telemetry.ocspRefreshed(leaf, responder.get(), good);
            return new Round(new Staple(good.encoded(), good.thisUpdate(), good.nextUpdate()),
                    schedule.afterResponse(good.thisUpdate(), good.nextUpdate(), now));
        }
        if (result instanceof OcspResult.Revoked revoked) {
            failures = 0;
            log.error("certificate {}: serial {} is REVOKED according to {} (at {}{}): its OCSP response is not "
                            + "stapled; replace the certificate", name, CertificateFacts.serial(leaf), responder.get(),
                    revoked.revokedAt(), revoked.reason() == null ? "" : ", " + revoked.reason());
            telemetry.ocspRevoked(leaf, responder.get(), revoked);
            return new Round(null, schedule.afterResponse(revoked.thisUpdate(), revoked.nextUpdate(), now));
        }
        failures++;
        String reason;
        if (result instanceof OcspResult.Invalid invalid) {
            reason = invalid.reason();
        } else if (result instanceof OcspResult.Unreachable unreachable) {
            reason = unreachable.reason();
        } else {
            reason = "the responder does not know the certificate (status unknown)";
        }
        Staple usableHeld = held != null && held.usableAt(now) ? held : null;
        Duration retry = schedule.afterFailure(failures);
        log.warn("certificate {}: OCSP fetch failed ({}), {}; retrying in {}", name, reason,
                usableHeld == null ? "nothing stapled" : "keeping the last good response until " + usableHeld.nextUpdate(),
                retry);
        telemetry.ocspFailed(leaf, responder.get(), reason, result instanceof OcspResult.Unknown u ? u : null);
        return new Round(usableHeld, retry);
    }

    private OcspResult fetch(X509Certificate leaf, X509Certificate issuer, URI responder) {
        long begin = System.nanoTime();
        OcspClient.Fetched fetched = client.fetch(responder, checker.request(leaf, issuer));
        OcspResult result = fetched.response() == null
                ? new OcspResult.Unreachable(fetched.failure())
                : checker.check(fetched.response(), leaf, issuer, clock.instant());
        telemetry.ocspFetched(result, Duration.ofNanos(System.nanoTime() - begin));
        return result;
    }
}
