package io.tlswatch.validator.token;

/** A signing key or key file that cannot be used: a configuration error, reported at start-up. */
public final class SigningKeyException extends RuntimeException {

    public SigningKeyException(String message) {
        super(message);
    }

    public SigningKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
