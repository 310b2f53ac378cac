package io.tlswatch.validator.admin;

import io.tlswatch.contract.event.LicenseRecordStatus;
import io.tlswatch.contract.event.PolicyRecord;
import io.tlswatch.contract.event.PolicyTerms;
import io.tlswatch.contract.topic.Deletion;
import io.tlswatch.contract.topic.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The policy endpoints: create, list, get, replace, delete. Each change is a whole new row of
 * {@code tlswatch.policies.v1}, written with acks=all, naming the token as {@code operator}, then awaited in the
 * policy table (bounded). A policy still named by a license that is not revoked cannot be deleted (409): its
 * licenses would silently fall back to the validator's defaults.
 */
public final class PolicyOperations {

    private static final Logger log = LoggerFactory.getLogger(PolicyOperations.class);
    public static final Set<String> CREATE_FIELDS = Set.of("policyId", "name", "terms", "reason");
    public static final Set<String> UPDATE_FIELDS = Set.of("name", "terms", "reason");

    private final PolicyDirectory policies;
    private final LicenseDirectory licenses;
    private final AdminWrites writes;
    private final Topic<String, PolicyRecord> topic;
    private final SecureRandom random;
    private final Clock clock;
    private final String source;
    private final Duration applyTimeout;

    public PolicyOperations(PolicyDirectory policies, LicenseDirectory licenses, AdminWrites writes,
                            Topic<String, PolicyRecord> topic, SecureRandom random, Clock clock, String source,
                            Duration applyTimeout) {
        this.policies = policies;
        this.licenses = licenses;
        this.writes = writes;
        this.topic = topic;
        this.random = random;
        this.clock = clock;
        this.source = source;
        this.applyTimeout = applyTimeout;
    }

    public AdminResponse list() {
        List<PolicyRecord> all = policies.all().stream().sorted(Comparator.comparing(PolicyRecord::policyId)).toList();
        return AdminResponse.ok(Map.of("policies", all));
    }

    public AdminResponse get(String policyId) {
        return AdminResponse.ok(existing(policyId));
    }

    /** {@code POST /v1/admin/policies}: 201 with the policy; a chosen id that exists is a 409. */
    public synchronized AdminResponse create(AdminPrincipal by, AdminBody body) {
        String chosen = body.text("policyId");
        if (chosen != null && !LicenseOperations.ID.matcher(chosen).matches()) {
            throw AdminError.invalid("/policyId", "policyId must be 1 to 64 of A-Z a-z 0-9 . _ - "
                    + "starting with a letter or digit");
        }
        String policyId = chosen == null ? "pol-" + HexFormat.of().formatHex(bytes()) : chosen;
        if (policies.get(policyId).isPresent()) {
            throw AdminError.conflict("policy_exists", "/policyId", "a policy with id '" + policyId
                    + "' already exists (replace it with PUT)");
        }
        PolicyRecord policy = row(by, policyId, body);
        write(policyId, policy);
        log.info("Policy {} ({}) created by {}: {}", policyId, policy.name(), by.name(), policy.terms());
        return AdminResponse.created(policy);
    }

    /** {@code PUT /v1/admin/policies/{id}}: the whole policy, replaced; its licenses follow at once. */
    public synchronized AdminResponse update(AdminPrincipal by, String policyId, AdminBody body) {
        existing(policyId);
        PolicyRecord policy = row(by, policyId, body);
        write(policyId, policy);
        log.info("Policy {} ({}) replaced by {}: {}", policyId, policy.name(), by.name(), policy.terms());
        return AdminResponse.ok(policy);
    }

    /**
     * {@code DELETE /v1/admin/policies/{id}?reason=}: a tombstone, whose record headers name the operator and
     * the reason ({@link Deletion}).
     */
    public synchronized AdminResponse delete(AdminPrincipal by, String policyId, String reason) {
        PolicyRecord current = existing(policyId);
        long using = licenses.all().stream()
                .filter(l -> policyId.equals(l.policyId()) && l.status() != LicenseRecordStatus.REVOKED)
                .count();
        if (using > 0) {
            throw AdminError.conflict("policy_in_use", "policyId", "policy " + policyId + " is named by " + using
                    + " license(s) that are not revoked; move them to another policy first (PATCH)");
        }
        awaitApplied(policyId, writes.delete(topic, policyId, new Deletion(by.name(), reason)));
        log.info("Policy {} ({}) deleted by {}: {}", policyId, current.name(), by.name(), reason);
        return AdminResponse.ok(Map.of("deleted", policyId));
    }

    private PolicyRecord row(AdminPrincipal by, String policyId, AdminBody body) {
        String name = body.requiredText("name");
        PolicyTerms terms = body.terms("terms");
        String reason = body.text("reason");
        return PolicyRecord.of(clock.instant(), source, policyId, name, terms, by.name(), reason);
    }

    private void write(String policyId, PolicyRecord policy) {
        awaitApplied(policyId, writes.write(topic, policyId, policy, null));
    }

    private void awaitApplied(String policyId, AdminWrites.Written written) {
        try {
            if (!policies.awaitApplied(written, applyTimeout)) {
                log.warn("Policy {} was written but not seen in the policy table within {}", policyId, applyTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private PolicyRecord existing(String policyId) {
        return policies.get(policyId).orElseThrow(() -> AdminError.notFound("policyId",
                "no policy with id '" + policyId + "'"));
    }

    private byte[] bytes() {
        byte[] bytes = new byte[6];
        random.nextBytes(bytes);
        return bytes;
    }
}
