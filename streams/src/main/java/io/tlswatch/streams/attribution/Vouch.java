package io.tlswatch.streams.attribution;

import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.LicenseCheckEvent;

import java.util.Set;

/**
 * What taught the address book that a client uses an address, kept per client and address, so that the posture
 * step can tell whether an event attributed through that address is bound to the client's pinned key
 * (docs/posture.md, "Whose reports count"): the thumbprint of the key that proved it (a valid check's verified
 * DPoP key, a report's signer), {@value #CHECK} for a valid check without a DPoP key, else {@value #UNBOUND}.
 */
public final class Vouch {

    /** A valid check whose proof was a client certificate, or none (by configuration): the license key vouches. */
    public static final String CHECK = "check";
    /** An unsigned report, or a refused check: anyone could have sent it. */
    public static final String UNBOUND = "unbound";

    private Vouch() {
    }

    public static String of(LicenseCheckEvent check) {
        if (!check.valid()) {
            return UNBOUND;
        }
        return check.proofJkt() != null ? check.proofJkt() : CHECK;
    }

    public static String of(ClientReportEvent report) {
        return report.signerJkt() != null ? report.signerJkt() : UNBOUND;
    }

    /**
     * Whether an event attributed through an address these vouches taught belongs to a client whose reports must
     * be signed by {@code pinnedJkt} ({@code null}: none pinned, anything goes). No vouches at all: a book written
     * before vouches were kept, taken as it was then.
     */
    public static boolean binds(Set<String> vouches, String pinnedJkt) {
        return pinnedJkt == null || vouches.isEmpty() || vouches.contains(pinnedJkt) || vouches.contains(CHECK);
    }
}
