package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The client SDK that made a license check, as it describes itself in the request.
 *
 * @param name    e.g. {@code tlswatch-java}
 * @param version the SDK's version
 * @param runtime the runtime it runs on; {@code null} when not sent
 * @param os      operating system name, version and architecture, free text; {@code null} when not sent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SdkInfo(String name, String version, RuntimeInfo runtime, String os) {

    public SdkInfo {
        Fields.text("name", name);
        Fields.optionalText("version", version);
        Fields.optionalText("os", os);
    }
}
