package io.tlswatch.validator.api;

import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.validator.token.DpopRejection;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalsTest {

    @Test
    void aValidCheckHasNoRefusal() {
        assertThat(Refusals.reason(LicenseCheckCode.VALID, null)).isNull();
    }

    @Test
    void aRefusedProofIsNamedByItsDpopRejection() {
        assertThat(Refusals.reason(LicenseCheckCode.PROOF_INVALID, DpopRejection.IAT_OUT_OF_WINDOW))
                .isEqualTo("iat_out_of_window");
        assertThat(Refusals.reason(LicenseCheckCode.PROOF_REQUIRED, null)).isEqualTo("missing");
    }

    @Test
    void aRefusedLicenseIsNamedByItsCodeInLowerCase() {
        assertThat(Refusals.reason(LicenseCheckCode.TOO_MANY_MACHINES, null)).isEqualTo("too_many_machines");
        assertThat(Refusals.reason(LicenseCheckCode.NOT_YET_VALID, null)).isEqualTo("not_yet_valid");
    }

    @Test
    void everyReasonThatCanBeGivenIsKnownAndNothingElse() {
        Set<String> given = new HashSet<>();
        for (LicenseCheckCode code : LicenseCheckCode.values()) {
            given.add(Refusals.reason(code, null));
            for (DpopRejection rejection : DpopRejection.values()) {
                given.add(Refusals.reason(code, rejection));
            }
        }
        given.remove(null);

        assertThat(Refusals.KNOWN).containsExactlyInAnyOrderElementsOf(given);
        assertThat(Refusals.KNOWN).allMatch(reason -> reason.matches("[a-z][a-z0-9_]*"));
    }
}
