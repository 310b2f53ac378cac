package io.tlswatch.validator.api;

import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.event.LicenseCheckEvent;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.MachineRecord;
import io.tlswatch.contract.event.MachineStatus;
import io.tlswatch.contract.event.ProofKind;
import io.tlswatch.validator.license.EntitlementScope;
import io.tlswatch.validator.license.LicenseDecision;
import io.tlswatch.validator.license.LicenseVerdict;
import io.tlswatch.validator.license.MachineGate;
import io.tlswatch.validator.license.ProofOutcome;
import io.tlswatch.validator.token.Confirmation;
import io.tlswatch.validator.token.DpopRejection;
import io.tlswatch.validator.token.DpopVerification;
import io.tlswatch.validator.token.DpopVerifier;
import io.tlswatch.validator.token.EntitlementGrant;
import io.tlswatch.validator.token.IssuedToken;
import io.tlswatch.validator.token.TokenIssuer;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Answers one license validation: checks the proof of possession (the client certificate of a mutual-TLS
 * connection, else a DPoP proof), lets {@link LicenseDecision} decide, issues the entitlement token bound to
 * the proven key, and describes the check as a {@code tlswatch.license-check/1} event. Plain and
 * thread-safe: the HTTP handler only turns its answer into I/O.
 */
public final class LicenseService {

    private static final String METHOD = "POST";

    private final LicenseDecision decision;
    private final DpopVerifier dpop;
    private final TokenIssuer issuer;
    private final URI validateUri;
    private final Clock clock;
    private final String source;
    private final BiFunction<String, String, Optional<MachineRecord>> machines;

    /** Without machines to describe: answers carry no {@code machine} object. */
    public LicenseService(LicenseDecision decision, DpopVerifier dpop, TokenIssuer issuer, URI validateUri,
                          Clock clock, String source) {
        this(decision, dpop, issuer, validateUri, clock, source, (licenseId, clientId) -> Optional.empty());
    }

    /**
     * @param validateUri the public URI of the validate endpoint, as clients address it: DPoP proofs are
     *                    checked against it, never against the request's Host header
     * @param machines    a machine of a license by license id and client id, once the machine step has run: an
     *                    active one is described in the answer's {@code machine} object
     */
    public LicenseService(LicenseDecision decision, DpopVerifier dpop, TokenIssuer issuer, URI validateUri,
                          Clock clock, String source, BiFunction<String, String, Optional<MachineRecord>> machines) {
        this.decision = decision;
        this.dpop = dpop;
        this.issuer = issuer;
        this.validateUri = validateUri;
        this.clock = clock;
        this.source = source;
        this.machines = machines;
    }

    /** The validator's clock now: what its answers' {@code Date} says, and what proofs' {@code iat} are held to. */
    public Instant now() {
        return clock.instant();
    }

    /** The answer: the response body and the event describing the check (its refusal, if any, included). */
    public record Answer(Map<String, Object> body, LicenseCheckEvent event, LicenseCheckCode code) {
    }

    /**
     * @param dpopHeaders  every {@code DPoP} header of the request (more than one is refused)
     * @param startedNanos when the request arrived ({@link System#nanoTime()}), for the event's latency
     */
    public Answer validate(ValidateRequest request, List<String> dpopHeaders, ConnectionFacts connection,
                           long startedNanos) {
        return answer(validateUri, null, true, request, dpopHeaders, connection, startedNanos);
    }

    /**
     * A check like validate's, at another endpoint of the API (the machine endpoints).
     *
     * @param endpointUri the endpoint's public URI: what a DPoP proof's {@code htu} must name
     * @param gate        the machine step; {@code null} for the decision's own (a check's)
     * @param issueToken  whether a valid answer carries an entitlement token
     */
    public Answer answer(URI endpointUri, MachineGate gate, boolean issueToken, ValidateRequest request,
                         List<String> dpopHeaders, ConnectionFacts connection, long startedNanos) {
        Proof proof = proof(dpopHeaders, connection, endpointUri);
        Instant now = clock.instant();
        LicenseVerdict verdict = gate == null
                ? decision.decide(request.licenseKey(), request.clientId(), request.entitlements(), proof.outcome(),
                now)
                : decision.decide(request.licenseKey(), request.clientId(), request.entitlements(), proof.outcome(),
                now, gate);
        IssuedToken token = null;
        if (issueToken && verdict.valid() && proof.confirmation() != null) {
            LicenseRecord license = verdict.license();
            token = issuer.issue(new EntitlementGrant(license.licenseId(), request.clientId(),
                    EntitlementScope.granted(license, request.entitlements()), proof.confirmation(),
                    license.notAfter(), verdict.terms().tokenLifetime()));
        }
        Map<String, Object> body = body(verdict, token);
        if (verdict.license() != null) {
            machines.apply(verdict.license().licenseId(), request.clientId())
                    .filter(row -> row.status() == MachineStatus.ACTIVE)
                    .ifPresent(row -> body.put("machine", MachineJson.describe(row, verdict.terms())));
        }
        LicenseCheckEvent event = LicenseCheckEvent.builder()
                .time(now)
                .source(source)
                .clientId(request.clientId())
                .licenseId(verdict.license() == null ? null : verdict.license().licenseId())
                .code(verdict.code())
                .tokenExpiresAt(token == null ? null : token.expiresAt())
                .graceUntil(token == null ? null : token.expiresAt().plus(verdict.terms().offlineGrace()))
                .proof(proof.outcome().kind())
                .proofJkt(proof.dpopJkt())
                .connection(connection.remoteAddress(), connection.tlsProtocol(), connection.cipherSuite(),
                        connection.ja4())
                .via(connection.via())
                .latencyMillis((System.nanoTime() - startedNanos) / 1_000_000.0)
                .sdk(request.sdk())
                .proofClockOffset(proof.clockOffset())
                .refusal(RefusalReasons.reason(verdict.code(), proof.rejection()))
                .build();
        return new Answer(body, event, verdict.code());
    }

