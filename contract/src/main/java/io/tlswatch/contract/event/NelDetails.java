package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The parts of a W3C Network Error Logging report body that have no place elsewhere in a client report.
 *
 * @param phase         {@code dns}, {@code connection} or {@code application}
 * @param serverIp      the IP address the user agent connected to; {@code null} when it did not get that far
 * @param protocol      the application protocol, e.g. {@code http/1.1}, {@code h2}
 * @param statusCode    the HTTP status received, {@code 0} when there was none (as NEL sends it)
 * @param elapsedMillis the NEL {@code elapsed_time}, in milliseconds
 * @param userAgent     the report's {@code user_agent}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NelDetails(
        String phase,
        String serverIp,
        String protocol,
        @JsonProperty(required = true) int statusCode,
        Long elapsedMillis,
        String userAgent) {

    public NelDetails {
        Fields.text("phase", phase);
        Fields.optionalText("serverIp", serverIp);
        Fields.optionalText("protocol", protocol);
        if (elapsedMillis != null) {
            Fields.nonNegative("elapsedMillis", elapsedMillis);
        }
        Fields.optionalText("userAgent", userAgent);
    }
}
