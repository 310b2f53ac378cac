package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How a client report reached the collector: the connection tells about the client's stack what the report
 * may not.
 *
 * @param listener    the collector listener it came in on, e.g. {@code http} or {@code https}
 * @param tlsProtocol the negotiated protocol; {@code null} over plain HTTP
 * @param cipherSuite the negotiated cipher suite's IANA name; {@code null} over plain HTTP
 * @param ja4         the JA4 fingerprint of the connection's ClientHello; {@code null} over plain HTTP
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Arrival(String listener, String tlsProtocol, String cipherSuite, String ja4) {

    public Arrival {
        Fields.text("listener", listener);
        Fields.optionalText("tlsProtocol", tlsProtocol);
        Fields.optionalText("cipherSuite", cipherSuite);
        Fields.optionalText("ja4", ja4);
    }
}
