package io.tlswatch.validator.api;

import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.validator.token.DpopRejection;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The reason a license check was refused, as the {@code refusal} field of its event, the {@code reason} tag of
 * {@code tlswatch.license.refusals} and the refusal log name it (docs/events.md): finer than the API code where
 * the code lumps causes together (every DPoP problem is {@code PROOF_INVALID}), the code in lower case
 * otherwise. A bounded set, {@link #KNOWN}.
 */
public final class RefusalReasons {

    /** Every reason {@link #reason} can return. */
    public static final Set<String> KNOWN = known();

    private RefusalReasons() {
    }

    /**
     * @param rejection why the DPoP proof was refused, {@code null} when none was (or none was presented)
     * @return {@code null} when {@code VALID}
     */
    public static String reason(LicenseCheckCode code, DpopRejection rejection) {
        return switch (code) {
            case VALID -> null;
            case PROOF_REQUIRED -> DpopRejection.MISSING.tag();
            // Only a DPoP proof can be invalid today (a client certificate is verified by the TLS layer); should
            // another kind be, the code still names the refusal.
            case PROOF_INVALID -> rejection == null ? lower(code) : rejection.tag();
            default -> lower(code);
        };
    }

    private static String lower(LicenseCheckCode code) {
        return code.name().toLowerCase(Locale.ROOT);
    }

    private static Set<String> known() {
        Set<String> known = new TreeSet<>();
        for (LicenseCheckCode code : LicenseCheckCode.values()) {
            if (code != LicenseCheckCode.VALID && code != LicenseCheckCode.PROOF_REQUIRED) {
                known.add(lower(code));
            }
        }
        for (DpopRejection rejection : DpopRejection.values()) {
            known.add(rejection.tag());
        }
        return Set.copyOf(known);
    }
}
