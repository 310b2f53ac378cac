package io.tlswatch.streams.attribution;

import java.util.Locale;

/** What became of an event that named no client (a handshake, a NEL report). */
public enum AttributionOutcome {
    /** Exactly one client was seen at its address (with its fingerprint, where known). */
    ATTRIBUTED,
    /** Several clients share the address within the window: attributed to none of them. */
    AMBIGUOUS,
    /** No client was seen at its address within the window. */
    UNKNOWN;

    /** The metric tag value. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
