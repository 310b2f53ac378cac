package io.tlswatch.validator.license;

import io.tlswatch.contract.event.ProofKind;

import java.util.Objects;

/**
 * What the proof-of-possession check made of a request, as input to {@link LicenseDecision}. The proof itself
 * (a DPoP proof, RFC 9449, or the client certificate of a mutual-TLS connection, RFC 8705) is verified
 * elsewhere; the decision only needs its outcome.
 */
public sealed interface ProofOutcome {

    /** How the client tried to prove possession; {@link ProofKind#NONE} when it did not try. */
    ProofKind kind();

    static ProofOutcome none() {
        return None.INSTANCE;
    }

    /** A DPoP proof that verified; {@code jkt} is the RFC 7638 thumbprint the token is bound to. */
    static Valid dpop(String jkt) {
        return new Valid(ProofKind.DPOP, jkt);
    }

    /** A client certificate; {@code x5tS256} is its SHA-256 thumbprint the token is bound to. */
    static Valid mtls(String x5tS256) {
        return new Valid(ProofKind.MTLS, x5tS256);
    }

    /** A proof was presented and did not verify; {@code reason} is for logs, never for the client. */
    static Invalid invalid(ProofKind kind, String reason) {
        return new Invalid(kind, reason);
    }

    /** No proof presented. */
    record None() implements ProofOutcome {
        private static final None INSTANCE = new None();

        @Override
        public ProofKind kind() {
            return ProofKind.NONE;
        }
    }

    /** A proof that verified, and the thumbprint of the key the entitlement token will be bound to. */
    record Valid(ProofKind kind, String thumbprint) implements ProofOutcome {
        public Valid {
            Objects.requireNonNull(kind, "kind");
            if (kind == ProofKind.NONE) {
                throw new IllegalArgumentException("a valid proof has a kind, dpop or mtls");
            }
            if (thumbprint == null || thumbprint.isBlank()) {
                throw new IllegalArgumentException("a valid proof has the thumbprint the token is bound to");
            }
        }
    }

    /** A proof that was presented and refused. */
    record Invalid(ProofKind kind, String reason) implements ProofOutcome {
        public Invalid {
            Objects.requireNonNull(kind, "kind");
            if (kind == ProofKind.NONE) {
                throw new IllegalArgumentException("an invalid proof has a kind, dpop or mtls");
            }
            Objects.requireNonNull(reason, "reason");
        }
    }
}
