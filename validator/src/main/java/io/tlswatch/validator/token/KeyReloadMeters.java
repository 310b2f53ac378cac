package io.tlswatch.validator.token;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code tlswatch.token.keys.reloads}: changes of the signing key file taken in ({@code outcome=reloaded}) or
 * refused ({@code outcome=failed}). Both are registered at start-up, at 0, so that a rotation runbook can wait for
 * {@code reloaded} to go up on every replica.
 */
public final class KeyReloadMeters {

    public static final String NAME = "tlswatch.token.keys.reloads";

    private final Counter reloaded;
    private final Counter failed;

    public KeyReloadMeters(MeterRegistry registry) {
        this.reloaded = counter(registry, "reloaded");
        this.failed = counter(registry, "failed");
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder(NAME).tag("outcome", outcome)
                .description("Changes of token.keyFile taken in (reloaded) or refused, old keys kept (failed)")
                .register(registry);
    }

    void reloaded() {
        reloaded.increment();
    }

    void failed() {
        failed.increment();
    }
}
