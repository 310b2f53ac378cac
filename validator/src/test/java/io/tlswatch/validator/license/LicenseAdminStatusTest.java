package io.tlswatch.validator.license;

import io.tlswatch.contract.event.LicenseRecordStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The status changes the admin operations allow: suspend and resume toggle, revocation is final. */
class LicenseAdminStatusTest {

    @ParameterizedTest(name = "{0} asked {1} -> {2}")
    @CsvSource({
            "ACTIVE, SUSPENDED, SUSPENDED",
            "ACTIVE, REVOKED, REVOKED",
            "ACTIVE, ACTIVE, ACTIVE",
            "SUSPENDED, ACTIVE, ACTIVE",
            "SUSPENDED, REVOKED, REVOKED",
            "SUSPENDED, SUSPENDED, SUSPENDED",
            "REVOKED, REVOKED, REVOKED"
    })
    void allowedChanges(LicenseRecordStatus current, LicenseRecordStatus asked, LicenseRecordStatus result) {
        assertThat(LicenseAdmin.nextStatus("lic-1", current, asked)).isEqualTo(result);
    }

    @Test
    void aRevokedLicenseCannotBeResumed() {
        assertThatThrownBy(() -> LicenseAdmin.nextStatus("lic-1", LicenseRecordStatus.REVOKED, LicenseRecordStatus.ACTIVE))
                .isInstanceOfSatisfying(LicenseAdminException.class,
                        e -> assertThat(e.kind()).isEqualTo(LicenseAdminException.Kind.REFUSED))
                .hasMessage("license lic-1 is revoked, and revocation is final: it cannot be resumed;"
                        + " issue a new license instead");
    }

    @Test
    void aRevokedLicenseCannotBeSuspended() {
        assertThatThrownBy(() -> LicenseAdmin.nextStatus("lic-1", LicenseRecordStatus.REVOKED, LicenseRecordStatus.SUSPENDED))
                .isInstanceOf(LicenseAdminException.class)
                .hasMessageContaining("cannot be suspended");
    }
}
