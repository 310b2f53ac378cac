package io.tlswatch.validator.license;

import io.tlswatch.contract.event.LicenseRecord;

import java.util.Objects;

/**
 * A license just issued, and its key. The key exists only here: the registry stores its hash, so this is the
 * one time it can be shown.
 */
public record IssuedLicense(LicenseRecord license, String licenseKey) {

    public IssuedLicense {
        Objects.requireNonNull(license, "license");
        Objects.requireNonNull(licenseKey, "licenseKey");
        if (!LicenseRecord.keyHashOf(licenseKey).equals(license.keyHash())) {
            throw new IllegalArgumentException("the key does not match the license's key hash");
        }
    }

    /** Leaves the key out, so that logging the result cannot leak it. */
    @Override
    public String toString() {
        return "IssuedLicense[license=" + license + ", licenseKey=(hidden)]";
    }
}
