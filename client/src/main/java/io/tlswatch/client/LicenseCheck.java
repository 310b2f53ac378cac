package io.tlswatch.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlswatch.client.ValidationRequest.Call;
import io.tlswatch.client.http.HttpResponse;
import io.tlswatch.client.report.Classification;
import io.tlswatch.client.report.RefusalClassifier;
import io.tlswatch.client.state.StoredVerdict;
import io.tlswatch.client.token.EntitlementVerifier;
import io.tlswatch.client.token.Jwks;
import io.tlswatch.client.token.TokenException;
import io.tlswatch.client.token.VerifiedToken;

import java.io.IOException;
import java.net.URI;
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
 * One exchange with the server (a license check, an activation, a heartbeat, a deactivation), and its verdict
 * kept: valid with a verified token, or not valid, in the tracker and on disk; the machine the answer describes
 * handed to the heartbeats. Anything that is not a verdict is thrown, for {@link RetryingCheck} to handle.
 */
final class LicenseCheck {

    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration INVALID_RECHECK = Duration.ofHours(1);
    /** Codes that say something is wrong with this client's proof, not with the license (a wrong clock, a bug). */
    private static final Set<String> CLIENT_SIDE_CODES = Collections.unmodifiableSet(
            new HashSet<>(Arrays.asList("PROOF_INVALID", "PROOF_REQUIRED")));
    /** Codes a heartbeat sent now may clear: the SDK tries that, and asks once more, before telling the app. */
    private static final Set<String> HEARTBEAT_CODES = Collections.unmodifiableSet(
            new HashSet<>(Arrays.asList("HEARTBEAT_NOT_STARTED", "HEARTBEAT_DEAD")));
    static final String NO_MACHINE = "NO_MACHINE";
    static final String DEACTIVATED = "DEACTIVATED";

    private final ValidationRequest request;
    private final ObjectMapper json;
    private final Clock clock;
    private final EntitlementVerifier verifier;
    private final Jwks jwks;
    private final EntitlementTracker tracker;
    private final VerdictCache cache;
    private final RefusalClassifier refusals;
    private final Duration refreshMargin;
    private final MachineListener machines;

    LicenseCheck(ValidationRequest request, ObjectMapper json, Clock clock, EntitlementVerifier verifier, Jwks jwks,
                 EntitlementTracker tracker, VerdictCache cache, RefusalClassifier refusals, Duration refreshMargin,
                 MachineListener machines) {
        this.request = request;
        this.json = json;
        this.clock = clock;
        this.verifier = verifier;
        this.jwks = jwks;
        this.tracker = tracker;
        this.cache = cache;
        this.refusals = refusals;
        this.refreshMargin = refreshMargin;
        this.machines = machines;
    }

    /** The URI a call goes to (for failure reports). */
    URI uri(Call call) {
        return request.uri(call);
    }

    /**
     * Validates. A {@code HEARTBEAT_NOT_STARTED} or {@code HEARTBEAT_DEAD} answer is not passed on at once: a
     * heartbeat goes first and the license is checked once more, and that second answer is the verdict.
     *
     * @return how long until the next check, after a verdict
     */
    Duration run() throws IOException, TokenException, ServerAnswerException, RefusedException {
        Answer answer = exchange(Call.VALIDATE, null);
        if (!answer.valid && HEARTBEAT_CODES.contains(answer.code)) {
            Answer beat = exchange(Call.HEARTBEAT, null);
            // A beat refused for a license reason (REVOKED...) is the verdict; one taken, or NO_MACHINE (the
            // machine was culled: a check may activate it anew), calls for the check once more.
            answer = beat.valid || NO_MACHINE.equals(beat.code) ? exchange(Call.VALIDATE, null) : beat;
        }
        return decide(answer);
    }

    /** Activates this machine explicitly ({@code name}: optional); the answer is a validation's. */
    Duration activate(String name) throws IOException, TokenException, ServerAnswerException, RefusedException {
        return decide(exchange(Call.ACTIVATE, name));
    }

