package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/**
 * Something that happened to a certificate the server serves, or to its OCSP staple, on topic
 * {@code tlswatch.certificates.v1} keyed by the certificate's configured name.
 *
 * <p>The certificate fields describe the certificate the event is about: the new one for {@code rotated},
 * the refused candidate for {@code rotation_refused} (absent when it could not even be parsed), the
 * serving one otherwise.
 *
 * @param certificateName the name the certificate has in configuration (also the metric tag)
 * @param kind            what happened
 * @param serial          the serial number, lowercase hex without separators or leading zeros
 * @param subject         the subject DN in RFC 4514 form
 * @param issuer          the issuer DN in RFC 4514 form
 * @param notBefore       start of validity
 * @param notAfter        end of validity
 * @param sha256          SHA-256 of the DER certificate, 64 lowercase hex digits
 * @param previousSerial  for {@code rotated}: the serial replaced; for {@code rotation_refused}: the serial
 *                        that keeps serving
 * @param reason          why, for a person: required for {@code rotation_refused} and {@code ocsp_failed}
 * @param thresholdDays   the threshold crossed, for {@code expiring}
 * @param ocsp            the OCSP details, for the {@code ocsp_*} kinds
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CertificateEvent(
        String type,
        String id,
        Instant time,
        String source,
        String certificateName,
        CertificateEventKind kind,
        String serial,
        String subject,
        String issuer,
        Instant notBefore,
        Instant notAfter,
        String sha256,
        String previousSerial,
        String reason,
        Integer thresholdDays,
        OcspInfo ocsp) implements Event {

    public static final String TYPE = "tlswatch.certificate/1";

    public CertificateEvent {
        Fields.envelope(TYPE, type, id, time, source);
        time = Fields.millis(time);
        Fields.text("certificateName", certificateName);
        Fields.required("kind", kind);
        Fields.optionalText("serial", serial);
        Fields.optionalText("subject", subject);
        Fields.optionalText("issuer", issuer);
        notBefore = Fields.millis(notBefore);
        notAfter = Fields.millis(notAfter);
        Fields.sha256("sha256", sha256);
        Fields.optionalText("previousSerial", previousSerial);
        Fields.optionalText("reason", reason);
        if (thresholdDays != null) {
            Fields.nonNegative("thresholdDays", thresholdDays);
        }
        // Each kind names what a reader needs to act on it; only a refused candidate may be unparseable.
        if (kind != CertificateEventKind.ROTATION_REFUSED) {
            Fields.required("serial", serial);
        }
        switch (kind) {
            case EXPIRING -> Fields.required("thresholdDays", thresholdDays);
            case ROTATION_REFUSED -> Fields.required("reason", reason);
            case OCSP_FAILED -> {
                Fields.required("reason", reason);
                Fields.required("ocsp", ocsp);
            }
            case OCSP_REFRESHED, OCSP_REVOKED -> Fields.required("ocsp.status", Fields.required("ocsp", ocsp).status());
            default -> {
            }
        }
    }

    @Override
    public String key() {
        return certificateName;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: a fresh random id. */
    public static final class Builder extends EventBuilder<Builder> {
        private String certificateName;
        private CertificateEventKind kind;
        private String serial;
        private String subject;
        private String issuer;
        private Instant notBefore;
        private Instant notAfter;
        private String sha256;
        private String previousSerial;
        private String reason;
        private Integer thresholdDays;
        private OcspInfo ocsp;

        private Builder() {
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder certificateName(String value) {
            this.certificateName = value;
            return this;
        }

        public Builder kind(CertificateEventKind value) {
            this.kind = value;
            return this;
        }

        /** The certificate the event is about. */
        public Builder certificate(String serial, String subject, String issuer, Instant notBefore,
                                   Instant notAfter, String sha256) {
            this.serial = serial;
            this.subject = subject;
            this.issuer = issuer;
            this.notBefore = notBefore;
            this.notAfter = notAfter;
            this.sha256 = sha256;
            return this;
        }

        public Builder previousSerial(String value) {
            this.previousSerial = value;
            return this;
        }

        public Builder reason(String value) {
            this.reason = value;
            return this;
        }

        public Builder thresholdDays(Integer value) {
            this.thresholdDays = value;
            return this;
        }

        public Builder ocsp(OcspInfo value) {
            this.ocsp = value;
            return this;
        }

        public CertificateEvent build() {
            return new CertificateEvent(TYPE, id, time, source, certificateName, kind, serial, subject, issuer,
                    notBefore, notAfter, sha256, previousSerial, reason, thresholdDays, ocsp);
        }
    }
}
