package io.tlswatch.validator.license;

import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.event.LicenseRecord;

import java.util.Objects;

/**
 * The outcome of one validation.
 *
 * @param code    the machine-readable code the API answers with
 * @param license the license the key belongs to; {@code null} exactly when {@code code} is {@code NOT_FOUND}
 * @param terms   the terms the license was held to; {@code null} exactly when {@code license} is
 */
public record LicenseVerdict(LicenseCheckCode code, LicenseRecord license, EffectiveTerms terms) {

    public LicenseVerdict {
        Objects.requireNonNull(code, "code");
        if ((code == LicenseCheckCode.NOT_FOUND) != (license == null)) {
            throw new IllegalArgumentException("a verdict carries its license unless the code is NOT_FOUND, was "
                    + code + " with " + (license == null ? "none" : license.licenseId()));
        }
        if ((license == null) != (terms == null)) {
            throw new IllegalArgumentException("a verdict carries terms exactly when it carries a license");
        }
    }

    static LicenseVerdict notFound() {
        return new LicenseVerdict(LicenseCheckCode.NOT_FOUND, null, null);
    }

    public boolean valid() {
        return code == LicenseCheckCode.VALID;
    }

    /** The license id, or {@code null} for {@code NOT_FOUND}: what the license-check event carries. */
    public String licenseId() {
        return license == null ? null : license.licenseId();
    }
}
