package io.tlswatch.validator.license;

import io.tlswatch.contract.event.LicenseRecord;

/** Resolves the terms a license is held to now (docs/licenses.md, "Policies"). Thread-safe. */
@FunctionalInterface
public interface TermsResolver {

    EffectiveTerms termsFor(LicenseRecord license);
}
