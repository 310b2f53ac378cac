package io.tlswatch.validator.license;

import io.tlswatch.contract.event.LicenseRecord;

import java.util.Optional;

/** Finds a license by the hash of its key; {@link LicenseRegistry} is the one that serves the validator. */
@FunctionalInterface
public interface LicenseLookup {

    /** The license whose {@link LicenseRecord#keyHash() keyHash} is {@code keyHash}, if any. */
    Optional<LicenseRecord> byKeyHash(String keyHash);

    /** The license whose key is {@code licenseKey}: the key is hashed, as only its hash is stored. */
    default Optional<LicenseRecord> byKey(String licenseKey) {
        return byKeyHash(LicenseRecord.keyHashOf(licenseKey));
    }
}
