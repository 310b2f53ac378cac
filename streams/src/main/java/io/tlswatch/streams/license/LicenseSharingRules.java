package io.tlswatch.streams.license;

import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.AlertEvidence;
import io.tlswatch.contract.event.Severity;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The license-sharing signal: one license used, within the sharing window, from at least
 * {@code minAddresses} addresses or with at least {@code minFingerprints} TLS fingerprints at once fires
 * {@code license-sharing:<licenseId>}; it resolves when both fall below again.
 */
public final class LicenseSharingRules {

    public static final String KEY_PREFIX = "license-sharing:";
    /** The alert kind (AlertEvent's kinds are an open set). */
    public static final String KIND = "license_sharing";

    private final Duration window;
    private final int minAddresses;
    private final int minFingerprints;
    private final String source;

    public LicenseSharingRules(Duration window, int minAddresses, int minFingerprints, String source) {
        this.window = window;
        this.minAddresses = minAddresses;
        this.minFingerprints = minFingerprints;
        this.source = source;
    }

    public boolean shared(LicenseUsage s) {
        return s.addresses() >= minAddresses || s.fingerprints() >= minFingerprints;
    }

    /**
     * The alert the state calls for, if its firing state changes, with the state that records it.
     *
     * @param ja4s the fingerprints seen with the license (a sample), for the evidence
     */
    public Optional<Result> alert(LicenseUsage s, Collection<String> ja4s, Instant now) {
        String key = KEY_PREFIX + s.licenseId();
        AlertEvidence evidence = new AlertEvidence(null, null, null, new TreeSet<>(ja4s), null, null, null, null,
                null, null, null, s.clients());
        String usage = s.addresses() + " addresses, " + s.fingerprints() + " TLS fingerprints and " + s.clients()
                + " clients within " + window.toMinutes() + " min";
        if (shared(s) && s.alertStartsAt() == null) {
            return Optional.of(new Result(s.withAlert(now), AlertEvent.builder().id(id(key, "firing", now)).time(now)
                    .source(source).dedupKey(key).severity(Severity.WARNING).kind(KIND)
                    .summary("License " + s.licenseId() + " looks shared: used from " + usage)
                    .evidence(evidence).startsAt(now).build()));
        }
        if (!shared(s) && s.alertStartsAt() != null) {
            return Optional.of(new Result(s.withAlert(null), AlertEvent.builder().id(id(key, "resolved", now))
                    .time(now).source(source).dedupKey(key).resolved(now).severity(Severity.WARNING).kind(KIND)
                    .summary("License " + s.licenseId() + " no longer looks shared: " + usage)
                    .evidence(evidence).startsAt(s.alertStartsAt()).build()));
        }
        return Optional.empty();
    }

    public record Result(LicenseUsage state, AlertEvent alert) {
    }

    private static String id(String key, String what, Instant now) {
        return UUID.nameUUIDFromBytes((key + "|" + what + "|" + now).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
