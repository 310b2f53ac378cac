package io.tlswatch.validator.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** The outcome of checking a DPoP proof: {@link Verified} or {@link Rejected}, never an exception. */
public sealed interface DpopVerification {

    /**
     * The proof is valid for this request.
     *
     * @param jkt      the RFC 7638 SHA-256 thumbprint of the proof's key: what the token's {@code cnf.jkt} is
     * @param jti      the proof's id
     * @param issuedAt the proof's {@code iat}
     * @param skew     {@code iat} minus the server's clock: positive when the client's clock is ahead
     */
    record Verified(String jkt, String jti, Instant issuedAt, Duration skew) implements DpopVerification {
        public Verified {
            Objects.requireNonNull(jkt, "jkt");
            Objects.requireNonNull(jti, "jti");
            Objects.requireNonNull(issuedAt, "issuedAt");
            Objects.requireNonNull(skew, "skew");
        }

        /** The binding to write into the token, or to check a token against. */
        public Confirmation confirmation() {
            return Confirmation.jkt(jkt);
        }
    }

    /**
     * The proof was refused.
     *
     * @param reason why, from a bounded set; {@link DpopRejection#apiCode()} gives the API code
     * @param detail a short explanation for logs; input echoed in it is truncated and printable
     * @param skew   {@code iat} minus the server's clock when the proof's {@code iat} was read (a clock
     *               diagnosis wants it most when the proof is refused for it), else {@code null}
     */
    record Rejected(DpopRejection reason, String detail, Duration skew) implements DpopVerification {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }

        public Rejected(DpopRejection reason, String detail) {
            this(reason, detail, null);
        }
    }

    /** {@code iat} minus the server's clock; {@code null} when the proof was refused before its iat was read. */
    Duration skew();

    /**
     * The client's clock offset in whole seconds (positive: ahead), as events and logs report it; {@code null}
     * when the proof was refused before its {@code iat} was read.
     *
     * <p>A client writes {@code iat} truncated to whole seconds, so when it made the proof its clock read between
     * {@code iat} and {@code iat} + 1 s: its offset lies in [skew, skew + 1 s). The one whole number of seconds in
     * that interval is skew rounded up, so a client whose clock is right reads 0 (not 0 or -1 at random), and one
     * two hours ahead reads 7200.
     */
    default Long clockOffsetSeconds() {
        Duration skew = skew();
        // Duration keeps whole seconds rounded down plus a non-negative nano part: rounding up is one more second.
        return skew == null ? null : skew.getSeconds() + (skew.getNano() > 0 ? 1 : 0);
    }

    default boolean verified() {
        return this instanceof Verified;
    }
}
