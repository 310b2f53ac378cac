package io.tlswatch.validator.admin;

import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.LicenseRecordStatus;
import io.tlswatch.contract.event.PolicyTerms;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.validator.license.LicenseKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The license endpoints: issue, list, get, renew, change policy and overrides, suspend, resume, revoke, reissue
 * the key. Reads come from the validator's registry; each change is a whole new row, written with acks=all and
 * carrying the token's name as {@code operator} and the request's {@code reason}, then awaited in the registry
 * (bounded) so that a read right after sees it.
 *
 * <p>The rules are those of {@code tlswatch licenses --direct}: revocation is final (a revoked license cannot be
 * resumed, suspended, renewed, changed or rekeyed: 409), asking for the status a license has writes nothing.
 * Changes through one validator are serialised; two replicas changing one license at the same moment: the later
 * row wins, as in any compacted table.
 */
public final class LicenseOperations {

    private static final Logger log = LoggerFactory.getLogger(LicenseOperations.class);
    /** Ids an operator chooses: path-safe, short, and free of the machine key separator. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Duration DEFAULT_GRACE = Duration.ofHours(72);
    /** The fields each endpoint's body takes. */
    public static final Set<String> ISSUE_FIELDS = Set.of("licenseId", "customer", "plan", "entitlements",
            "maxMachines", "notBefore", "notAfter", "gracePeriod", "policyId", "overrides", "reason");
    public static final Set<String> RENEW_FIELDS = Set.of("notAfter", "reason");
    public static final Set<String> MODIFY_FIELDS = Set.of("policyId", "overrides", "reason");
    public static final Set<String> REASON_ONLY = Set.of("reason");

    private final LicenseDirectory licenses;
    private final PolicyDirectory policies;
    private final AdminWrites writes;
    private final Topic<String, LicenseRecord> topic;
    private final LicenseKeys keys;
    private final Clock clock;
    private final String source;
    private final Duration applyTimeout;

    /**
     * @param source       the {@code source} of the rows written ({@code validator@node})
     * @param applyTimeout how long a change waits to be seen in the registry before it is answered anyway
     */
    public LicenseOperations(LicenseDirectory licenses, PolicyDirectory policies, AdminWrites writes,
                             Topic<String, LicenseRecord> topic, LicenseKeys keys, Clock clock, String source,
                             Duration applyTimeout) {
        this.licenses = licenses;
        this.policies = policies;
        this.writes = writes;
        this.topic = topic;
        this.keys = keys;
        this.clock = clock;
        this.source = source;
        this.applyTimeout = applyTimeout;
    }

    /** {@code GET /v1/admin/licenses?status=&customer=&plan=&policyId=}. */
    public AdminResponse list(AdminRequest request) {
        String status = request.param("status");
        LicenseRecordStatus wanted = status == null ? null : status(status);
        String customer = request.param("customer");
        String plan = request.param("plan");
        String policyId = request.param("policyId");
        List<LicenseRecord> found = licenses.all().stream()
                .filter(l -> wanted == null || l.status() == wanted)
                .filter(l -> customer == null || customer.equals(l.customer()))
                .filter(l -> plan == null || plan.equals(l.plan()))
                .filter(l -> policyId == null || policyId.equals(l.policyId()))
                .sorted(Comparator.comparing(LicenseRecord::licenseId))
                .toList();
        return AdminResponse.ok(Map.of("licenses", found));
    }

    public AdminResponse get(String licenseId) {
        return AdminResponse.ok(existing(licenseId));
    }

