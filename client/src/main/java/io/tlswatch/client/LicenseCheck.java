package io.tlswatch.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlswatch.client.http.HttpResponse;
import io.tlswatch.client.report.Classification;
import io.tlswatch.client.report.RefusalClassifier;
import io.tlswatch.client.state.StoredVerdict;
import io.tlswatch.client.token.EntitlementVerifier;
import io.tlswatch.client.token.Jwks;
import io.tlswatch.client.token.TokenException;
import io.tlswatch.client.token.VerifiedToken;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * One license check: asks the server, and keeps its verdict (valid with a verified token, or not valid) in the
 * tracker and on disk. Anything that is not a verdict is thrown, for {@link RetryingCheck} to handle.
 */
final class LicenseCheck {

    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration INVALID_RECHECK = Duration.ofHours(1);
    /** Codes that say something is wrong with this client's proof, not with the license (a wrong clock, a bug). */
    private static final Set<String> CLIENT_SIDE_CODES = Collections.unmodifiableSet(
            new HashSet<>(Arrays.asList("PROOF_INVALID", "PROOF_REQUIRED")));

    private final ValidationRequest request;
    private final ObjectMapper json;
    private final Clock clock;
    private final EntitlementVerifier verifier;
    private final Jwks jwks;
    private final EntitlementTracker tracker;
    private final VerdictCache cache;
    private final RefusalClassifier refusals;
    private final Duration refreshMargin;

    LicenseCheck(ValidationRequest request, ObjectMapper json, Clock clock, EntitlementVerifier verifier, Jwks jwks,
                 EntitlementTracker tracker, VerdictCache cache, RefusalClassifier refusals, Duration refreshMargin) {
        this.request = request;
        this.json = json;
        this.clock = clock;
        this.verifier = verifier;
        this.jwks = jwks;
        this.tracker = tracker;
        this.cache = cache;
        this.refusals = refusals;
        this.refreshMargin = refreshMargin;
    }

    /** @return how long until the next check, after a verdict */
    Duration run() throws IOException, TokenException, ServerAnswerException, RefusedException {
        Instant sentAt = clock.instant();
        HttpResponse response = request.post();
        if (response.status() == 401 && response.dpopNonce().isPresent()) {
            // RFC 9449 §8: the server wants its nonce in the proof; once is enough.
            sentAt = clock.instant();
            response = request.post();
        }
        Instant receivedAt = clock.instant();
        if (response.status() != 200) {
            throw new ServerAnswerException("http.error", "the license server answered " + response.status()
                    + ": " + abbreviate(response.bodyText()));
        }
        JsonNode answer;
        try {
            answer = json.readTree(response.body());
        } catch (IOException e) {
            throw new ServerAnswerException("http.error", "the license server's answer is not JSON");
        }
        if (answer == null || !answer.path("code").isTextual() || !answer.path("valid").isBoolean()) {
            throw new ServerAnswerException("http.error", "the license server's answer lacks valid and code");
        }
        String code = answer.get("code").asText();
        String detail = answer.path("detail").asText(null);
        JsonNode license = answer.path("license");
        String licenseId = license.path("id").asText(null);
        Instant now = clock.instant();
        if (!answer.get("valid").asBoolean()) {
            if (CLIENT_SIDE_CODES.contains(code)) {
                Optional<Instant> serverDate = response.serverDate();
                Duration offset = serverDate.isPresent()
                        ? RefusalClassifier.offset(serverDate.get(), sentAt, receivedAt) : null;
                throw new RefusedException(refusals.refusedProof(code, detail, offset));
            }
            tracker.invalid(code, detail, licenseId, now);
            cache.save(StoredVerdict.invalid(code, detail, licenseId, now));
            return INVALID_RECHECK;
        }
        VerifiedToken token = verifier.verify(answer.path("token").asText(null),
                response.clientCertificateThumbprint().orElse(null));
        Duration grace = grace(license);
        tracker.valid(token, grace, detail, now);
        cache.save(StoredVerdict.valid(detail, token.licenseId(), now, token.token(), grace,
                jwks.current().map(set -> set.toString(true)).orElse(null), token.certificateThumbprint()));
        return untilRefresh(token, now);
    }

    private Duration untilRefresh(VerifiedToken token, Instant now) {
        Duration lifetime = Duration.between(token.issuedAt(), token.expiresAt());
        Duration margin = refreshMargin.compareTo(lifetime.dividedBy(2)) > 0 ? lifetime.dividedBy(2) : refreshMargin;
        Duration wait = Duration.between(now, token.expiresAt().minus(margin));
        return wait.compareTo(FIRST_RETRY) < 0 ? FIRST_RETRY : wait;
    }

    private static Duration grace(JsonNode license) {
        String text = license.path("gracePeriod").asText(null);
        if (text == null) {
            return Duration.ZERO;
        }
        try {
            Duration grace = Duration.parse(text);
            return grace.isNegative() ? Duration.ZERO : grace;
        } catch (DateTimeParseException e) {
            return Duration.ZERO;
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** An answer that is not a verdict (an HTTP error, not JSON, a proof refusal). */
    static final class ServerAnswerException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String errorClass;

        ServerAnswerException(String errorClass, String message) {
            super(message);
            this.errorClass = errorClass;
        }

        String errorClass() {
            return errorClass;
        }
    }

    /** A check refused because of this client (its proof, its clock), with the cause named. */
    static final class RefusedException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Classification classification;

        RefusedException(Classification classification) {
            super(classification.message());
            this.classification = classification;
        }

        Classification classification() {
            return classification;
        }
    }
}
