package io.tlswatch.streams.posture;

import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.LicenseCheckEvent;

import java.util.Locale;

/**
 * Ties a client's reports to its key. The collector proves only which key signed a report; anyone can name
 * any client id. A report counts for the client it names when the client has no pinned key yet, or when it is
 * signed by the pinned key. The key is pinned by the client's first valid license check with a verified DPoP
 * proof (the validator's evidence), else, for a client never seen passing a check, by its first signed report
 * (trust on first use), which such a check later overrides.
 */
public final class ReportBinding {

    /** Why a report does not count for the client it names; the metric's {@code reason} tag. */
    public enum Unbound {
        /** Signed, by a key other than the client's pinned one. */
        OTHER_KEY,
        /** Not signed (or signed before collectors named the key), for a client with a pinned key. */
        UNSIGNED;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What a report does to its client.
     *
     * @param unbound why it does not count, {@code null} when it counts
     * @param pin     the client's pin afterwards
     */
    public record Decision(Unbound unbound, KeyPin pin) {
        public boolean counts() {
            return unbound == null;
        }
    }

    private ReportBinding() {
    }

    /**
     * @param pin the client's pin, {@code null} when none
     */
    public static Decision report(KeyPin pin, ClientReportEvent report) {
        if (report.clientId() == null) {
            // A NEL report attributed by address names nobody: it is evidence from the address, like a handshake.
            return new Decision(null, pin);
        }
        String signer = report.signerJkt();
        if (pin == null) {
            return new Decision(null, signer == null ? null
                    : new KeyPin(signer, KeyPin.Source.REPORT, report.time()));
        }
        if (signer == null) {
            return new Decision(Unbound.UNSIGNED, pin);
        }
        return signer.equals(pin.jkt()) ? new Decision(null, pin) : new Decision(Unbound.OTHER_KEY, pin);
    }

    /**
     * A valid check whose DPoP proof verified pins its key when nothing is pinned, and over a pin by a report;
     * a pin by a check stays (the SDK keeps one key per installation for good).
     *
     * @param pin the client's pin, {@code null} when none
     * @return the client's pin afterwards
     */
    public static KeyPin check(KeyPin pin, LicenseCheckEvent check) {
        // Only a valid check: anyone can make a DPoP proof with a key of their own; a license key is a secret.
        if (!check.valid() || check.proofJkt() == null) {
            return pin;
        }
        if (pin == null || pin.by() == KeyPin.Source.REPORT) {
            return new KeyPin(check.proofJkt(), KeyPin.Source.CHECK, check.time());
        }
        return pin;
    }
}
