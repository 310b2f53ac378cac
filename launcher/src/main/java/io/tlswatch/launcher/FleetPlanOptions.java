package io.tlswatch.launcher;

import io.tlswatch.contract.config.ConfigException;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.launcher.fleet.FleetOptions;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/** The options that shape a simulated fleet, shared by {@code tlswatch demo} and {@code tlswatch fleet}. */
final class FleetPlanOptions {

    @Option(names = "--clients", defaultValue = "40", description = "Simulated installations (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the fleet's plan: the same seed, the same fleet (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--mix", paramLabel = "STACK=WEIGHT,...", description = "Weights of the stacks: modern, tls1.2-only, tls1.2-cbc, tls1.0/1.1, old-trust-store, clock-off (default: 40,15,10,15,10,10).")
    String mix;

    @Option(names = "--nat-share", defaultValue = "0.1", description = "Share of clients behind one shared address (default: ${DEFAULT-VALUE}).")
    double natShare;

    @Option(names = "--license-problems", defaultValue = "0.15", description = "Share of healthy clients with an expired, suspended or over-used license (default: ${DEFAULT-VALUE}).")
    double licenseProblems;

    @Option(names = "--churn", defaultValue = "0.2", description = "Share of clients that upgrade or degrade once during the run (default: ${DEFAULT-VALUE}).")
    double churn;

    @Option(names = "--churn-after", defaultValue = "2m", paramLabel = "DURATION", description = "Earliest time of those changes; each is between this and 1.5 times it (default: ${DEFAULT-VALUE}).")
    String churnAfter;

    @Option(names = "--check-every", defaultValue = "5s", paramLabel = "DURATION", description = "How often each client checks its license (default: ${DEFAULT-VALUE}).")
    String checkEvery;

    /**
     * The fleet these options describe.
     *
     * @throws IllegalArgumentException naming the option that is wrong
     */
    FleetOptions toOptions() {
        FleetOptions options = FleetOptions.defaults();
        options = named("--clients", options, o -> o.withClients(clients));
        options = options.withSeed(seed);
        options = named("--nat-share", options, o -> o.withNatShare(natShare));
        options = named("--license-problems", options, o -> o.withLicenseProblemShare(licenseProblems));
        Duration after = duration("--churn-after", churnAfter);
        options = named("--churn", options, o -> o.withChurn(churn, after));
        Duration every = duration("--check-every", checkEvery);
        options = named("--check-every", options, o -> o.withCheckEvery(every));
        if (mix != null) {
            options = named("--mix", options, o -> o.withMix(FleetOptions.parseMix(mix)));
        }
        return options;
    }

    private static FleetOptions named(String option, FleetOptions options,
                                      java.util.function.UnaryOperator<FleetOptions> change) {
        return named(option, () -> change.apply(options));
    }

    static <T> T named(String option, Supplier<T> value) {
        try {
            return value.get();
        } catch (IllegalArgumentException | ConfigException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    /** A positive duration ({@code 90s}, {@code 5m}, {@code PT5M}); the error names {@code option}. */
    static Duration duration(String option, String text) {
        Duration value = ConfigSource.of(Map.of(option, text)).duration(option, null);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, was " + text);
        }
        return value;
    }
}
