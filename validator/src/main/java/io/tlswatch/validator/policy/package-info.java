/**
 * Policies: the registry of {@code tlswatch.policies.v1} and the resolution of the terms a license is held to
 * (its overrides, then its policy's terms, then the validator's defaults). Described in docs/licenses.md,
 * "Policies".
 */
package io.tlswatch.validator.policy;
