package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a successful handshake settled on.
 *
 * @param protocol          e.g. {@code TLSv1.3}
 * @param cipherSuite       IANA name, e.g. {@code TLS_AES_128_GCM_SHA256}
 * @param group             the key-exchange group, e.g. {@code x25519}; {@code null} where the provider
 *                          does not expose it (the JDK provider)
 * @param alpn              the selected application protocol; {@code null} when none was negotiated
 * @param sessionResumed    whether an earlier session was resumed (no full handshake)
 * @param clientCertificate the client's certificate under mutual TLS; {@code null} without one
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NegotiatedTls(
        String protocol,
        String cipherSuite,
        String group,
        String alpn,
        @JsonProperty(required = true) boolean sessionResumed,
        ClientCertificate clientCertificate) {

    public NegotiatedTls {
        Fields.text("protocol", protocol);
        Fields.text("cipherSuite", cipherSuite);
        Fields.optionalText("group", group);
        Fields.optionalText("alpn", alpn);
    }
}
