package io.tlswatch.validator.license;

import io.tlswatch.contract.event.LicenseRecord;

import java.util.List;

/**
 * The entitlements a check asks for (the optional {@code entitlements} of the request) held to the license and
 * its terms: each must be one of the license's, and one its policy's {@code allowedScopes} lists when it lists
 * any (docs/licenses.md, "Policies").
 */
public final class EntitlementScope {

    private EntitlementScope() {
    }

    /**
     * @param requested what the check asked for, {@code null} when it asked for nothing in particular
     * @return whether every requested entitlement may be granted; {@code true} when none was requested
     */
    public static boolean allowed(LicenseRecord license, EffectiveTerms terms, List<String> requested) {
        if (requested == null) {
            return true;
        }
        List<String> scopes = terms.allowedScopes();
        for (String entitlement : requested) {
            if (!license.entitlements().contains(entitlement) || (scopes != null && !scopes.contains(entitlement))) {
                return false;
            }
        }
        return true;
    }

    /**
     * What the token's {@code entitlements} claim carries: the requested ones, in the license's order, or all
     * of the license's when none were requested. Only meaningful once {@link #allowed} said yes.
     */
    public static List<String> granted(LicenseRecord license, List<String> requested) {
        if (requested == null) {
            return license.entitlements();
        }
        return license.entitlements().stream().filter(requested::contains).toList();
    }
}
