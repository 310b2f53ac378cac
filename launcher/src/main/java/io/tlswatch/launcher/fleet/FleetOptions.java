package io.tlswatch.launcher.fleet;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a fleet looks like and how it behaves.
 *
 * @param clients             installations
 * @param seed                makes the plan (mix, licenses, addresses, changes, timing) repeatable
 * @param mix                 relative weight of each stack
 * @param natShare            share (0 to 1) of installations behind one shared address
 * @param licenseProblemShare share of the healthy-stack installations whose license is expired, suspended or over-used
 * @param churnShare          share of installations that change stack once during the run (outdated ones upgrade,
 *                            modern ones downgrade)
 * @param churnAfter          the earliest a change happens; each is at a seeded moment between this and 1.5 times it
 * @param checkEvery          how often each installation checks its license
 */
public record FleetOptions(int clients, long seed, Map<Stack, Integer> mix, double natShare,
                           double licenseProblemShare, double churnShare, Duration churnAfter, Duration checkEvery) {

    /** The default mix: most of a fleet is fine, a quarter cannot get through, a fifth is degraded. */
    public static final Map<Stack, Integer> DEFAULT_MIX = Collections.unmodifiableMap(new EnumMap<>(Map.of(
            Stack.MODERN, 40, Stack.TLS12_ONLY, 15, Stack.TLS12_CBC, 10, Stack.LEGACY_TLS10, 15,
            Stack.OLD_TRUST_STORE, 10, Stack.CLOCK_OFF, 10)));

    public FleetOptions {
        if (clients < 1 || clients > 10_000) {
            throw new IllegalArgumentException("clients must be 1 to 10000, was " + clients);
        }
        Objects.requireNonNull(mix, "mix");
        if (mix.values().stream().anyMatch(w -> w < 0) || mix.values().stream().mapToInt(Integer::intValue).sum() == 0) {
            throw new IllegalArgumentException("mix weights must be 0 or more, and not all 0: " + mix);
        }
        mix = Collections.unmodifiableMap(new EnumMap<>(mix));
        share("natShare", natShare);
        share("licenseProblemShare", licenseProblemShare);
        share("churnShare", churnShare);
        if (churnAfter.isNegative() || checkEvery.isNegative() || checkEvery.isZero()) {
            throw new IllegalArgumentException("churnAfter must be 0 or more and checkEvery positive");
        }
    }

    public static FleetOptions defaults() {
        return new FleetOptions(40, 1, DEFAULT_MIX, 0.1, 0.15, 0.2, Duration.ofMinutes(2), Duration.ofSeconds(5));
    }

    public FleetOptions withClients(int n) {
        return new FleetOptions(n, seed, mix, natShare, licenseProblemShare, churnShare, churnAfter, checkEvery);
    }

    public FleetOptions withSeed(long s) {
        return new FleetOptions(clients, s, mix, natShare, licenseProblemShare, churnShare, churnAfter, checkEvery);
    }

    public FleetOptions withMix(Map<Stack, Integer> m) {
        return new FleetOptions(clients, seed, m, natShare, licenseProblemShare, churnShare, churnAfter, checkEvery);
    }

    public FleetOptions withNatShare(double s) {
        return new FleetOptions(clients, seed, mix, s, licenseProblemShare, churnShare, churnAfter, checkEvery);
    }

    public FleetOptions withLicenseProblemShare(double s) {
        return new FleetOptions(clients, seed, mix, natShare, s, churnShare, churnAfter, checkEvery);
    }

    public FleetOptions withChurn(double share, Duration after) {
        return new FleetOptions(clients, seed, mix, natShare, licenseProblemShare, share, after, checkEvery);
    }

    public FleetOptions withCheckEvery(Duration every) {
        return new FleetOptions(clients, seed, mix, natShare, licenseProblemShare, churnShare, churnAfter, every);
    }

    /**
     * Parses a mix such as {@code modern=40,tls1.2-cbc=10}: stack labels (or enum names) with weights; stacks not
     * named weigh 0.
     */
    public static Map<Stack, Integer> parseMix(String text) {
        Map<Stack, Integer> mix = new EnumMap<>(Stack.class);
        for (String part : text.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("mix entries are stack=weight, was '" + part.trim() + "'");
            }
            Stack stack = Arrays.stream(Stack.values())
                    .filter(s -> s.label().equalsIgnoreCase(kv[0].trim()) || s.name().equalsIgnoreCase(kv[0].trim()))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown stack '" + kv[0].trim()
                            + "'; one of " + Arrays.stream(Stack.values()).map(Stack::label).toList()));
            try {
                mix.put(stack, Integer.parseInt(kv[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("weight of " + stack.label() + " must be a whole number, was '"
                        + kv[1].trim() + "'");
            }
        }
        return mix;
    }

    private static void share(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, was " + value);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d clients, seed %d, mix %s, NAT %.0f%%, churn %.0f%% after %s, check every %s",
                clients, seed, mix, natShare * 100, churnShare * 100, churnAfter, checkEvery);
    }
}
