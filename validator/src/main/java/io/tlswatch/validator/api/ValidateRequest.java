package io.tlswatch.validator.api;

import io.tlswatch.contract.event.SdkInfo;

import java.util.List;

/**
 * A well-formed {@code POST /v1/licenses/validate} body; {@code sdk} is null when the client sent none,
 * {@code entitlements} when it asked for none in particular (then the token carries all of the license's).
 */
public record ValidateRequest(String licenseKey, String clientId, SdkInfo sdk, List<String> entitlements) {

    public ValidateRequest {
        entitlements = entitlements == null ? null : List.copyOf(entitlements);
    }

    public ValidateRequest(String licenseKey, String clientId, SdkInfo sdk) {
        this(licenseKey, clientId, sdk, null);
    }
}
