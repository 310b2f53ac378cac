package io.tlswatch.launcher.fleet;

import io.tlswatch.client.LicenseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running fleet: every planned installation checks its license every {@code checkEvery}, from its own address
 * (or, when the targets say not to bind one, from the host's), on the stack the plan gives it at that moment, on
 * a small shared pool of threads.
 */
public final class Fleet implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Fleet.class);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(20);

    private final List<SimulatedInstallation> installations;
    private final ScheduledExecutorService pool;
    private final long startedNanos;

    private Fleet(List<SimulatedInstallation> installations, ScheduledExecutorService pool, long startedNanos) {
        this.installations = installations;
        this.pool = pool;
        this.startedNanos = startedNanos;
    }

    /**
     * Creates every installation's identity, then starts their checks.
     *
     * @param licenseKeys each installation's license key, by installation name
     */
    public static Fleet start(List<PlannedClient> plan, Map<String, String> licenseKeys, FleetTargets targets,
                              Duration checkEvery) {
        List<SimulatedInstallation> installations = new ArrayList<>(plan.size());
        for (PlannedClient client : plan) {
            String key = licenseKeys.get(client.name());
            if (key == null) {
                throw new IllegalArgumentException("no license key for " + client.name());
            }
            SimulatedInstallation installation = new SimulatedInstallation(client, targets, key);
            installation.prepare();
            installations.add(installation);
        }
        AtomicInteger threads = new AtomicInteger();
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(Math.min(8, Math.max(2, plan.size() / 5)),
                r -> {
                    Thread thread = new Thread(r, "tlswatch-fleet-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        long started = System.nanoTime();
        Fleet fleet = new Fleet(List.copyOf(installations), pool, started);
        for (SimulatedInstallation installation : installations) {
            pool.scheduleWithFixedDelay(() -> fleet.check(installation), installation.plan().firstCheck().toMillis(),
                    checkEvery.toMillis(), TimeUnit.MILLISECONDS);
        }
        return fleet;
    }

    private void check(SimulatedInstallation installation) {
        try {
            installation.check(elapsed());
        } catch (RuntimeException e) {
            // One installation's bug must not end its schedule (a thrown exception would cancel it).
            log.warn("Simulated installation {} failed its check: {}", installation.plan().name(), e.toString());
        }
    }

    /** Time since the fleet started: what the plan's changes are measured from. */
    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    public List<FleetMember> members() {
        return installations.stream().map(i -> new FleetMember(i.plan(), i.clientId().orElse("?"), i.currentStack(),
                i.lastStatus().map(LicenseStatus::state).map(Enum::name).orElse("none"), i.checks())).toList();
    }

    /** License checks completed so far by all installations, whatever their answer. */
    public long checks() {
        return installations.stream().mapToLong(SimulatedInstallation::checks).sum();
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Fleet checks still running after {}; closing the installations anyway", STOP_LIMIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        installations.forEach(SimulatedInstallation::close);
    }
}
