package io.tlswatch.client.report;

import java.util.Objects;

/** An exception's error class, and whether it is a failure the SDK reports to the collector. */
public final class Classification {

    private final String errorClass;
    private final boolean reportable;
    private final String message;

    public Classification(String errorClass, boolean reportable, String message) {
        this.errorClass = Objects.requireNonNull(errorClass, "errorClass");
        this.reportable = reportable;
        this.message = message;
    }

    public String errorClass() {
        return errorClass;
    }

    /** A failure in the TLS layer or a timeout: what the collector exists to hear about. */
    public boolean reportable() {
        return reportable;
    }

    /** The exception chain's messages, for a person. */
    public String message() {
        return message;
    }

    @Override
    public String toString() {
        return errorClass + (reportable ? " (reported)" : "") + ": " + message;
    }
}
