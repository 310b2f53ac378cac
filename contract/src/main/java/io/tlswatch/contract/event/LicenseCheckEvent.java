package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * One call of {@code POST /v1/licenses/validate}, on topic {@code tlswatch.license-checks.v1} keyed by the
 * client id. Ties a client id to the address and TLS fingerprint it came from, which is how streams
 * attributes that client's failed handshakes.
 *
 * @param time           when the validator answered
 * @param clientId       the installation that asked
 * @param licenseId      the license the key belongs to; {@code null} when the key matched none
 *                       ({@code NOT_FOUND})
 * @param code           the outcome
 * @param tokenExpiresAt expiry of the entitlement token issued; present only when {@code code} is
 *                       {@code VALID}, and absent on a valid check that got no token (proof of possession
 *                       optional by configuration, and none presented)
 * @param graceUntil     until when the SDK may keep working offline on this entitlement (token expiry plus
 *                       the license's grace period); present only when {@code VALID}
 * @param proof          the proof of possession presented
 * @param proofJkt       the RFC 7638 SHA-256 thumbprint of the DPoP key whose proof the validator verified
 *                       (the issued token's {@code cnf.jkt}); present only when {@code proof} is {@code dpop}
 *                       and the proof verified
 * @param remoteAddress  the peer's IP address literal
 * @param tlsProtocol    the negotiated protocol of the connection the check came over, e.g. {@code TLSv1.3}
 * @param cipherSuite    the negotiated cipher suite's IANA name
 * @param ja4            the JA4 fingerprint of that connection's ClientHello; {@code null} if not captured
 * @param latencyMillis  from request received to response written, in milliseconds (fractional)
 * @param sdk            what the client said about itself; {@code null} when it said nothing
 * @param proofClockOffset the DPoP proof's {@code iat} minus the validator's clock when it checked, in whole
 *                       seconds (positive: the client's clock is ahead); present whenever a DPoP proof was read
 *                       as far as its {@code iat}, whether the check succeeded or not, else {@code null}
 * @param refusal        why the check was refused, lowercase snake_case from a bounded set (the DPoP rejection,
 *                       e.g. {@code iat_out_of_window}; else the license code in lower case, e.g.
 *                       {@code expired}); {@code null} when {@code VALID}, and in events older than the field
 * @param via            the address of the proxy that relayed the connection with a PROXY protocol header
 *                       ({@code remoteAddress} is then the client it named); absent on a direct connection
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LicenseCheckEvent(
        String type,
        String id,
        Instant time,
        String source,
        String clientId,
        String licenseId,
        LicenseCheckCode code,
        Instant tokenExpiresAt,
        Instant graceUntil,
        ProofKind proof,
        String proofJkt,
        String remoteAddress,
        String tlsProtocol,
        String cipherSuite,
        String ja4,
        @JsonProperty(required = true) double latencyMillis,
        SdkInfo sdk,
        Long proofClockOffset,
        String refusal,
        String via) implements Event {

    public static final String TYPE = "tlswatch.license-check/1";

    private static final Pattern REFUSAL = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    public LicenseCheckEvent {
        Fields.envelope(TYPE, type, id, time, source);
        time = Fields.millis(time);
        Fields.text("clientId", clientId);
        Fields.optionalText("licenseId", licenseId);
        Fields.required("code", code);
        tokenExpiresAt = Fields.millis(tokenExpiresAt);
        graceUntil = Fields.millis(graceUntil);
        Fields.required("proof", proof);
        Fields.jkt("proofJkt", proofJkt);
        if (proofJkt != null && proof != ProofKind.DPOP) {
            throw new IllegalArgumentException("field 'proofJkt' must be absent unless proof is dpop");
        }
        Fields.text("remoteAddress", remoteAddress);
        Fields.text("tlsProtocol", tlsProtocol);
        Fields.text("cipherSuite", cipherSuite);
        Fields.optionalText("ja4", ja4);
        Fields.optionalText("via", via);
        Fields.nonNegative("latencyMillis", latencyMillis);
        if (proofClockOffset != null && proof != ProofKind.DPOP) {
            throw new IllegalArgumentException("field 'proofClockOffset' must be absent unless proof is dpop");
        }
        if (refusal != null && !REFUSAL.matcher(refusal).matches()) {
            throw new IllegalArgumentException(
                    "field 'refusal' must be lowercase snake_case of at most 64 characters, was '" + refusal + "'");
        }
        if (code == LicenseCheckCode.VALID) {
            Fields.required("licenseId", licenseId);
            if (refusal != null) {
                throw new IllegalArgumentException("field 'refusal' must be absent when code is VALID");
            }
        } else if (tokenExpiresAt != null) {
            throw new IllegalArgumentException("field 'tokenExpiresAt' must be absent unless code is VALID");
        }
    }

    /** Derived from {@link #code()}, written for consumers that only want the yes/no; ignored on read. */
    @JsonProperty("valid")
    public boolean valid() {
        return code == LicenseCheckCode.VALID;
    }

    @Override
    public String key() {
        return clientId;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: a fresh random id, proof {@code none}. */
    public static final class Builder extends EventBuilder<Builder> {
        private String clientId;
        private String licenseId;
        private LicenseCheckCode code;
        private Instant tokenExpiresAt;
        private Instant graceUntil;
        private ProofKind proof = ProofKind.NONE;
        private String proofJkt;
        private String remoteAddress;
        private String tlsProtocol;
        private String cipherSuite;
        private String ja4;
        private double latencyMillis;
        private SdkInfo sdk;
        private Long proofClockOffset;
        private String refusal;
        private String via;

        private Builder() {
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder clientId(String value) {
            this.clientId = value;
            return this;
        }

        public Builder licenseId(String value) {
            this.licenseId = value;
            return this;
        }

        public Builder code(LicenseCheckCode value) {
            this.code = value;
            return this;
        }

        public Builder tokenExpiresAt(Instant value) {
            this.tokenExpiresAt = value;
            return this;
        }

        public Builder graceUntil(Instant value) {
            this.graceUntil = value;
            return this;
        }

        public Builder proof(ProofKind value) {
            this.proof = value;
            return this;
        }

        /** A DPoP proof by the key with this thumbprint verified: sets {@code proof} {@code dpop}. */
        public Builder dpopVerified(String jkt) {
            this.proof = ProofKind.DPOP;
            this.proofJkt = jkt;
            return this;
        }

        /** The thumbprint of the DPoP key whose proof verified; {@code null} when none did. */
        public Builder proofJkt(String value) {
            this.proofJkt = value;
            return this;
        }

        /** The connection the check came over. */
        public Builder connection(String remoteAddress, String tlsProtocol, String cipherSuite, String ja4) {
            this.remoteAddress = remoteAddress;
            this.tlsProtocol = tlsProtocol;
            this.cipherSuite = cipherSuite;
            this.ja4 = ja4;
            return this;
        }

        /** The proxy that relayed the connection the check came over; {@code null} for a direct one. */
        public Builder via(String value) {
            this.via = value;
            return this;
        }

        public Builder latencyMillis(double value) {
            this.latencyMillis = value;
            return this;
        }

        public Builder sdk(SdkInfo value) {
            this.sdk = value;
            return this;
        }

        /** Seconds the DPoP proof's {@code iat} is ahead of the validator's clock (negative: behind). */
        public Builder proofClockOffset(Long seconds) {
            this.proofClockOffset = seconds;
            return this;
        }

        /** Why the check was refused, lowercase snake_case; {@code null} when it was not. */
        public Builder refusal(String value) {
            this.refusal = value;
            return this;
        }

        public LicenseCheckEvent build() {
            return new LicenseCheckEvent(TYPE, id, time, source, clientId, licenseId, code, tokenExpiresAt,
                    graceUntil, proof, proofJkt, remoteAddress, tlsProtocol, cipherSuite, ja4, latencyMillis, sdk,
                    proofClockOffset, refusal, via);
        }
    }
}
