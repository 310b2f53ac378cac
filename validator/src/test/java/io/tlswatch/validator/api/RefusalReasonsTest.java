package io.tlswatch.validator.api;

import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.validator.token.DpopRejection;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalReasonsTest {

    @Test
    void aValidCheckHasNoRefusal() {
        assertThat(RefusalReasons.reason(LicenseCheckCode.VALID, null)).isNull();
    }

    @Test
    void aRefusedProofIsNamedByItsDpopRejection() {
        assertThat(RefusalReasons.reason(LicenseCheckCode.PROOF_INVALID, DpopRejection.IAT_OUT_OF_WINDOW))
                .isEqualTo("iat_out_of_window");
        assertThat(RefusalReasons.reason(LicenseCheckCode.PROOF_REQUIRED, null)).isEqualTo("missing");
    }

    @Test
    void aRefusedLicenseIsNamedByItsCodeInLowerCase() {
        assertThat(RefusalReasons.reason(LicenseCheckCode.TOO_MANY_MACHINES, null)).isEqualTo("too_many_machines");
        assertThat(RefusalReasons.reason(LicenseCheckCode.NOT_YET_VALID, null)).isEqualTo("not_yet_valid");
    }

    @Test
    void everyReasonThatCanBeGivenIsKnownAndNothingElse() {
        Set<String> given = new HashSet<>();
        for (LicenseCheckCode code : LicenseCheckCode.values()) {
            given.add(RefusalReasons.reason(code, null));
            for (DpopRejection rejection : DpopRejection.values()) {
                given.add(RefusalReasons.reason(code, rejection));
            }
        }
        given.remove(null);

        assertThat(RefusalReasons.KNOWN).containsExactlyInAnyOrderElementsOf(given);
        assertThat(RefusalReasons.KNOWN).allMatch(reason -> reason.matches("[a-z][a-z0-9_]*"));
    }
}