    /**
     * @param rejection   why a DPoP proof was refused, else {@code null}
     * @param clockOffset the DPoP proof's clock offset in seconds when its iat was read, else {@code null}
     */
    private record Proof(ProofOutcome outcome, Confirmation confirmation, DpopRejection rejection,
                         Long clockOffset) {

        Proof(ProofOutcome outcome, Confirmation confirmation) {
            this(outcome, confirmation, null, null);
        }

        /** The key a verified DPoP proof was made with: the event names it so streams can pin the client's key. */
        String dpopJkt() {
            return outcome instanceof ProofOutcome.Valid valid && valid.kind() == ProofKind.DPOP
                    ? valid.thumbprint() : null;
        }
    }

    private Proof proof(List<String> dpopHeaders, ConnectionFacts connection, URI endpointUri) {
        // A client certificate verified by the TLS layer is the stronger binding (RFC 8705); it wins.
        if (connection.clientCertificate() != null) {
            Confirmation confirmation = Confirmation.certificate(connection.clientCertificate());
            return new Proof(ProofOutcome.mtls(confirmation.value()), confirmation);
        }
        if (dpopHeaders.isEmpty()) {
            return new Proof(ProofOutcome.none(), null);
        }
        DpopVerification verification = dpop.verify(dpopHeaders, METHOD, endpointUri, null);
        if (verification instanceof DpopVerification.Verified verified) {
            return new Proof(ProofOutcome.dpop(verified.jkt()), verified.confirmation(), null,
                    verified.clockOffsetSeconds());
        }
        DpopVerification.Rejected rejected = (DpopVerification.Rejected) verification;
        return new Proof(ProofOutcome.invalid(ProofKind.DPOP, rejected.reason().tag()), null, rejected.reason(),
                rejected.clockOffsetSeconds());
    }

    private static Map<String, Object> body(LicenseVerdict verdict, IssuedToken token) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("valid", verdict.valid());
        body.put("code", verdict.code().name());
        body.put("detail", detail(verdict.code()));
        LicenseRecord license = verdict.license();
        if (license != null) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("id", license.licenseId());
            l.put("status", license.status().name().toLowerCase(Locale.ROOT));
            l.put("plan", license.plan());
            l.put("entitlements", license.entitlements());
            // maxMachines and gracePeriod are what the license is held to: its policy or overrides may set them.
            l.put("maxMachines", verdict.terms().maxMachines());
            l.put("notBefore", license.notBefore());
            l.put("notAfter", license.notAfter());
            l.put("gracePeriod", verdict.terms().offlineGrace());
            body.put("license", l);
        }
        if (token != null) {
            body.put("token", token.token());
            body.put("expiresAt", token.expiresAt());
        }
        return body;
    }

    /** One line a person (or a support engineer) understands; the code is what programs act on. */
    static String detail(LicenseCheckCode code) {
        return switch (code) {
            case VALID -> "the license is valid";
            case NOT_FOUND -> "no license has this key";
            case EXPIRED -> "the license has expired";
            case NOT_YET_VALID -> "the license is not valid yet";
            case SUSPENDED -> "the license is suspended";
            case REVOKED -> "the license has been revoked";
            case TOO_MANY_MACHINES -> "the license is in use on as many machines as it allows";
            case PROOF_REQUIRED -> "a proof of possession (DPoP header or client certificate) is required";
            case PROOF_INVALID -> "the proof of possession was not accepted";
            case NO_MACHINE -> "this machine is not activated for the license";
            case HEARTBEAT_NOT_STARTED -> "this machine has not started its heartbeats";
            case HEARTBEAT_DEAD -> "this machine's heartbeat is overdue";
            case ENTITLEMENTS_MISSING -> "the license does not grant the entitlements asked for";
        };
    }
}
