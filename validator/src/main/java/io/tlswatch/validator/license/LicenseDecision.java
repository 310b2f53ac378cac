package io.tlswatch.validator.license;

import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.LicenseRecordStatus;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides one license validation: which {@link LicenseCheckCode} a request gets. The first rule that applies
 * wins (docs/licenses.md, "Codes and their precedence"):
 *
 * <ol>
 *   <li>{@code NOT_FOUND}: no license has this key.</li>
 *   <li>{@code REVOKED}, then {@code SUSPENDED}: the administrative status, whatever the dates say. Revocation
 *       is final, so it is reported even on a suspended or expired license.</li>
 *   <li>{@code NOT_YET_VALID}: before {@code notBefore}.</li>
 *   <li>{@code EXPIRED}: at or after {@code notAfter}. The license's grace period does not extend it: grace is
 *       how long the SDK may keep working offline on its last entitlement, never a reason for the server to
 *       issue a new one.</li>
 *   <li>{@code ENTITLEMENTS_MISSING}: the check asked for entitlements the license does not have, or that its
 *       policy's {@code allowedScopes} exclude. A fact of the license and the request alone: no proof would
 *       change it.</li>
 *   <li>{@code PROOF_INVALID}: a proof was presented and did not verify, whether or not proof is required; a
 *       token cannot be bound to a key that was not proven.</li>
 *   <li>{@code PROOF_REQUIRED}: proof is required (the license's resolved {@code proofRequired}) and none was
 *       presented.</li>
 *   <li>The machine step ({@link MachineGate}), in this order: {@code NO_MACHINE} (the policy activates
 *       machines explicitly and this one is not active), {@code TOO_MANY_MACHINES} (the client id is new and
 *       the license already has {@code maxMachines} active), {@code HEARTBEAT_NOT_STARTED},
 *       {@code HEARTBEAT_DEAD}. Proof comes first so that a client that fails it never takes a machine
 *       slot.</li>
 *   <li>{@code VALID}: the client id is counted as a machine of the license.</li>
 * </ol>
 *
 * <p>License facts come before request facts: a client whose license is revoked learns that, not that its
 * proof was malformed, since fixing the proof would not help it. Only a {@code VALID} verdict changes state
 * (the machine count). The terms every step uses are the license's resolved ones ({@link TermsResolver}:
 * override, then policy, then the validator's defaults).
 */
public final class LicenseDecision {

    private final LicenseLookup lookup;
    private final TermsResolver terms;
    private final MachineGate machines;

    public LicenseDecision(LicenseLookup lookup, TermsResolver terms, MachineGate machines) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.terms = Objects.requireNonNull(terms, "terms");
        this.machines = Objects.requireNonNull(machines, "machines");
    }

    /** A check that asks for no entitlements in particular. */
    public LicenseVerdict decide(String licenseKey, String clientId, ProofOutcome proof, Instant now) {
        return decide(licenseKey, clientId, null, proof, now);
    }

    /**
     * @param licenseKey   the key as the client sent it; must not be blank (the API answers 400 before this)
     * @param clientId     the client's installation id; must not be blank
     * @param entitlements the entitlements the check asks for, {@code null} for all of the license's
     * @param proof        what the proof-of-possession check concluded
     * @param now          the time of the request
     */
    public LicenseVerdict decide(String licenseKey, String clientId, List<String> entitlements, ProofOutcome proof,
                                 Instant now) {
        return decide(licenseKey, clientId, entitlements, proof, now, machines);
    }

    /** The same, asking for no entitlements in particular, with another machine step. */
    public LicenseVerdict decide(String licenseKey, String clientId, ProofOutcome proof, Instant now,
                                 MachineGate machineStep) {
        return decide(licenseKey, clientId, null, proof, now, machineStep);
    }

    /**
     * The same decision with another machine step: an explicit activation, a heartbeat or a deactivation, which
     * pass the same license, entitlement and proof checks first.
     */
    public LicenseVerdict decide(String licenseKey, String clientId, List<String> entitlements, ProofOutcome proof,
                                 Instant now, MachineGate machineStep) {
        Objects.requireNonNull(machineStep, "machineStep");
        requireText("licenseKey", licenseKey);
        requireText("clientId", clientId);
        Objects.requireNonNull(proof, "proof");
        Objects.requireNonNull(now, "now");

        Optional<LicenseRecord> found = lookup.byKey(licenseKey);
        if (found.isEmpty()) {
            return LicenseVerdict.notFound();
        }
        LicenseRecord license = found.get();
        EffectiveTerms licenseTerms = terms.termsFor(license);
        LicenseCheckCode refusal = licenseRefusal(license, now);
        if (refusal == null && !EntitlementScope.allowed(license, licenseTerms, entitlements)) {
            refusal = LicenseCheckCode.ENTITLEMENTS_MISSING;
        }
        if (refusal == null) {
            refusal = proofRefusal(proof, licenseTerms.proofRequired());
        }
        if (refusal == null) {
            refusal = machineStep.admit(license, clientId, licenseTerms, now);
        }
        return new LicenseVerdict(refusal == null ? LicenseCheckCode.VALID : refusal, license, licenseTerms);
    }

    /** The code for a license that cannot be used at {@code now} whoever asks; {@code null} when it can. */
    static LicenseCheckCode licenseRefusal(LicenseRecord license, Instant now) {
        if (license.status() == LicenseRecordStatus.REVOKED) {
            return LicenseCheckCode.REVOKED;
        }
        if (license.status() == LicenseRecordStatus.SUSPENDED) {
            return LicenseCheckCode.SUSPENDED;
        }
        if (now.isBefore(license.notBefore())) {
            return LicenseCheckCode.NOT_YET_VALID;
        }
        // Token times are whole seconds (JWT NumericDate): in the last fraction of a second before notAfter no
        // token could be issued that ends in time, so the license counts as expired from that whole second.
        if (license.notAfter() != null && !now.isBefore(license.notAfter().truncatedTo(ChronoUnit.SECONDS))) {
            return LicenseCheckCode.EXPIRED;
        }
        return null;
    }

    private static LicenseCheckCode proofRefusal(ProofOutcome proof, boolean proofRequired) {
        if (proof instanceof ProofOutcome.Invalid) {
            return LicenseCheckCode.PROOF_INVALID;
        }
        if (proof instanceof ProofOutcome.None && proofRequired) {
            return LicenseCheckCode.PROOF_REQUIRED;
        }
        return null;
    }

    private static void requireText(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
