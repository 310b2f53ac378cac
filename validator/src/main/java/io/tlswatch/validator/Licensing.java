package io.tlswatch.validator;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.EventExecutorGroup;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.http.HealthCheck;
import io.tlswatch.tlsserver.host.TlsServiceHost;
import io.tlswatch.validator.license.DefaultTerms;
import io.tlswatch.validator.license.LicenseDecision;
import io.tlswatch.validator.license.LicenseRegistry;
import io.tlswatch.validator.license.TermsResolver;
import io.tlswatch.validator.machine.MachineCuller;
import io.tlswatch.validator.machine.MachineRegistry;
import io.tlswatch.validator.machine.SharedMachines;
import io.tlswatch.validator.policy.PolicyRegistry;
import io.tlswatch.validator.policy.PolicyTermsResolver;
import io.tlswatch.validator.token.TokenSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * What the validator decides licenses with: the license, policy and machine tables, the terms each license is
 * held to, the shared machines and the decision, started in the order a restart needs (docs/validator.md,
 * "Start-up"). Each table is closed by the host.
 */
final class Licensing {

    private static final Logger log = LoggerFactory.getLogger(Licensing.class);

    final LicenseRegistry registry;
    final PolicyRegistry policies;
    final TermsResolver terms;
    final MachineRegistry machineRegistry;
    final SharedMachines machines;
    final LicenseDecision decision;

    private Licensing(ValidatorConfig config, Clock clock, TlsServiceHost host, TokenSettings tokenSettings) {
        MeterRegistry meters = host.meters();
        registry = new LicenseRegistry(config.server().kafka(),
                config.server().kafka().topics().named(Topics.LICENSES), meters);
        host.closes("license registry", limit -> registry.close());
        policies = new PolicyRegistry(config.server().kafka(), meters);
        host.closes("policy registry", policies::close);
        terms = new PolicyTermsResolver(new DefaultTerms(config.machineWindow(), tokenSettings.lifetime(),
                config.proofRequired()), policies, meters, clock);
        // Folded with each license's maxMachines as this replica knows it when the row is read; the license and
        // policy registries are caught up before the machines are read, so a restart folds with every license
        // and policy known.
        machineRegistry = new MachineRegistry(config.server().kafka(),
                config.server().kafka().topics().named(Topics.MACHINES), meters,
                licenseId -> registry.byLicenseId(licenseId).map(l -> terms.termsFor(l).maxMachines())
                        .orElse(Integer.MAX_VALUE),
                config.machineActivationTimeout(), "validator-machines-" + config.server().nodeName());
        host.closes("machine registry", machineRegistry::close);
        machines = new SharedMachines(machineRegistry.ledger(), machineRegistry, machineRegistry.metrics(),
                config.machineActivationTimeout(), host.source());
        decision = new LicenseDecision(registry, terms, machines);
    }

    /** Builds it and starts reading the license and policy tables; the machines wait for {@link #awaitReady}. */
    static Licensing start(ValidatorConfig config, Clock clock, TlsServiceHost host, TokenSettings tokenSettings) {
        Licensing licensing = new Licensing(config, clock, host, tokenSettings);
        licensing.registry.start();
        licensing.policies.start();
        return licensing;
    }

    /** What readiness waits for. */
    List<HealthCheck> healthChecks() {
        return List.of(HealthCheck.of("licenses", registry::isCaughtUp),
                HealthCheck.of("policies", policies::isCaughtUp),
                HealthCheck.of("machines", machineRegistry::isCaughtUp));
    }

    /**
     * Waits, up to {@code startup.timeout} each, for the licenses and policies, then reads the machines and waits
     * for them too; then culls on schedule.
     */
    void awaitReady(ValidatorConfig config, Clock clock, TlsServiceHost host) {
        try {
            registry.awaitCaughtUp(config.server().startupTimeout());
            // Both start from the same moment, so together they take about as long as the slower one.
            policies.awaitCaughtUp(config.server().startupTimeout());
            machineRegistry.start();
            machineRegistry.awaitCaughtUp(config.server().startupTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the license, policy and machine registries", e);
        }
        cullOnSchedule(config, clock, host);
    }

    /**
     * Every replica culls (idempotent rows), on a thread of its own: a write may block while Kafka is unreachable,
     * which must not hold up the host's scheduler.
     */
    private void cullOnSchedule(ValidatorConfig config, Clock clock, TlsServiceHost host) {
        MachineCuller culler = new MachineCuller(machineRegistry.ledger(),
                licenseId -> registry.byLicenseId(licenseId).map(terms::termsFor), machines, clock);
        EventExecutorGroup cullThread = host.executor("tlswatch-machine-culler", 1);
        host.every(config.machineCullInterval(), () -> {
            try {
                cullThread.execute(() -> {
                    try {
                        culler.run();
                    } catch (RuntimeException e) {
                        log.warn("Machine culling failed; it runs again in {}", config.machineCullInterval(), e);
                    }
                });
            } catch (RejectedExecutionException e) {
                log.debug("Machine culling skipped: shutting down");
            }
        });
    }
}
