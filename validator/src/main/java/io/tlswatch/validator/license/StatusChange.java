package io.tlswatch.validator.license;

import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.LicenseRecordStatus;

import java.util.Objects;

/**
 * What a revoke, suspend or resume did.
 *
 * @param previous the status before
 * @param license  the license's row now: the new row when {@code written}, else the unchanged one
 * @param written  whether a new row was written; {@code false} when the license already had the status asked for
 */
public record StatusChange(LicenseRecordStatus previous, LicenseRecord license, boolean written) {

    public StatusChange {
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(license, "license");
    }
}
