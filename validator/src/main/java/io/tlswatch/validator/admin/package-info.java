/**
 * The admin API: an HTTPS listener of its own (off by default, {@code admin.api.port}) through which operators
 * issue and change licenses, deactivate machines and manage policies, authenticated by bearer tokens kept hashed in
 * {@code tlswatch.admin-tokens.v1}. The HTTP handler is thin; {@link io.tlswatch.validator.admin.AdminApi} routes,
 * authenticates and rate-limits, and the operations classes read the registries and write to Kafka
 * (docs/api.md, "Admin API").
 */
package io.tlswatch.validator.admin;
