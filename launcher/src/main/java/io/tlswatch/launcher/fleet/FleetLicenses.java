package io.tlswatch.launcher.fleet;

import io.tlswatch.validator.license.IssuedLicense;
import io.tlswatch.validator.license.LicenseAdmin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/** Issues the licenses a planned fleet runs under, through the registry admin, as an operator would. */
public final class FleetLicenses {

    private static final List<String> ENTITLEMENTS = List.of("reporting", "export");
    /** Admins issuing at once: each issue reads the whole registry first. */
    public static final int PARALLELISM = 8;

    private FleetLicenses() {
    }

    /** @return each installation's license, by installation name */
    public static Map<String, IssuedLicense> issue(LicenseAdmin admin, List<PlannedClient> fleet, Clock clock) {
        IssuedLicense shared = shared(admin, fleet, clock);
        Map<String, IssuedLicense> licenses = new LinkedHashMap<>();
        for (PlannedClient client : fleet) {
            licenses.put(client.name(), issue(admin, client, shared, clock.instant()));
        }
        return licenses;
    }

    /**
     * The same, on {@code parallelism} admins at once: each issue reads the whole registry first, which makes a
     * fleet's worth of licenses take a second each when issued one after the other.
     */
    public static Map<String, IssuedLicense> issue(Supplier<LicenseAdmin> admins, List<PlannedClient> fleet,
                                                   Clock clock, int parallelism) {
        IssuedLicense shared;
        try (LicenseAdmin admin = admins.get()) {
            shared = shared(admin, fleet, clock);
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread thread = new Thread(r, "tlswatch-fleet-licenses");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<List<PlannedClient>> slices = new ArrayList<>();
            for (int i = 0; i < parallelism; i++) {
                slices.add(new ArrayList<>());
            }
            for (int i = 0; i < fleet.size(); i++) {
                slices.get(i % parallelism).add(fleet.get(i));
            }
            List<Future<Map<String, IssuedLicense>>> parts = new ArrayList<>();
            for (List<PlannedClient> slice : slices) {
                parts.add(pool.submit(() -> {
                    Map<String, IssuedLicense> part = new LinkedHashMap<>();
                    try (LicenseAdmin admin = admins.get()) {
                        for (PlannedClient client : slice) {
                            part.put(client.name(), issue(admin, client, shared, clock.instant()));
                        }
                    }
                    return part;
                }));
            }
            Map<String, IssuedLicense> all = new LinkedHashMap<>();
            for (Future<Map<String, IssuedLicense>> part : parts) {
                all.putAll(part.get());
            }
            Map<String, IssuedLicense> ordered = new LinkedHashMap<>();
            fleet.forEach(c -> ordered.put(c.name(), all.get(c.name())));
            return ordered;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while issuing licenses", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One single-machine license that every over-using installation shares, or null when none does. */
    private static IssuedLicense shared(LicenseAdmin admin, List<PlannedClient> fleet, Clock clock) {
        if (fleet.stream().noneMatch(c -> c.license() == LicenseKind.OVERUSED)) {
            return null;
        }
        Instant now = clock.instant();
        return admin.issue("Demo customer sharing one seat", "single-seat", ENTITLEMENTS, 1,
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), FleetPlan.GRACE);
    }

    private static IssuedLicense issue(LicenseAdmin admin, PlannedClient client, IssuedLicense shared, Instant now) {
        String customer = "Demo customer " + client.name();
        return switch (client.license()) {
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
            case OVERUSED -> shared;
        };
    }
}
