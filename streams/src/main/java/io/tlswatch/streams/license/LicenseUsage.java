package io.tlswatch.streams.license;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/**
 * How widely one license is used right now (the value of the license state store): distinct addresses,
 * clients and fingerprints seen with it within the sharing window. Who they are is kept apart, one entry each
 * ({@link io.tlswatch.streams.members.Members}).
 *
 * @param licenseId     the license
 * @param addresses     distinct addresses within the window
 * @param clients       distinct client ids within the window
 * @param fingerprints  distinct JA4s within the window
 * @param lastSeen      the latest check
 * @param alertStartsAt when its sharing alert began; {@code null} when none is firing
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LicenseUsage(String licenseId, long addresses, long clients, long fingerprints, Instant lastSeen,
                           Instant alertStartsAt) {

    public static LicenseUsage first(String licenseId, Instant time) {
        return new LicenseUsage(licenseId, 0, 0, 0, time, null);
    }

    public LicenseUsage add(boolean newAddress, boolean newClient, boolean newFingerprint, Instant time) {
        return new LicenseUsage(licenseId, addresses + (newAddress ? 1 : 0), clients + (newClient ? 1 : 0),
                fingerprints + (newFingerprint ? 1 : 0), time.isAfter(lastSeen) ? time : lastSeen, alertStartsAt);
    }

    public LicenseUsage forget(long oldAddresses, long oldClients, long oldFingerprints) {
        return new LicenseUsage(licenseId, Math.max(0, addresses - oldAddresses), Math.max(0, clients - oldClients),
                Math.max(0, fingerprints - oldFingerprints), lastSeen, alertStartsAt);
    }

    public LicenseUsage withAlert(Instant startsAt) {
        return new LicenseUsage(licenseId, addresses, clients, fingerprints, lastSeen, startsAt);
    }
}
