package io.tlswatch.validator.license;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Counts the machines (distinct client ids) that validated each license within a sliding window, and decides
 * whether one more may join (docs/licenses.md, "Machines").
 *
 * <p>A client id counts from its last valid check until {@link Limits#window()} has passed without another.
 * A client id already counted is always admitted, even when the license's {@code maxMachines} has since been
 * lowered: only new machines are refused.
 *
 * <p>Memory is bounded twice: at most {@link Limits#perLicense()} client ids per license and
 * {@link Limits#total()} in all. Above either cap the machine seen least recently is forgotten, which can only
 * let one more machine in, never lock a counted one out: the machine limit is a commercial control, and under
 * memory pressure it errs towards letting customers work. Every such eviction is counted in
 * {@code tlswatch.licenses.machines.evicted}.
 *
 * <p>The count is per process. The validator does not use it any more: its machines are shared by every replica
 * ({@code io.tlswatch.validator.machine.SharedMachines}, docs/licenses.md, "Machines"). It stays for deciding
 * without Kafka ({@link MachineGate#counting}), as in tests and an embedded decision. Checks made elsewhere can be
 * fed in with {@link #observe}.
 *
 * <p>Thread-safe; every operation is a few map operations under one lock, amortised constant time.
 */
public final class MachineCounter {

    /**
     * @param window     how long a client id keeps counting after its last valid check
     * @param perLicense the most client ids remembered for one license
     * @param total      the most client ids remembered in all
     */
    public record Limits(Duration window, int perLicense, int total) {
        /**
         * A day's window. A remembered machine takes about 280 bytes with a 36-character client id (measured),
         * so the total cap bounds the counter at about 30 MB.
         */
        public static final Limits DEFAULTS = new Limits(Duration.ofHours(24), 10_000, 100_000);

        public Limits {
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("the machine window must be positive, was " + window);
            }
            if (perLicense < 1 || total < 1) {
                throw new IllegalArgumentException("machine caps must be at least 1, were perLicense=" + perLicense
                        + ", total=" + total);
            }
            if (perLicense > total) {
                throw new IllegalArgumentException("the per-license machine cap " + perLicense
                        + " must not exceed the total cap " + total);
            }
        }
    }

    private record Machine(String licenseId, String clientId) {
    }

    private final Clock clock;
    private final Limits limits;
    private final Counter evictedForLicenseCap;
    private final Counter evictedForTotalCap;
    /** Every counted machine, least recently seen first (access order). */
    private final LinkedHashMap<Machine, Instant> byLastSeen = new LinkedHashMap<>(16, 0.75f, true);
    /** The same machines per license, least recently seen first. */
    private final Map<String, LinkedHashMap<String, Instant>> byLicense = new HashMap<>();

    public MachineCounter(Clock clock, Limits limits, MeterRegistry meters) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.evictedForLicenseCap = evictions(meters, "license_cap");
        this.evictedForTotalCap = evictions(meters, "total_cap");
        Gauge.builder("tlswatch.licenses.machines", this, MachineCounter::size)
                .description("Machines (client ids) counted within the window, over all licenses")
                .register(meters);
    }

    private static Counter evictions(MeterRegistry meters, String reason) {
        return Counter.builder("tlswatch.licenses.machines.evicted")
                .description("Counted machines forgotten early because a memory cap was reached")
                .tag("reason", reason)
                .register(meters);
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Admits {@code clientId} as a machine of {@code licenseId} and counts it from now, unless it is new and
     * the license already has {@code maxMachines} within the window.
     *
     * @return whether the client may use the license
     */
    public synchronized boolean admit(String licenseId, String clientId, int maxMachines) {
        Objects.requireNonNull(licenseId, "licenseId");
        Objects.requireNonNull(clientId, "clientId");
        Instant now = clock.instant();
        expire(now);
        LinkedHashMap<String, Instant> machines = byLicense.get(licenseId);
        int counted = machines == null ? 0 : machines.size();
        if (machines != null && machines.containsKey(clientId)) {
            touch(licenseId, clientId, machines, now);
            return true;
        }
        if (counted >= maxMachines) {
            return false;
        }
        add(licenseId, clientId, now);
        return true;
    }

    /**
     * Counts a valid check that happened elsewhere (another replica) at {@code seenAt}, without deciding
     * anything. A sighting older than the window is ignored; one older than what is already known changes
     * nothing. Sightings are expected roughly in time order: one that arrives late keeps its machine counted
     * until the machines seen before it have expired, at most one window longer than exact.
     */
    public synchronized void observe(String licenseId, String clientId, Instant seenAt) {
        Objects.requireNonNull(licenseId, "licenseId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(seenAt, "seenAt");
        Instant now = clock.instant();
        expire(now);
        if (expired(seenAt, now)) {
            return;
        }
        LinkedHashMap<String, Instant> machines = byLicense.get(licenseId);
        Instant known = machines == null ? null : machines.get(clientId);
        if (known == null) {
            add(licenseId, clientId, seenAt);
        } else if (seenAt.isAfter(known)) {
            touch(licenseId, clientId, machines, seenAt);
        }
    }

    /** How many machines {@code licenseId} has within the window now. */
    public synchronized int count(String licenseId) {
        expire(clock.instant());
        LinkedHashMap<String, Instant> machines = byLicense.get(licenseId);
        return machines == null ? 0 : machines.size();
    }

    /** Whether {@code clientId} counts as a machine of {@code licenseId} now. */
    public synchronized boolean isCounted(String licenseId, String clientId) {
        expire(clock.instant());
        LinkedHashMap<String, Instant> machines = byLicense.get(licenseId);
        return machines != null && machines.containsKey(clientId);
    }

    /** How many machines are remembered over all licenses. */
    public synchronized int size() {
        return byLastSeen.size();
    }

    private void add(String licenseId, String clientId, Instant seenAt) {
        LinkedHashMap<String, Instant> machines = byLicense.computeIfAbsent(licenseId,
                id -> new LinkedHashMap<>(4, 0.75f, true));
        if (machines.size() >= limits.perLicense()) {
            String oldest = machines.keySet().iterator().next();
            forget(new Machine(licenseId, oldest));
            evictedForLicenseCap.increment();
        }
        if (byLastSeen.size() >= limits.total()) {
            forget(byLastSeen.keySet().iterator().next());
            evictedForTotalCap.increment();
        }
        // The license's map may have been emptied and dropped by the evictions above.
        byLicense.computeIfAbsent(licenseId, id -> new LinkedHashMap<>(4, 0.75f, true)).put(clientId, seenAt);
        byLastSeen.put(new Machine(licenseId, clientId), seenAt);
    }

    private void touch(String licenseId, String clientId, LinkedHashMap<String, Instant> machines, Instant seenAt) {
        machines.put(clientId, seenAt);
        byLastSeen.put(new Machine(licenseId, clientId), seenAt);
    }

    /**
     * Drops every machine whose last sighting left the window. The global map is in order of sighting, so
     * this stops at the first machine still inside: amortised constant time.
     */
    private void expire(Instant now) {
        Iterator<Map.Entry<Machine, Instant>> oldestFirst = byLastSeen.entrySet().iterator();
        while (oldestFirst.hasNext()) {
            Map.Entry<Machine, Instant> entry = oldestFirst.next();
            if (!expired(entry.getValue(), now)) {
                return;
            }
            oldestFirst.remove();
            removeFromLicense(entry.getKey());
        }
    }

    private boolean expired(Instant seenAt, Instant now) {
        return !seenAt.plus(limits.window()).isAfter(now);
    }

    private void forget(Machine machine) {
        byLastSeen.remove(machine);
        removeFromLicense(machine);
    }

    private void removeFromLicense(Machine machine) {
        LinkedHashMap<String, Instant> machines = byLicense.get(machine.licenseId());
        if (machines != null) {
            machines.remove(machine.clientId());
            if (machines.isEmpty()) {
                byLicense.remove(machine.licenseId());
            }
        }
    }
}
