package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * A client's TLS stack as the client reports it.
 *
 * @param library             e.g. {@code SunJSSE}, {@code OpenSSL}, {@code BoringSSL}
 * @param version             the library's version; {@code null} when unknown
 * @param enabledProtocols    the protocols it has enabled, e.g. {@code ["TLSv1", "TLSv1.1"]}
 * @param enabledCipherSuites the cipher suites it has enabled, IANA names
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TlsStack(String library, String version, List<String> enabledProtocols,
                       List<String> enabledCipherSuites) {

    public TlsStack {
        Fields.text("library", library);
        Fields.optionalText("version", version);
        enabledProtocols = Fields.list("enabledProtocols", enabledProtocols);
        enabledCipherSuites = Fields.list("enabledCipherSuites", enabledCipherSuites);
    }
}
