package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * One license: the row of the registry, the compacted table {@code tlswatch.licenses.v1}, keyed by the license
 * id. Each change is a whole new row (with a new {@code id}); a {@code null} value deletes the license.
 *
 * <p>The license key itself is never stored, only its hash: whoever reads the topic cannot validate as a
 * customer. Keys are long random strings, so an unsalted hash is enough (as for API tokens).
 *
 * @param time         when this version of the row was written
 * @param licenseId    the license's id (not secret)
 * @param customer     who it was issued to
 * @param plan         the plan name
 * @param entitlements what it entitles to, e.g. feature names; order kept
 * @param maxMachines  how many distinct client ids may validate with it within the machine window, at least 1
 * @param notBefore    start of validity
 * @param notAfter     end of validity; {@code null} for a license that never expires
 * @param status       administrative status
 * @param gracePeriod  how long a client may keep working offline past its last entitlement token's expiry
 * @param keyHash      {@link #keyHashOf SHA-256} of the license key, 64 lowercase hex digits
 * @param policyId     the {@link PolicyRecord policy} whose terms the license inherits; optional (the validator's
 *                     defaults, with {@code maxMachines} and {@code gracePeriod} above, apply without one)
 * @param overrides    terms of this license that win over its policy's; optional
 * @param operator     who wrote this version (an admin token's name, or the CLI's {@code user@host}); optional
 * @param reason       why, as the operator gave it (a revocation's reason, say); optional
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LicenseRecord(
        String type,
        String id,
        Instant time,
        String source,
        String licenseId,
        String customer,
        String plan,
        List<String> entitlements,
        @JsonProperty(required = true) int maxMachines,
        Instant notBefore,
        Instant notAfter,
        LicenseRecordStatus status,
        Duration gracePeriod,
        String keyHash,
        String policyId,
        PolicyTerms overrides,
        String operator,
        String reason) implements Event {

    public static final String TYPE = "tlswatch.license/1";

    public LicenseRecord {
        Fields.envelope(TYPE, type, id, time, source);
        time = Fields.millis(time);
        Fields.text("licenseId", licenseId);
        Fields.text("customer", customer);
        Fields.text("plan", plan);
        entitlements = Fields.list("entitlements", entitlements);
        if (maxMachines < 1) {
            throw new IllegalArgumentException("field 'maxMachines' must be at least 1, was " + maxMachines);
        }
        notBefore = Fields.requiredMillis("notBefore", notBefore);
        notAfter = Fields.millis(notAfter);
        if (notAfter != null && !notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("field 'notAfter' must be after 'notBefore'");
        }
        Fields.required("status", status);
        if (Fields.required("gracePeriod", gracePeriod).isNegative()) {
            throw new IllegalArgumentException("field 'gracePeriod' must not be negative, was " + gracePeriod);
        }
        Fields.sha256("keyHash", Fields.required("keyHash", keyHash));
        Fields.optionalText("policyId", policyId);
        Fields.optionalText("operator", operator);
        Fields.optionalText("reason", reason);
    }

    /** The one way to hash a license key for {@link #keyHash()}: SHA-256 over its UTF-8 bytes, lowercase hex. */
    public static String keyHashOf(String licenseKey) {
        Fields.text("licenseKey", licenseKey);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(licenseKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Whether this license is usable at {@code at} by its dates and status (grace not counted). */
    public boolean activeAt(Instant at) {
        return status == LicenseRecordStatus.ACTIVE && !at.isBefore(notBefore) && (notAfter == null || at.isBefore(notAfter));
    }

    @Override
    public String key() {
        return licenseId;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this row's values with a fresh id: the next version of the row. */
    public Builder toBuilder() {
        return new Builder().time(time).source(source).licenseId(licenseId).customer(customer).plan(plan)
                .entitlements(entitlements).maxMachines(maxMachines).notBefore(notBefore).notAfter(notAfter)
                .status(status).gracePeriod(gracePeriod).keyHash(keyHash).policyId(policyId).overrides(overrides);
    }

    /** Defaults: a fresh random id, status {@code active}, one machine, no grace. */
    public static final class Builder extends EventBuilder<Builder> {
        private String licenseId;
        private String customer;
        private String plan;
        private List<String> entitlements;
        private int maxMachines = 1;
        private Instant notBefore;
        private Instant notAfter;
        private LicenseRecordStatus status = LicenseRecordStatus.ACTIVE;
        private Duration gracePeriod = Duration.ZERO;
        private String keyHash;
        private String policyId;
        private PolicyTerms overrides;
        private String operator;
        private String reason;

        private Builder() {
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder licenseId(String value) {
            this.licenseId = value;
            return this;
        }

        public Builder customer(String value) {
            this.customer = value;
            return this;
        }

        public Builder plan(String value) {
            this.plan = value;
            return this;
        }

        public Builder entitlements(List<String> value) {
            this.entitlements = value;
            return this;
        }

        public Builder maxMachines(int value) {
            this.maxMachines = value;
            return this;
        }

        public Builder notBefore(Instant value) {
            this.notBefore = value;
            return this;
        }

        public Builder notAfter(Instant value) {
            this.notAfter = value;
            return this;
        }

        public Builder status(LicenseRecordStatus value) {
            this.status = value;
            return this;
        }

        public Builder gracePeriod(Duration value) {
            this.gracePeriod = value;
            return this;
        }

        public Builder keyHash(String value) {
            this.keyHash = value;
            return this;
        }

        public Builder policyId(String value) {
            this.policyId = value;
            return this;
        }

        public Builder overrides(PolicyTerms value) {
            this.overrides = value;
            return this;
        }

        /** Who writes this version; not carried over by {@link #toBuilder()}, since each change has its own. */
        public Builder operator(String value) {
            this.operator = value;
            return this;
        }

        /** Why this version is written; not carried over by {@link #toBuilder()}. */
        public Builder reason(String value) {
            this.reason = value;
            return this;
        }

        /** Stores the hash of {@code licenseKey}; the key itself goes nowhere. */
        public Builder licenseKey(String licenseKey) {
            this.keyHash = keyHashOf(licenseKey);
            return this;
        }

        public LicenseRecord build() {
            return new LicenseRecord(TYPE, id, time, source, licenseId, customer, plan, entitlements, maxMachines,
                    notBefore, notAfter, status, gracePeriod, keyHash, policyId, overrides, operator, reason);
        }
    }
}
