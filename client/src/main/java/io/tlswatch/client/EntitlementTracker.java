package io.tlswatch.client;

import io.tlswatch.client.token.VerifiedToken;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;

/**
 * The state machine behind {@link LicenseStatus}, free of I/O and time of its own: it is told what happened
 * (a valid answer with a verified token, an invalid answer, a failure to get either) and computes the state for
 * any instant. {@code VALID} until the token's expiry, then {@code GRACE} until expiry plus the license's grace,
 * then {@code UNVERIFIED}; {@code INVALID} from an invalid answer until the next valid one. A failure never
 * changes what the last answer established. Thread-safe.
 */
final class EntitlementTracker {

    private VerifiedToken token;
    private Duration grace = Duration.ZERO;
    private String code;
    private String detail;
    private String licenseId;
    private boolean invalid;
    private Instant lastAnswerAt;
    private LicenseStatus.Failure lastFailure;
    private Machine machine;

    synchronized void valid(VerifiedToken verified, Duration licenseGrace, String answerDetail, Instant at) {
        token = verified;
        grace = licenseGrace.isNegative() ? Duration.ZERO : licenseGrace;
        code = "VALID";
        detail = answerDetail;
        licenseId = verified.licenseId();
        invalid = false;
        lastAnswerAt = at;
        lastFailure = null;
    }

    synchronized void invalid(String answerCode, String answerDetail, String answerLicenseId, Instant at) {
        token = null;
        code = answerCode;
        detail = answerDetail;
        if (answerLicenseId != null) {
            licenseId = answerLicenseId;
        }
        invalid = true;
        lastAnswerAt = at;
        lastFailure = null;
    }

    synchronized void failed(String errorClass, String message, Instant at) {
        lastFailure = new LicenseStatus.Failure(errorClass, message, at);
    }

    /** The machine the server's last answer described ({@code null}: none). */
    synchronized void machine(Machine described) {
        machine = described;
    }

    /** A heartbeat was taken: the server is reachable, and describes the machine so. */
    synchronized void heartbeat(Machine described) {
        machine = described;
        lastFailure = null;
    }

    /** The token currently held, valid or in grace; {@code null} when none. */
    synchronized VerifiedToken token() {
        return token;
    }

    synchronized LicenseStatus status(Instant now) {
        LicenseState state;
        Instant graceUntil = token == null ? null : token.expiresAt().plus(grace);
        if (invalid) {
            state = LicenseState.INVALID;
        } else if (token != null && now.isBefore(token.expiresAt())) {
            state = LicenseState.VALID;
        } else if (token != null && now.isBefore(graceUntil)) {
            state = LicenseState.GRACE;
        } else {
            state = LicenseState.UNVERIFIED;
        }
        return new LicenseStatus(state, now, code, detail, licenseId,
                token == null ? Collections.<String>emptyList() : token.entitlements(),
                token == null ? null : token.expiresAt(), graceUntil,
                token == null ? null : token.token(), lastAnswerAt, lastFailure, machine);
    }
}
