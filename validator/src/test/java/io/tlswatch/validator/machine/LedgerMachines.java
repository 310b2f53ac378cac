package io.tlswatch.validator.machine;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.MachineRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The validator's own machine step ({@link SharedMachines} over a {@link MachineLedger}) on one replica without a
 * broker: every row is folded as it is written ({@link InMemoryMachineLog}). For tests of what a check decides
 * around the machine step, so that they hold the gate the product uses rather than a stand-in.
 */
public final class LedgerMachines {

    private final MachineLedger ledger;
    private final SharedMachines gate;

    /**
     * @param byLicenseId where the ledger finds a license's {@code maxMachines} when it folds a row, as the
     *                    validator's registry; a license not found folds without a limit, as in the validator (its
     *                    checks are refused before the machine step anyway)
     */
    public LedgerMachines(Function<String, Optional<LicenseRecord>> byLicenseId) {
        Objects.requireNonNull(byLicenseId, "byLicenseId");
        this.ledger = new MachineLedger(licenseId -> byLicenseId.apply(licenseId).map(LicenseRecord::maxMachines)
                .orElse(Integer.MAX_VALUE));
        this.gate = new SharedMachines(ledger, new InMemoryMachineLog(ledger),
                new MachineMetrics(new SimpleMeterRegistry(), ledger), Duration.ofSeconds(5), "validator@test");
    }

    /** Over the licenses in {@code licenses}, read when each row is folded: the collection may still change. */
    public static LedgerMachines over(Collection<LicenseRecord> licenses) {
        Objects.requireNonNull(licenses, "licenses");
        return new LedgerMachines(licenseId -> licenses.stream().filter(l -> l.licenseId().equals(licenseId))
                .findFirst());
    }

    /** The machine step to hand a {@link io.tlswatch.validator.license.LicenseDecision}. */
    public SharedMachines gate() {
        return gate;
    }

    /** Gives {@code clientId} a slot of {@code licenseId} from {@code at}, as a check another replica answered. */
    public void activated(String licenseId, String clientId, Instant at) {
        ledger.apply(MachineRecord.keyOf(licenseId, clientId),
                MachineRecord.activated(at, "validator@other", licenseId, clientId, null));
    }

    /** Whether {@code clientId} holds one of {@code licenseId}'s slots now. */
    public boolean holdsSlot(String licenseId, String clientId) {
        return ledger.active(licenseId, clientId).isPresent();
    }
}
