package io.tlswatch.streams.attribution;

import java.util.Locale;

/** What became of an event that named no client (a handshake, a NEL report). */
public enum AttributionOutcome {
    /**
     * Exactly one client seen at its address within the window was seen with its fingerprint (or the event has
     * none, or the only client there was never seen with any).
     */
    ATTRIBUTED,
    /**
     * Several clients share the address and the fingerprint does not single one out, or it is a fingerprint the
     * clients there were never seen with (perhaps an installation behind the same NAT nobody has heard from yet):
     * attributed to none of them.
     */
    AMBIGUOUS,
    /** No client was seen at its address within the window. */
    UNKNOWN;

    /** The metric tag value. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