    /** {@code POST /v1/admin/licenses}: 201 with the key, shown this once. */
    public synchronized AdminResponse issue(AdminPrincipal by, AdminBody body) {
        Instant now = clock.instant();
        String chosen = body.text("licenseId");
        String licenseId = chosen == null ? keys.newLicenseId() : chosen;
        if (chosen != null && !ID.matcher(chosen).matches()) {
            throw AdminError.invalid("/licenseId", "licenseId must be 1 to 64 of A-Z a-z 0-9 . _ - "
                    + "starting with a letter or digit");
        }
        if (licenses.get(licenseId).isPresent()) {
            throw AdminError.conflict("license_exists", "/licenseId", "a license with id '" + licenseId
                    + "' already exists");
        }
        String policyId = knownPolicy(body.text("policyId"));
        String licenseKey = keys.newLicenseKey();
        Integer maxMachines = body.integer("maxMachines");
        Instant notBefore = body.instant("notBefore");
        Duration grace = body.duration("gracePeriod");
        List<String> entitlements = body.strings("entitlements");
        LicenseRecord license = build(() -> LicenseRecord.builder()
                .time(now).source(source).licenseId(licenseId)
                .customer(body.requiredText("customer"))
                .plan(body.requiredText("plan"))
                .entitlements(entitlements == null ? List.of() : entitlements)
                .maxMachines(maxMachines == null ? 1 : maxMachines)
                .notBefore(notBefore == null ? now : notBefore)
                .notAfter(body.instant("notAfter"))
                .gracePeriod(grace == null ? DEFAULT_GRACE : grace)
                .policyId(policyId)
                .overrides(body.terms("overrides"))
                .operator(by.name())
                .reason(body.text("reason"))
                .licenseKey(licenseKey));
        write(license);
        log.info("License {} issued to {} by {}", license.licenseId(), license.customer(), by.name());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("licenseKey", licenseKey);
        answer.put("license", license);
        return AdminResponse.created(answer);
    }

    /** {@code POST /v1/admin/licenses/{id}/renew}: a new {@code notAfter} (null: never expires). */
    public synchronized AdminResponse renew(AdminPrincipal by, String licenseId, AdminBody body) {
        LicenseRecord current = changeable(licenseId, "renewed");
        if (!body.has("notAfter")) {
            throw AdminError.invalid("/notAfter", "notAfter is required (null for a license that never expires)");
        }
        Instant notAfter = body.instant("notAfter");
        LicenseRecord renewed = build(() -> next(current, by, body).notAfter(notAfter));
        write(renewed);
        log.info("License {} renewed until {} by {}", licenseId, notAfter == null ? "never" : notAfter, by.name());
        return changed(current, renewed, true);
    }

    /** {@code PATCH /v1/admin/licenses/{id}}: {@code policyId} and {@code overrides}; null removes either. */
    public synchronized AdminResponse modify(AdminPrincipal by, String licenseId, AdminBody body) {
        LicenseRecord current = changeable(licenseId, "changed");
        if (!body.has("policyId") && !body.has("overrides")) {
            throw AdminError.invalid(null, "nothing to change: give policyId, overrides or both");
        }
        String policyId = body.has("policyId") ? knownPolicy(body.text("policyId")) : current.policyId();
        PolicyTerms overrides = body.has("overrides") ? body.terms("overrides") : current.overrides();
        LicenseRecord modified = build(() -> next(current, by, body).policyId(policyId).overrides(overrides));
        write(modified);
        log.info("License {} now has policy {} and overrides {} (by {})", licenseId, policyId, overrides, by.name());
        return changed(current, modified, true);
    }

    public synchronized AdminResponse suspend(AdminPrincipal by, String licenseId, AdminBody body) {
        return changeStatus(by, licenseId, LicenseRecordStatus.SUSPENDED, body);
    }

    public synchronized AdminResponse resume(AdminPrincipal by, String licenseId, AdminBody body) {
        return changeStatus(by, licenseId, LicenseRecordStatus.ACTIVE, body);
    }

    /** Final, and always with a reason: the event trail says who revoked and why. */
    public synchronized AdminResponse revoke(AdminPrincipal by, String licenseId, AdminBody body) {
        body.requiredText("reason");
        return changeStatus(by, licenseId, LicenseRecordStatus.REVOKED, body);
    }

