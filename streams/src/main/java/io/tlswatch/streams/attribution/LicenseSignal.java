package io.tlswatch.streams.attribution;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;
import java.util.Objects;

/**
 * A license check, reduced to who used the license from where, keyed by the license id (the internal topic
 * {@code by-license}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LicenseSignal(String licenseId, String clientId, String address, String ja4, Instant time) {

    public LicenseSignal {
        Objects.requireNonNull(licenseId, "licenseId");
        Objects.requireNonNull(time, "time");
    }
}
