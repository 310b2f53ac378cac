package io.tlswatch.validator.license;

import java.util.Objects;

/** An administration operation that did not happen; the message is meant for the operator as it is. */
public final class LicenseAdminException extends RuntimeException {

    /** Why, so that a command can choose its exit code. */
    public enum Kind {
        /** No license has the id given. */
        NOT_FOUND,
        /** The operation is not allowed on the license as it is, e.g. resuming a revoked license. */
        REFUSED,
        /** An argument is invalid, e.g. a not-after before the not-before. */
        INVALID,
        /** Kafka did not answer, refused, or did not confirm in time. */
        KAFKA
    }

    private final Kind kind;

    public LicenseAdminException(Kind kind, String message) {
        this(kind, message, null);
    }

    public LicenseAdminException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
