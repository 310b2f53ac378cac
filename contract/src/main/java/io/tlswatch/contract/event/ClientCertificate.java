package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/**
 * The certificate a client presented in mutual TLS.
 *
 * @param subject  the subject DN in RFC 4514 form
 * @param sha256   SHA-256 of the DER certificate, 64 lowercase hex digits (the {@code x5t#S256} thumbprint,
 *                 hex rather than base64url)
 * @param notAfter the end of its validity
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClientCertificate(String subject, String sha256, Instant notAfter) {

    public ClientCertificate {
        Fields.text("subject", subject);
        Fields.sha256("sha256", Fields.required("sha256", sha256));
        notAfter = Fields.requiredMillis("notAfter", notAfter);
    }
}
