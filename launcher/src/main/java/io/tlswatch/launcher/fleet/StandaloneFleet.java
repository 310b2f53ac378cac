package io.tlswatch.launcher.fleet;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tlswatch.http.AdminServer;
import io.tlswatch.http.HealthCheck;
import io.tlswatch.http.ServiceMeters;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.lifecycle.Opened;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.validator.license.IssuedLicense;
import io.tlswatch.validator.license.LicenseAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A fleet against a stack that runs elsewhere ({@code tlswatch fleet}): its licenses issued through the registry
 * topic, as {@code tlswatch licenses} does, then the installations checking in, and an admin port whose
 * {@code /health/ready} says the fleet has completed checks. Closed in reverse, each part within its bound.
 */
public final class StandaloneFleet implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StandaloneFleet.class);
    private static final String LICENSE_SOURCE = "tlswatch-fleet";

    private final Opened opened = new Opened();
    private final Path workDir;
    private final boolean temporary;
    private Fleet fleet;
    private AdminServer admin;

    private StandaloneFleet(Path workDir, boolean temporary) {
        this.workDir = workDir;
        this.temporary = temporary;
    }

    public static StandaloneFleet start(StandaloneFleetSettings settings, Clock clock) {
        boolean temporary = settings.workDir().isEmpty();
        Path workDir;
        try {
            workDir = temporary ? Files.createTempDirectory("tlswatch-fleet-")
                    : Files.createDirectories(settings.workDir().get().toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the fleet's directory", e);
        }
        StandaloneFleet running = new StandaloneFleet(workDir, temporary);
        try {
            running.startAll(settings, clock);
            return running;
        } catch (RuntimeException e) {
            running.close();
            throw e;
        }
    }

    private void startAll(StandaloneFleetSettings settings, Clock clock) {
        Path oldCa = FleetTargets.unrelatedCa(workDir.resolve("old-trust-store"), clock);
        List<PlannedClient> plan = FleetPlan.plan(settings.fleet());
        KafkaSettings kafka = settings.kafka();
        Topic<String, LicenseRecord> registry = settings.registry();
        log.info("Issuing {} licenses through {} on {}", plan.size(), registry.name(), kafka.bootstrapServers());
        Map<String, IssuedLicense> licenses = FleetLicenses.issue(
                () -> new LicenseAdmin(kafka, registry, clock, LICENSE_SOURCE), plan, clock,
                FleetLicenses.PARALLELISM);
        // The validator applies them within its registry's lag (well under a second on a healthy broker); a check
        // that arrives before is answered as an unknown license and the next one as issued.
        Map<String, String> keys = new LinkedHashMap<>();
        licenses.forEach((name, issued) -> keys.put(name, issued.licenseKey()));
        FleetTargets targets = new FleetTargets(settings.validator(), settings.collectorHttps(),
                settings.collectorHttp(), settings.ca(), oldCa, workDir.resolve("installations"),
                settings.bindAddresses());
        fleet = open(Fleet.start(plan, keys, targets, settings.fleet().checkEvery()));
        FleetManifest.write(fleet.members(), workDir.resolve("fleet.json"));
        PrometheusMeterRegistry meters = ServiceMeters.create("fleet");
        Fleet started = fleet;
        admin = open(AdminServer.start(settings.adminHost(), settings.adminPort(), meters,
                List.of(HealthCheck.of("checking", () -> started.checks() > 0))));
    }

    private <T extends AutoCloseable> T open(T resource) {
        return opened.add(resource);
    }

    public Fleet fleet() {
        return fleet;
    }

    public int adminPort() {
        return admin.port();
    }

    public Path workDir() {
        return workDir;
    }

    /**
     * Closes the admin port (5 s at most), stops the checks ({@link Fleet#close()}: 20 s at most, plus an SDK
     * call in flight, itself bounded by its timeouts) and deletes a temporary directory.
     */
    @Override
    public void close() {
        opened.close();
        if (temporary) {
            try (Stream<Path> paths = Files.walk(workDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A temporary directory left behind is harmless.
            }
        }
    }
}
