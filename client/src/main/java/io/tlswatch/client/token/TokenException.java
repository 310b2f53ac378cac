package io.tlswatch.client.token;

import java.time.Duration;
import java.util.Optional;

/** A token the SDK will not use, with the rule it broke (for the status and the logs). */
public final class TokenException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String reason;
    private final Duration clockOffset;

    public TokenException(String reason, String message) {
        this(reason, message, (Duration) null);
    }

    /**
     * A fresh token refused for its times, which is this client's clock's doing.
     *
     * @param clockOffset this client's clock minus the issuer's when it issued the token
     */
    public TokenException(String reason, String message, Duration clockOffset) {
        super(message);
        this.reason = reason;
        this.clockOffset = clockOffset;
    }

    public TokenException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.clockOffset = null;
    }

    /** A short lowercase word: {@code bad_signature}, {@code unknown_kid}, {@code binding_mismatch}, ... */
    public String reason() {
        return reason;
    }

    /**
     * For a fresh token refused as {@code expired} or {@code not_yet_valid}: how far this client's clock is from
     * the issuer's (positive: ahead). Empty for every other refusal.
     */
    public Optional<Duration> clockOffset() {
        return Optional.ofNullable(clockOffset);
    }
}
