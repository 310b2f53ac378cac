package io.tlswatch.tlsserver.certificate;

import java.time.Instant;
import java.util.Objects;

/** What one OCSP fetch for the leaf gave, after checking the response. */
public sealed interface OcspResult {

    /** The metric tag of the outcome: {@code good}, {@code revoked}, {@code unknown}, {@code invalid}, {@code error}. */
    String outcome();

    /** A response that may be stapled until {@code nextUpdate}. */
    record Good(byte[] encoded, Instant thisUpdate, Instant nextUpdate) implements OcspResult {
        public Good {
            Objects.requireNonNull(encoded, "encoded");
            Objects.requireNonNull(thisUpdate, "thisUpdate");
            Objects.requireNonNull(nextUpdate, "nextUpdate");
            encoded = encoded.clone();
        }

        @Override
        public byte[] encoded() {
            return encoded.clone();
        }

        @Override
        public String outcome() {
            return "good";
        }
    }

    /** @param reason the revocation reason's name ({@code keyCompromise}), or {@code null} when none was given */
    record Revoked(Instant thisUpdate, Instant nextUpdate, Instant revokedAt, String reason) implements OcspResult {
        @Override
        public String outcome() {
            return "revoked";
        }
    }

    /** The responder does not know the certificate. */
    record Unknown(Instant thisUpdate, Instant nextUpdate) implements OcspResult {
        @Override
        public String outcome() {
            return "unknown";
        }
    }

    /** A response came but cannot be used: bad signature, wrong certificate, outside its time window. */
    record Invalid(String reason) implements OcspResult {
        @Override
        public String outcome() {
            return "invalid";
        }
    }

    /** No response: the responder was unreachable, timed out, or answered with an HTTP error. */
    record Unreachable(String reason) implements OcspResult {
        @Override
        public String outcome() {
            return "error";
        }
    }
}
