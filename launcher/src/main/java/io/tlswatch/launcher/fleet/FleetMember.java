package io.tlswatch.launcher.fleet;

/**
 * What one installation of a running fleet is now.
 *
 * @param clientId     the SDK's client id, the key of the installation's posture
 * @param stack        the stack it runs now
 * @param licenseState the SDK's state after its last check ({@code VALID}, {@code INVALID} ...), or
 *                     {@code none} before the first
 */
public record FleetMember(PlannedClient plan, String clientId, Stack stack, String licenseState, long checks) {
}
