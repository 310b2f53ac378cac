package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/**
 * The OCSP side of a certificate event.
 *
 * @param status       what the responder said; {@code null} when no usable response was obtained
 *                     ({@code ocsp_failed})
 * @param thisUpdate   the response's {@code thisUpdate}; {@code null} without a response
 * @param nextUpdate   the response's {@code nextUpdate}: after it the response must not be stapled;
 *                     {@code null} without a response or when the responder gave none
 * @param responderUrl the responder asked (from the certificate's AIA extension or configuration)
 * @param revokedAt    the revocation time; present only when {@code status} is {@code revoked}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OcspInfo(OcspStatus status, Instant thisUpdate, Instant nextUpdate, String responderUrl,
                       Instant revokedAt) {

    public OcspInfo {
        thisUpdate = Fields.millis(thisUpdate);
        nextUpdate = Fields.millis(nextUpdate);
        Fields.text("responderUrl", responderUrl);
        revokedAt = Fields.millis(revokedAt);
    }
}
