/**
 * Licenses: the registry (an in-memory view of the compacted topic {@code tlswatch.licenses.v1}), the validation
 * decision with its machine-readable codes, machine counting, and the administration behind
 * {@code ./tlswatch licenses ...}. The model, the codes and their precedence are described in docs/licenses.md.
 */
package io.tlswatch.validator.license;
