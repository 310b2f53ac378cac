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
    PROOF_INVALID,
    /** The license's policy activates machines explicitly, and this client is not an active machine. */
    NO_MACHINE,
    /** Heartbeats are required and this machine never sent one within an interval of its activation. */
    HEARTBEAT_NOT_STARTED,
    /** Heartbeats are required and this machine's last one is overdue; its policy keeps dead machines. */
    HEARTBEAT_DEAD,
    /** The check asked for entitlements the license does not have, or its policy does not allow asking for. */
    ENTITLEMENTS_MISSING
}
