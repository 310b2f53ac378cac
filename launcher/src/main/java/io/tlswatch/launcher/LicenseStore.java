package io.tlswatch.launcher;

import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.validator.license.IssuedLicense;
import io.tlswatch.validator.license.LicenseAdmin;
import io.tlswatch.validator.license.StatusChange;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@code tlswatch licenses} does, through the admin API ({@link ApiLicenseStore}) or, with {@code --direct},
 * straight in Kafka ({@link #direct}). Failures are {@code LicenseAdminException}s, whose kind is the exit code.
 */
interface LicenseStore extends AutoCloseable {

    IssuedLicense issue(String customer, String plan, List<String> entitlements, int maxMachines, Instant notBefore,
                        Instant notAfter, Duration grace);

    StatusChange revoke(String licenseId, String reason);

    StatusChange suspend(String licenseId, String reason);

    StatusChange resume(String licenseId, String reason);

    List<LicenseRecord> list();

    Optional<LicenseRecord> findByKey(String licenseKey);

    @Override
    void close();

    static LicenseStore direct(LicenseAdmin admin) {
        return new LicenseStore() {
            @Override
            public IssuedLicense issue(String customer, String plan, List<String> entitlements, int maxMachines,
                                       Instant notBefore, Instant notAfter, Duration grace) {
                return admin.issue(customer, plan, entitlements, maxMachines, notBefore, notAfter, grace);
            }

            @Override
            public StatusChange revoke(String licenseId, String reason) {
                return admin.revoke(licenseId, reason);
            }

            @Override
            public StatusChange suspend(String licenseId, String reason) {
                return admin.suspend(licenseId, reason);
            }

            @Override
            public StatusChange resume(String licenseId, String reason) {
                return admin.resume(licenseId, reason);
            }

            @Override
            public List<LicenseRecord> list() {
                return admin.list();
            }

            @Override
            public Optional<LicenseRecord> findByKey(String licenseKey) {
                return admin.findByKey(licenseKey);
            }

            @Override
            public void close() {
                admin.close();
            }
        };
    }
}
