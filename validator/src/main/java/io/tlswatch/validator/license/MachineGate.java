package io.tlswatch.validator.license;

import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.event.LicenseRecord;

import java.time.Instant;

/**
 * The machine step of a validation: whether {@code clientId} may use the license as one of its machines, under
 * its terms, and if so counts it (activating it when new). Only reached by a request that passed every check
 * before it (docs/licenses.md, "Codes and their precedence").
 */
@FunctionalInterface
public interface MachineGate {

    /** @return {@code null} when admitted, else the refusal ({@code TOO_MANY_MACHINES}, ...) */
    LicenseCheckCode admit(LicenseRecord license, String clientId, EffectiveTerms terms, Instant now);
}