    /** {@code POST /v1/admin/licenses/{id}/reissue-key}: the old key stops working, the new one is shown once. */
    public synchronized AdminResponse reissueKey(AdminPrincipal by, String licenseId, AdminBody body) {
        LicenseRecord current = changeable(licenseId, "given a new key");
        String licenseKey = keys.newLicenseKey();
        LicenseRecord rekeyed = build(() -> next(current, by, body).licenseKey(licenseKey));
        write(rekeyed);
        log.info("License {} has a new key (by {})", licenseId, by.name());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("licenseKey", licenseKey);
        answer.put("license", rekeyed);
        return AdminResponse.ok(answer);
    }

    private AdminResponse changeStatus(AdminPrincipal by, String licenseId, LicenseRecordStatus target,
                                       AdminBody body) {
        LicenseRecord current = existing(licenseId);
        if (current.status() == LicenseRecordStatus.REVOKED && target != LicenseRecordStatus.REVOKED) {
            throw AdminError.conflict("license_revoked", null, "license " + licenseId + " is revoked, and revocation "
                    + "is final: it cannot be " + (target == LicenseRecordStatus.ACTIVE ? "resumed" : "suspended")
                    + "; issue a new license instead");
        }
        if (current.status() == target) {
            return changed(current, current, false);
        }
        LicenseRecord updated = build(() -> next(current, by, body).status(target));
        write(updated);
        log.info("License {} {} -> {} by {}: {}", licenseId, lower(current.status()), lower(target), by.name(),
                updated.reason());
        return changed(current, updated, true);
    }

    private LicenseRecord.Builder next(LicenseRecord current, AdminPrincipal by, AdminBody body) {
        return current.toBuilder().time(clock.instant()).source(source).operator(by.name())
                .reason(body.text("reason"));
    }

    /** Builds a row, turning the record's own checks into a 422 naming the field. */
    private static LicenseRecord build(Supplier<LicenseRecord.Builder> builder) {
        try {
            return builder.get().build();
        } catch (IllegalArgumentException e) {
            throw AdminBody.fieldError("/", e);
        }
    }

    private void write(LicenseRecord license) {
        writes.write(topic, license.licenseId(), license, null);
        try {
            if (!licenses.awaitRow(license.licenseId(), license.id(), applyTimeout)) {
                log.warn("License {} was written but not seen in the registry within {}", license.licenseId(),
                        applyTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private LicenseRecord existing(String licenseId) {
        return licenses.get(licenseId).orElseThrow(() -> AdminError.notFound("licenseId",
                "no license with id '" + licenseId + "'"));
    }

    private LicenseRecord changeable(String licenseId, String what) {
        LicenseRecord current = existing(licenseId);
        if (current.status() == LicenseRecordStatus.REVOKED) {
            throw AdminError.conflict("license_revoked", null, "license " + licenseId + " is revoked, and revocation "
                    + "is final: it cannot be " + what + "; issue a new license instead");
        }
        return current;
    }

    private String knownPolicy(String policyId) {
        if (policyId != null && policies.get(policyId).isEmpty()) {
            throw AdminError.invalid("/policyId", "no policy with id '" + policyId + "' (see GET /v1/admin/policies)");
        }
        return policyId;
    }

    private static AdminResponse changed(LicenseRecord before, LicenseRecord after, boolean written) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("written", written);
        answer.put("previousStatus", lower(before.status()));
        answer.put("license", after);
        return AdminResponse.ok(answer);
    }

    private static LicenseRecordStatus status(String value) {
        for (LicenseRecordStatus status : LicenseRecordStatus.values()) {
            if (lower(status).equals(value)) {
                return status;
            }
        }
        throw AdminError.invalid("?status", "status must be active, suspended or revoked, was '" + value + "'");
    }

    static String lower(LicenseRecordStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }
}
