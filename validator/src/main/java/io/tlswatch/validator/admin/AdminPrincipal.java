package io.tlswatch.validator.admin;

import io.tlswatch.contract.event.AdminScope;

/**
 * Who made an admin request: the token's id and name (the {@code operator} of every change it makes) and scope.
 */
public record AdminPrincipal(String tokenId, String name, AdminScope scope) {
}
