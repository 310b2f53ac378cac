package io.tlswatch.contract.event;

/**
 * The machine-readable outcome of a license validation, in the style of Keygen's validation codes. Unlike
 * tlswatch's other enums these travel in UPPER_CASE, as the license API returns them.
 */
public enum LicenseCheckCode {
    /** The license is valid for this client; an entitlement token was issued. */
    VALID,
    /** No license has this key. */
    NOT_FOUND,
    /** The license's not-after has passed. */
    EXPIRED,
    /** The license's not-before is still ahead. */
    NOT_YET_VALID,
    /** The license is suspended. */
    SUSPENDED,
    /** The license is revoked. */
    REVOKED,
    /** The license is already in use on its maximum number of machines (client ids). */
    TOO_MANY_MACHINES,
    /** Proof of possession is required and none was presented. */
    PROOF_REQUIRED,
    /** The proof of possession presented did not verify. */
    PROOF_INVALID
}
