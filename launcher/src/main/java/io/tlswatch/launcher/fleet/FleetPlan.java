package io.tlswatch.launcher.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Turns {@link FleetOptions} into the installations of a fleet. A pure function of the options: the same seed
 * gives the same fleet, so a demo run and its test agree on who should end up where.
 */
public final class FleetPlan {

    /** The address every installation behind the simulated NAT connects from. */
    public static final String NAT_ADDRESS = "127.0.100.1";
    /** Grace of the licenses of installations that downgrade: within the default 72 h horizon, so they end up at risk. */
    public static final Duration SHORT_GRACE = Duration.ofHours(48);
    public static final Duration GRACE = Duration.ofDays(7);

    private FleetPlan() {
    }

    public static List<PlannedClient> plan(FleetOptions options) {
        Random random = new Random(options.seed());
        List<Stack> stacks = apportion(options.mix(), options.clients());
        Collections.shuffle(stacks, random);
        List<PlannedClient> clients = new ArrayList<>(options.clients());
        for (int i = 0; i < options.clients(); i++) {
            Stack initial = stacks.get(i);
            Optional<StackChange> change = Optional.empty();
            if (random.nextDouble() < options.churnShare()) {
                Duration at = options.churnAfter().plusMillis((long) (random.nextDouble() * options.churnAfter().toMillis() / 2));
                if (initial.oldTls()) {
                    change = Optional.of(new StackChange(at, Stack.MODERN));
                } else if (initial == Stack.MODERN) {
                    change = Optional.of(new StackChange(at, Stack.LEGACY_TLS10));
                }
            }
            LicenseKind license = LicenseKind.GOOD;
            double licenseDraw = random.nextDouble();
            if (change.isEmpty() && initial.expectation() == Stack.Expectation.HEALTHY
                    && licenseDraw < options.licenseProblemShare()) {
                LicenseKind[] problems = {LicenseKind.EXPIRED, LicenseKind.SUSPENDED, LicenseKind.OVERUSED};
                license = problems[random.nextInt(problems.length)];
            }
            boolean nat = random.nextDouble() < options.natShare();
            String address = nat ? NAT_ADDRESS : "127.1." + (i / 250) + "." + (i % 250 + 1);
            Duration first = Duration.ofMillis((long) (random.nextDouble() * options.checkEvery().toMillis()));
            Duration grace = change.map(c -> c.to().outdated()).orElse(false) ? SHORT_GRACE : GRACE;
            clients.add(new PlannedClient(String.format("sim-%03d", i + 1), initial, change, license, grace, address,
                    nat, first));
        }
        return List.copyOf(clients);
    }

    /**
     * Exactly {@code n} stacks in proportion to the weights (largest remainder), every stack with a weight getting
     * at least one when there are as many installations as such stacks, so a small fleet still shows each kind.
     */
    static List<Stack> apportion(Map<Stack, Integer> mix, int n) {
        Map<Stack, Integer> weights = new EnumMap<>(Stack.class);
        mix.forEach((s, w) -> {
            if (w > 0) {
                weights.put(s, w);
            }
        });
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        Map<Stack, Integer> counts = new EnumMap<>(Stack.class);
        boolean everyOne = n >= weights.size();
        int assigned = 0;
        for (Map.Entry<Stack, Integer> e : weights.entrySet()) {
            int count = (int) ((long) n * e.getValue() / total);
            if (everyOne && count == 0) {
                count = 1;
            }
            counts.put(e.getKey(), count);
            assigned += count;
        }
        // Too many after the minimum of one each: take back from the largest; too few: give by largest remainder.
        while (assigned > n) {
            Stack largest = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            counts.merge(largest, -1, Integer::sum);
            assigned--;
        }
        List<Stack> byRemainder = new ArrayList<>(weights.keySet());
        byRemainder.sort(Comparator.comparingDouble((Stack s) -> -(((double) n * weights.get(s) / total) % 1.0))
                .thenComparing(Enum::ordinal));
        for (int i = 0; assigned < n; i++, assigned++) {
            counts.merge(byRemainder.get(i % byRemainder.size()), 1, Integer::sum);
        }
        List<Stack> stacks = new ArrayList<>(n);
        counts.forEach((s, c) -> {
            for (int i = 0; i < c; i++) {
                stacks.add(s);
            }
        });
        return stacks;
    }
}