    /**
     * Sends a heartbeat (the {@code Duration} returned says only that an answer came). Taken: the heartbeats
     * follow its machine, the entitlement is what it was. {@code NO_MACHINE} (culled or deactivated meanwhile):
     * the license is checked once more, and that is the verdict. Any other refusal is the verdict.
     */
    Duration heartbeat() throws IOException, TokenException, ServerAnswerException, RefusedException {
        Answer answer = exchange(Call.HEARTBEAT, null);
        if (answer.valid) {
            tracker.heartbeat(answer.machine);
            machines.follow(answer.machine);
            // Heartbeats keep their own pace (follow); the checks' schedule is not this answer's business.
            return Duration.ZERO;
        }
        if (NO_MACHINE.equals(answer.code)) {
            return run();
        }
        return decide(answer);
    }

    /**
     * Gives this machine's slot up. {@code DEACTIVATED} or {@code NO_MACHINE} (it held none): this client holds no
     * entitlement any more, and its cached one is replaced by that verdict.
     */
    Duration deactivate() throws IOException, TokenException, ServerAnswerException, RefusedException {
        Answer answer = exchange(Call.DEACTIVATE, null);
        if (!answer.valid && (DEACTIVATED.equals(answer.code) || NO_MACHINE.equals(answer.code))) {
            invalid(answer);
            return INVALID_RECHECK;
        }
        if (answer.valid) {
            throw new ServerAnswerException("http.error", "the license server answered a deactivation with "
                    + answer.code);
        }
        return decide(answer);
    }

    private Duration decide(Answer answer) throws IOException, TokenException, RefusedException {
        if (!answer.valid) {
            if (CLIENT_SIDE_CODES.contains(answer.code)) {
                Optional<Instant> serverDate = answer.response.serverDate();
                Duration offset = serverDate.isPresent()
                        ? RefusalClassifier.offset(serverDate.get(), answer.sentAt, answer.receivedAt) : null;
                throw new RefusedException(refusals.refusedProof(answer.code, answer.detail, offset));
            }
            invalid(answer);
            return INVALID_RECHECK;
        }
        Instant now = clock.instant();
        VerifiedToken token = verifier.verify(answer.body.path("token").asText(null),
                answer.response.clientCertificateThumbprint().orElse(null));
        Duration grace = grace(answer.body.path("license"));
        tracker.valid(token, grace, answer.detail, now);
        tracker.machine(answer.machine);
        cache.save(StoredVerdict.valid(answer.detail, token.licenseId(), now, token.token(), grace,
                jwks.current().map(set -> set.toString(true)).orElse(null), token.certificateThumbprint()));
        machines.follow(answer.machine);
        return untilRefresh(token, now);
    }

    private void invalid(Answer answer) {
        Instant now = clock.instant();
        tracker.invalid(answer.code, answer.detail, answer.licenseId, now);
        tracker.machine(answer.machine);
        cache.save(StoredVerdict.invalid(answer.code, answer.detail, answer.licenseId, now));
        machines.follow(null);
    }

    private Answer exchange(Call call, String machineName) throws IOException, ServerAnswerException {
        Instant sentAt = clock.instant();
        HttpResponse response = request.post(call, machineName);
        if (response.status() == 401 && response.dpopNonce().isPresent()) {
            // RFC 9449 §8: the server wants its nonce in the proof; once is enough.
            sentAt = clock.instant();
            response = request.post(call, machineName);
        }
        Instant receivedAt = clock.instant();
        if (response.status() != 200) {
            throw new ServerAnswerException("http.error", "the license server answered " + response.status()
                    + ": " + abbreviate(response.bodyText()));
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            throw new ServerAnswerException("http.error", "the license server's answer is not JSON");
        }
        if (body == null || !body.path("code").isTextual() || !body.path("valid").isBoolean()) {
            throw new ServerAnswerException("http.error", "the license server's answer lacks valid and code");
        }
        return new Answer(response, body, sentAt, receivedAt);
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

    /** A decided answer (HTTP 200 with {@code valid} and {@code code}) and when it was asked for. */
    private static final class Answer {
        private final HttpResponse response;
        private final JsonNode body;
        private final Instant sentAt;
        private final Instant receivedAt;
        private final boolean valid;
        private final String code;
        private final String detail;
        private final String licenseId;
        private final Machine machine;

        Answer(HttpResponse response, JsonNode body, Instant sentAt, Instant receivedAt) {
            this.response = response;
            this.body = body;
            this.sentAt = sentAt;
            this.receivedAt = receivedAt;
            this.valid = body.get("valid").asBoolean();
            this.code = body.get("code").asText();
            this.detail = body.path("detail").asText(null);
            this.licenseId = body.path("license").path("id").asText(null);
            this.machine = Machine.from(body);
        }
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
