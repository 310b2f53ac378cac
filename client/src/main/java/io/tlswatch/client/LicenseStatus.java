package io.tlswatch.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of the license as the SDK knows it at one instant. Immutable; {@link LicenseClient#status()} makes
 * a fresh one on every call, so {@link #timeLeft()} is current.
 */
public final class LicenseStatus {

    private final LicenseState state;
    private final Instant at;
    private final String code;
    private final String detail;
    private final String licenseId;
    private final List<String> entitlements;
    private final Instant tokenExpiresAt;
    private final Instant graceUntil;
    private final String token;
    private final Instant lastAnswerAt;
    private final Failure lastFailure;
    private final Machine machine;

    LicenseStatus(LicenseState state, Instant at, String code, String detail, String licenseId,
                  List<String> entitlements, Instant tokenExpiresAt, Instant graceUntil, String token,
                  Instant lastAnswerAt, Failure lastFailure, Machine machine) {
        this.state = Objects.requireNonNull(state, "state");
        this.at = Objects.requireNonNull(at, "at");
        this.code = code;
        this.detail = detail;
        this.licenseId = licenseId;
        this.entitlements = entitlements == null ? Collections.<String>emptyList()
                : Collections.unmodifiableList(new ArrayList<>(entitlements));
        this.tokenExpiresAt = tokenExpiresAt;
        this.graceUntil = graceUntil;
        this.token = token;
        this.lastAnswerAt = lastAnswerAt;
        this.lastFailure = lastFailure;
        this.machine = machine;
    }

    public LicenseState state() {
        return state;
    }

    /** Whether licensed features may run: {@link LicenseState#VALID} or {@link LicenseState#GRACE}. */
    public boolean usable() {
        return state.usable();
    }

    /** The instant this snapshot describes, by the SDK's clock. */
    public Instant at() {
        return at;
    }

    /**
     * Whether the application must call {@link LicenseClient#activate()} before the license can be used here: the
     * server answered {@code NO_MACHINE} (the license's policy activates machines explicitly, and this one is not
     * active: never activated, deactivated, or culled for missed heartbeats).
     */
    public boolean activationRequired() {
        return state == LicenseState.INVALID && "NO_MACHINE".equals(code);
    }

    /** The server's last code ({@code VALID}, {@code REVOKED}, ...), if it ever answered. */
    public Optional<String> code() {
        return Optional.ofNullable(code);
    }

    /** The server's sentence for the code, for logs and support. */
    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }

    public Optional<String> licenseId() {
        return Optional.ofNullable(licenseId);
    }

    /** What the license entitles to while usable; empty otherwise. */
    public List<String> entitlements() {
        return state.usable() ? entitlements : Collections.<String>emptyList();
    }

    public Optional<Instant> tokenExpiresAt() {
        return Optional.ofNullable(tokenExpiresAt);
    }

    /** The end of the offline grace: the token's expiry plus the license's grace period. */
    public Optional<Instant> graceUntil() {
        return Optional.ofNullable(graceUntil);
    }

    /** How long the entitlement lasts without the server, from {@link #at()}: zero unless usable. */
    public Duration timeLeft() {
        if (!state.usable() || graceUntil == null || !at.isBefore(graceUntil)) {
            return Duration.ZERO;
        }
        return Duration.between(at, graceUntil);
    }

    /** The entitlement token while {@link LicenseState#VALID}, to pass on to the vendor's own services. */
    public Optional<String> token() {
        return state == LicenseState.VALID ? Optional.ofNullable(token) : Optional.empty();
    }

    /** When the server last decided (valid or not). */
    public Optional<Instant> lastAnswerAt() {
        return Optional.ofNullable(lastAnswerAt);
    }

    /**
     * This installation as a machine of the license, as the server's last answer described it (whether it holds a
     * slot, when its next heartbeat is due); empty when the server named none.
     */
    public Optional<Machine> machine() {
        return Optional.ofNullable(machine);
    }

    /** Why the last attempt to reach the server failed, if it did. */
    public Optional<Failure> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(state.name());
        if (code != null) {
            text.append(" (").append(code).append(')');
        }
        if (state.usable()) {
            text.append(", ").append(timeLeft()).append(" left");
        }
        if (lastFailure != null) {
            text.append(", last failure: ").append(lastFailure);
        }
        return text.toString();
    }

    /** A failed attempt to get a verdict: its class (the collector's taxonomy) and the raw message. */
    public static final class Failure {
        private final String errorClass;
        private final String message;
        private final Instant at;

        public Failure(String errorClass, String message, Instant at) {
            this.errorClass = Objects.requireNonNull(errorClass, "errorClass");
            this.message = message;
            this.at = Objects.requireNonNull(at, "at");
        }

        /** e.g. {@code tls.cert.authority_invalid}, {@code tcp.refused}, {@code token.bad_signature}. */
        public String errorClass() {
            return errorClass;
        }

        public String message() {
            return message;
        }

        public Instant at() {
            return at;
        }

        @Override
        public String toString() {
            return errorClass + " at " + at + (message == null ? "" : ": " + message);
        }
    }
}
