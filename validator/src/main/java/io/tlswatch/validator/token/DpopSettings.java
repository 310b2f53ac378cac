package io.tlswatch.validator.token;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How strictly DPoP proofs are checked.
 *
 * @param iatWindow      how far a proof's {@code iat} may be from the server's clock, either way; 60 seconds by
 *                       default, at most 10 minutes. A proof's {@code jti} is remembered as long as the proof
 *                       could be accepted.
 * @param maxProofLength the longest proof, in characters, looked at; 8 KiB by default
 * @param algorithms     the accepted JWS {@code alg} values, a subset of {@link #SUPPORTED_ALGORITHMS}
 */
public record DpopSettings(Duration iatWindow, int maxProofLength, Set<String> algorithms) {

    /**
     * Asymmetric algorithms only; {@code none} and the HMACs can never be configured. {@code Ed25519} is the
     * fully-specified name (RFC 9864) of what {@code EdDSA} means here.
     */
    public static final Set<String> SUPPORTED_ALGORITHMS = Set.of("EdDSA", "Ed25519", "ES256", "RS256", "PS256");

    public static final Duration DEFAULT_IAT_WINDOW = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_PROOF_LENGTH = 8 * 1024;

    public DpopSettings {
        Objects.requireNonNull(iatWindow, "iatWindow");
        if (iatWindow.compareTo(Duration.ofSeconds(1)) < 0 || iatWindow.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("DPoP iat window must be between 1 second and 10 minutes, got "
                    + iatWindow);
        }
        if (maxProofLength < 1024 || maxProofLength > 64 * 1024) {
            throw new IllegalArgumentException("maximum DPoP proof length must be between 1024 and 65536, got "
                    + maxProofLength);
        }
        algorithms = Set.copyOf(Objects.requireNonNull(algorithms, "algorithms"));
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("at least one DPoP algorithm must be accepted");
        }
        for (String alg : algorithms) {
            if (!SUPPORTED_ALGORITHMS.contains(alg)) {
                throw new IllegalArgumentException("DPoP algorithm " + alg + " is not one of " + SUPPORTED_ALGORITHMS);
            }
        }
    }

    /** ±60 s, 8 KiB, every supported algorithm. */
    public static DpopSettings defaults() {
        return new DpopSettings(DEFAULT_IAT_WINDOW, DEFAULT_MAX_PROOF_LENGTH, SUPPORTED_ALGORITHMS);
    }

    public DpopSettings withIatWindow(Duration window) {
        return new DpopSettings(window, maxProofLength, algorithms);
    }

    public DpopSettings withAlgorithms(Set<String> accepted) {
        return new DpopSettings(iatWindow, maxProofLength, accepted);
    }
}
