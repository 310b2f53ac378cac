package io.tlswatch.tlsserver.classify;

import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.tlsserver.tls.EnabledTls;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a verdict about versions, suites or groups, or a vague one, against the ClientHello: with nothing in
 * common in one of them, that is the reason, whatever words the provider (or the client's alert) chose. The
 * providers blur these (see {@link ProviderFailureClassifier}), the offer does not.
 */
final class OfferCheck {

    private final EnabledTls enabled;

    OfferCheck(EnabledTls enabled) {
        this.enabled = Objects.requireNonNull(enabled, "enabled");
    }

    /**
     * @param offer what the ClientHello offered; {@code null} when none was read, and then {@code reason} stands
     */
    FailureReason refine(FailureReason reason, ClientOffer offer) {
        if (offer == null || !(reason == FailureReason.NO_SHARED_CIPHER || reason == FailureReason.NO_SHARED_GROUP
                || reason == FailureReason.OTHER || reason == FailureReason.CLOSED_BY_CLIENT)) {
            return reason;
        }
        Set<String> versions = enabled.sharedVersions(offer.versions());
        if (versions.isEmpty()) {
            return FailureReason.PROTOCOL_VERSION;
        }
        List<String> suites = enabled.sharedSuites(offer.cipherSuites(), versions);
        if (suites.isEmpty()) {
            return FailureReason.NO_SHARED_CIPHER;
        }
        boolean groupNeeded = suites.stream().allMatch(EnabledTls::needsGroup);
        if (groupNeeded && !enabled.sharesGroup(offer.groups())) {
            return FailureReason.NO_SHARED_GROUP;
        }
        return reason;
    }
}
