package io.tlswatch.client;

/** What the application may do with its license right now. */
public enum LicenseState {
    /** The server said the license is valid and the entitlement token has not expired. */
    VALID,
    /**
     * The token has expired and the server could not be reached (or could not be talked to) to renew it: the
     * entitlement still holds until the token's expiry plus the license's grace period
     * ({@link LicenseStatus#timeLeft()} says how long).
     */
    GRACE,
    /** The server answered that the license is not valid ({@link LicenseStatus#code()} says why). */
    INVALID,
    /**
     * No entitlement to go on, and no verdict: never validated yet, or the grace ran out without the server
     * being reached. Not {@link #INVALID}: the server never said so.
     */
    UNVERIFIED;

    /** Whether the application may run licensed features. */
    public boolean usable() {
        return this == VALID || this == GRACE;
    }
}
