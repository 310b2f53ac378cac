package io.tlswatch.validator.api;

import io.tlswatch.contract.event.SdkInfo;

/** A well-formed {@code POST /v1/licenses/validate} body; {@code sdk} is null when the client sent none. */
public record ValidateRequest(String licenseKey, String clientId, SdkInfo sdk) {
}
