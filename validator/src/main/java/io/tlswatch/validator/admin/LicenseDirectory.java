package io.tlswatch.validator.admin;

import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.validator.license.LicenseRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The licenses the admin API reads: the validator's own registry, which follows the license topic. */
public interface LicenseDirectory {

    Optional<LicenseRecord> get(String licenseId);

    /** Every license, by license id. */
    List<LicenseRecord> all();

    /**
     * Waits until the registry holds the row with event id {@code rowId} (one just written), so that a read right
     * after a change sees it.
     *
     * @return whether it did within {@code timeout}
     */
    boolean awaitRow(String licenseId, String rowId, Duration timeout) throws InterruptedException;

    static LicenseDirectory of(LicenseRegistry registry) {
        return new LicenseDirectory() {
            @Override
            public Optional<LicenseRecord> get(String licenseId) {
                return registry.byLicenseId(licenseId);
            }

            @Override
            public List<LicenseRecord> all() {
                return registry.licenses();
            }

            @Override
            public boolean awaitRow(String licenseId, String rowId, Duration timeout) throws InterruptedException {
                return registry.awaitLicense(licenseId, row -> row.id().equals(rowId), timeout);
            }
        };
    }
}
