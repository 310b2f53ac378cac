package io.tlswatch.launcher.fleet;

import io.tlswatch.validator.license.IssuedLicense;
import io.tlswatch.validator.license.LicenseAdmin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Issues the licenses a planned fleet runs under, through the registry admin, as an operator would. */
public final class FleetLicenses {

    private static final List<String> ENTITLEMENTS = List.of("reporting", "export");

    private FleetLicenses() {
    }

    /** @return each installation's license, by installation name */
    public static Map<String, IssuedLicense> issue(LicenseAdmin admin, List<PlannedClient> fleet, Clock clock) {
        Instant now = clock.instant();
        Map<String, IssuedLicense> licenses = new LinkedHashMap<>();
        IssuedLicense shared = null;
        for (PlannedClient client : fleet) {
            String customer = "Demo customer " + client.name();
            IssuedLicense license = switch (client.license()) {
                case GOOD -> admin.issue(customer, "standard", ENTITLEMENTS, 1, now.minus(Duration.ofDays(1)),
                        now.plus(Duration.ofDays(365)), client.grace());
                case EXPIRED -> admin.issue(customer, "standard", ENTITLEMENTS, 1, now.minus(Duration.ofDays(400)),
                        now.minus(Duration.ofDays(35)), client.grace());
                case SUSPENDED -> {
                    IssuedLicense issued = admin.issue(customer, "standard", ENTITLEMENTS, 1,
                            now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), client.grace());
                    admin.suspend(issued.license().licenseId());
                    yield issued;
                }
                case OVERUSED -> {
                    if (shared == null) {
                        shared = admin.issue("Demo customer sharing one seat", "single-seat", ENTITLEMENTS, 1,
                                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), client.grace());
                    }
                    yield shared;
                }
            };
            licenses.put(client.name(), license);
        }
        return licenses;
    }
}
