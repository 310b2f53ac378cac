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
public record LicenseState(String licenseId, long addresses, long clients, long fingerprints, Instant lastSeen,
                           Instant alertStartsAt) {

    public static LicenseState first(String licenseId, Instant time) {
        return new LicenseState(licenseId, 0, 0, 0, time, null);
    }

    public LicenseState add(boolean newAddress, boolean newClient, boolean newFingerprint, Instant time) {
        return new LicenseState(licenseId, addresses + (newAddress ? 1 : 0), clients + (newClient ? 1 : 0),
                fingerprints + (newFingerprint ? 1 : 0), time.isAfter(lastSeen) ? time : lastSeen, alertStartsAt);
    }

    public LicenseState forget(long oldAddresses, long oldClients, long oldFingerprints) {
        return new LicenseState(licenseId, Math.max(0, addresses - oldAddresses), Math.max(0, clients - oldClients),
                Math.max(0, fingerprints - oldFingerprints), lastSeen, alertStartsAt);
    }

    public LicenseState withAlert(Instant startsAt) {
        return new LicenseState(licenseId, addresses, clients, fingerprints, lastSeen, startsAt);
    }
}
