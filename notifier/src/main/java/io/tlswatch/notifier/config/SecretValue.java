package io.tlswatch.notifier.config;

import java.util.Objects;

/** A resolved secret. Its {@code toString} hides it, so logging a record that holds one leaks nothing. */
public final class SecretValue {

    private final String value;

    public SecretValue(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** The secret itself; only for building a request. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "(secret)";
    }
}
