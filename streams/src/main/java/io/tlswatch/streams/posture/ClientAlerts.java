package io.tlswatch.streams.posture;

import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.AlertEvidence;
import io.tlswatch.contract.event.Posture;
import io.tlswatch.contract.event.Severity;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The alerts a committed posture change causes. One dedup key per root cause: {@code tls-outdated:<clientId>}
 * for stuck and at-risk (the same cause, at two urgencies), {@code tls-degraded:<clientId>} for degraded.
 */
public final class ClientAlerts {

    public static final String OUTDATED_PREFIX = "tls-outdated:";
    public static final String DEGRADED_PREFIX = "tls-degraded:";

    private final String source;

    public ClientAlerts(String source) {
        this.source = source;
    }

    /** The dedup key a posture alerts under, or {@code null} for one that raises no alert. */
    public static String keyOf(Posture posture, String clientId) {
        return switch (posture) {
            case STUCK, AT_RISK -> OUTDATED_PREFIX + clientId;
            case DEGRADED -> DEGRADED_PREFIX + clientId;
            default -> null;
        };
    }

    public static Severity severityOf(Posture posture) {
        return switch (posture) {
            case AT_RISK -> Severity.CRITICAL;
            case STUCK -> Severity.WARNING;
            default -> Severity.INFO;
        };
    }

    /**
     * The alerts for a change from {@code state.alertPosture()} (what was last announced) to {@code next}, and
     * the state recording what is firing afterwards.
     */
    public Result onChange(ClientState state, Posture next, Assessment evidence, Instant now, Instant began) {
        List<AlertEvent> alerts = new ArrayList<>();
        String oldKey = state.alertKey();
        String newKey = keyOf(next, state.clientId());
        Posture previous = state.posture();
        ClientState after = state;
        if (oldKey != null && !oldKey.equals(newKey)) {
            Posture announced = state.alertPosture() == null ? previous : state.alertPosture();
            alerts.add(AlertEvent.builder().id(id(oldKey, "resolved", state.alertStartsAt(), now))
                    .time(now).source(source).dedupKey(oldKey).resolved(now)
                    .severity(severityOf(announced)).kind(AlertEvent.KIND_CLIENT_POSTURE)
                    .summary(resolvedSummary(state.clientId(), announced, next))
                    .clientId(state.clientId()).posture(next).previousPosture(previous)
                    .evidence(evidence(state, evidence)).startsAt(state.alertStartsAt()).build());
            after = after.withAlert(null, null, null);
        }
        if (newKey != null) {
            Instant startsAt = newKey.equals(oldKey) ? state.alertStartsAt() : began;
            alerts.add(AlertEvent.builder().id(id(newKey, "firing:" + next, startsAt, now))
                    .time(now).source(source).dedupKey(newKey)
                    .severity(severityOf(next)).kind(AlertEvent.KIND_CLIENT_POSTURE)
                    .summary(firingSummary(state, next, evidence))
                    .clientId(state.clientId()).posture(next).previousPosture(previous)
                    .evidence(evidence(state, evidence)).startsAt(startsAt).build());
            after = after.withAlert(newKey, startsAt, next);
        }
        return new Result(after, alerts);
    }

    public record Result(ClientState state, List<AlertEvent> alerts) {
    }

    /** The same alert for the same change gets the same id, so a consumer's dedup on id holds across replays. */
    private static String id(String key, String what, Instant startsAt, Instant now) {
        return UUID.nameUUIDFromBytes((key + "|" + what + "|" + startsAt + "|" + now)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static AlertEvidence evidence(ClientState state, Assessment a) {
        return new AlertEvidence(a.failuresByReason(), a.reportsByErrorClass(), a.lastErrors(), a.ja4s(),
                a.highestOfferedVersion(), a.highestNegotiatedVersion(), state.runtime(), state.tls(),
                state.entitlementExpiresAt(), a.timeLeft(), state.licenseGraceUntil(), null)
                .withCause(AlertCause.of(a));
    }

    static String firingSummary(ClientState state, Posture next, Assessment a) {
        String client = "Client " + state.clientId();
        String runtime = state.runtime() == null ? "" : " (" + state.runtime().name()
                + (state.runtime().version() == null ? "" : " " + state.runtime().version()) + ")";
        String offered = a.offeredSinceModern() == null ? "" : ", offers at most " + a.offeredSinceModern();
        long failures = a.failuresByReason().values().stream().mapToLong(Long::longValue).sum();
        long reports = a.reportsByErrorClass().values().stream().mapToLong(Long::longValue).sum();
        String counts = " (" + failures + " failed handshakes, " + reports + " error reports)";
        boolean version = a.reasons().stream().anyMatch(r -> r.startsWith("version_or_cipher_mismatch:")
                || r.startsWith("offers_only:"));
        // A stack too old for the server is told by what it offers; any other cause by its reasons.
        String cannot = version ? " cannot complete a modern TLS handshake" + offered
                : " cannot validate its license: " + String.join(", ", a.reasons().stream()
                .filter(r -> !r.startsWith("entitlement_") && !r.equals("never_validated")).toList());
        return switch (next) {
            case AT_RISK -> client + runtime + cannot + (a.reasons().contains("never_validated")
                    ? ", and was never seen with a valid license check"
                    : " and its entitlement " + (a.timeLeft() == null || a.timeLeft().isNegative()
                    || a.timeLeft().isZero() ? "has run out" : "runs out in " + human(a.timeLeft()))) + counts;
            case STUCK -> client + runtime + cannot + counts;
            case DEGRADED -> client + runtime + " still connects, on something scheduled to break: "
                    + String.join(", ", a.reasons());
            default -> client + " is " + next.name().toLowerCase(Locale.ROOT);
        };
    }

    static String resolvedSummary(String clientId, Posture announced, Posture next) {
        return "Client " + clientId + " is no longer " + announced.name().toLowerCase(Locale.ROOT)
                + ": now " + next.name().toLowerCase(Locale.ROOT);
    }

    static String human(Duration d) {
        long hours = d.toHours();
        if (hours >= 48) {
            return (hours / 24) + " days " + (hours % 24) + " h";
        }
        if (hours >= 1) {
            return hours + " h " + d.toMinutesPart() + " min";
        }
        return Math.max(1, d.toMinutes()) + " min";
    }
}
