package io.tlswatch.launcher.fleet;

import java.util.List;

/**
 * A TLS stack a simulated installation runs, and the posture the streams job should give a client that runs it
 * (docs/demo.md says why for each).
 */
public enum Stack {
    /** TLS 1.3 and 1.2 with AEAD suites, trusting the server's CA: a current runtime. */
    MODERN("modern", Expectation.HEALTHY),
    /** TLS 1.2 only, AEAD suites: older, but nothing scheduled to break. */
    TLS12_ONLY("tls1.2-only", Expectation.HEALTHY),
    /** TLS 1.2 with legacy CBC suites only: the license server (Mozilla intermediate) shares no suite with it. */
    TLS12_CBC("tls1.2-cbc", Expectation.OUTDATED),
    /** TLS 1.0 and 1.1 only, as a Java 7 runtime: the license server refuses the version. */
    LEGACY_TLS10("tls1.0/1.1", Expectation.OUTDATED),
    /** A trust store from before the server's CA: the client refuses the server's certificate, so it cannot validate. */
    OLD_TRUST_STORE("old-trust-store", Expectation.OUTDATED),
    /** A clock two hours behind: the server's certificate is not valid yet by its clock, so it cannot validate. */
    CLOCK_OFF("clock-off", Expectation.OUTDATED);

    /** What the posture of a client on this stack should become. */
    public enum Expectation {
        HEALTHY(List.of("healthy")),
        /** It cannot validate its license (an outdated TLS stack, trust store or clock): stuck or at risk. */
        OUTDATED(List.of("stuck", "at_risk"));

        private final List<String> postures;

        Expectation(List<String> postures) {
            this.postures = postures;
        }

        /** The posture names (as the streams API writes them) that meet this expectation. */
        public List<String> postures() {
            return postures;
        }
    }

    private final String label;
    private final Expectation expectation;

    Stack(String label, Expectation expectation) {
        this.label = label;
        this.expectation = expectation;
    }

    public String label() {
        return label;
    }

    public Expectation expectation() {
        return expectation;
    }

    public boolean outdated() {
        return expectation == Expectation.OUTDATED;
    }

    /**
     * A TLS stack too old for the license server (versions or suites), which an installation replaces by
     * upgrading its runtime: what the demo's churn upgrades. A trust store or a clock that keeps an installation
     * from validating is not churned, so that the demo's plan for a seed stays what it was.
     */
    public boolean oldTls() {
        return this == TLS12_CBC || this == LEGACY_TLS10;
    }
}
