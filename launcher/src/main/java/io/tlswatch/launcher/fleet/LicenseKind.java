package io.tlswatch.launcher.fleet;

/** The license a simulated installation runs under. Only {@link #GOOD} ones are ever answered {@code VALID}. */
public enum LicenseKind {
    GOOD,
    /** Its not-after is past: {@code EXPIRED}. */
    EXPIRED,
    /** Suspended after it was issued: {@code SUSPENDED}. */
    SUSPENDED,
    /** One license for one machine, shared by every installation of this kind: all but one get {@code TOO_MANY_MACHINES}. */
    OVERUSED
}
