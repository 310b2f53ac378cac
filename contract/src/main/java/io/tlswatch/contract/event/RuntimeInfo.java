package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The runtime a client runs on, as it reports it: for a JVM, {@code java.runtime.name},
 * {@code java.runtime.version} and {@code java.vendor}.
 *
 * @param name    e.g. {@code OpenJDK Runtime Environment}
 * @param version e.g. {@code 1.8.0_151-b12}
 * @param vendor  e.g. {@code Oracle Corporation}; {@code null} when unknown
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RuntimeInfo(String name, String version, String vendor) {

    public RuntimeInfo {
        Fields.text("name", name);
        Fields.optionalText("version", version);
        Fields.optionalText("vendor", vendor);
    }
}
