package io.tlswatch.streams.fingerprint;

import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.AlertEvidence;
import io.tlswatch.contract.event.FingerprintPosture;
import io.tlswatch.contract.event.Severity;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A fingerprint's row, and its alert: an outdated fingerprint (nothing above TLS 1.1 offered) fires once at
 * least {@code alertMinClients} distinct clients run it within the window, and resolves when fewer do.
 */
public final class FingerprintRules {

    public static final String KEY_PREFIX = "tls-outdated-fingerprint:";
    /** The row's version when the JA4 names none we know (a draft or garbage). */
    public static final String UNKNOWN_VERSION = "unknown";

    private final int alertMinClients;
    private final String source;

    public FingerprintRules(int alertMinClients, String source) {
        this.alertMinClients = alertMinClients;
        this.source = source;
    }

    public FingerprintPosture row(FingerprintState s, Instant now) {
        return FingerprintPosture.builder().time(now).source(source).ja4(s.ja4())
                .highestOfferedVersion(s.offered() == null ? UNKNOWN_VERSION : s.offered())
                .outdated(s.outdated()).failures(s.failures()).successes(s.successes())
                .distinctAddresses(s.addresses()).distinctClients(s.clients())
                .firstSeen(s.firstSeen()).lastSeen(s.lastSeen()).build();
    }

    /** The alert the state now calls for, if its firing state changes, with the state that records it. */
    public Optional<Result> alert(FingerprintState s, Instant now) {
        boolean over = s.outdated() && s.clients() >= alertMinClients;
        String key = KEY_PREFIX + s.ja4();
        AlertEvidence evidence = new AlertEvidence(
                null, null, null, Set.of(s.ja4()), s.offered(), null, null, null, null, null,
                null, s.clients());
        if (over && s.alertStartsAt() == null) {
            AlertEvent firing = AlertEvent.builder().id(id(key, "firing", now, now)).time(now).source(source)
                    .dedupKey(key).severity(Severity.WARNING).kind(AlertEvent.KIND_FINGERPRINT_OUTDATED)
                    .summary(s.clients() + " clients run TLS fingerprint " + s.ja4()
                            + ", which offers at most " + s.offered())
                    .ja4(s.ja4()).evidence(evidence).startsAt(now).build();
            return Optional.of(new Result(s.withAlert(now), firing));
        }
        if (!over && s.alertStartsAt() != null) {
            AlertEvent resolved = AlertEvent.builder().id(id(key, "resolved", s.alertStartsAt(), now)).time(now)
                    .source(source).dedupKey(key).resolved(now).severity(Severity.WARNING)
                    .kind(AlertEvent.KIND_FINGERPRINT_OUTDATED)
                    .summary("TLS fingerprint " + s.ja4() + " is now run by " + s.clients()
                            + " clients, below the threshold of " + alertMinClients)
                    .ja4(s.ja4()).evidence(evidence).startsAt(s.alertStartsAt()).build();
            return Optional.of(new Result(s.withAlert(null), resolved));
        }
        return Optional.empty();
    }

    public record Result(FingerprintState state, AlertEvent alert) {
    }

    private static String id(String key, String what, Instant startsAt, Instant now) {
        return UUID.nameUUIDFromBytes((key + "|" + what + "|" + startsAt + "|" + now)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }
}
