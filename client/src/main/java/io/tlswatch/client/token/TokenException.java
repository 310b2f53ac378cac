package io.tlswatch.client.token;

/** A token the SDK will not use, with the rule it broke (for the status and the logs). */
public final class TokenException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String reason;

    public TokenException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public TokenException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** A short lowercase word: {@code bad_signature}, {@code unknown_kid}, {@code binding_mismatch}, ... */
    public String reason() {
        return reason;
    }
}
