package io.tlswatch.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * This installation as a machine of the license, as the server last described it (the {@code machine} object of
 * its answers): whether it holds a slot, and whether and when it must send its next heartbeat. Immutable.
 */
public final class Machine {

    private final String id;
    private final String status;
    private final Instant activatedAt;
    private final Instant lastHeartbeatAt;
    private final boolean heartbeatRequired;
    private final Duration heartbeatInterval;
    private final Instant heartbeatDueAt;

    Machine(String id, String status, Instant activatedAt, Instant lastHeartbeatAt, boolean heartbeatRequired,
            Duration heartbeatInterval, Instant heartbeatDueAt) {
        this.id = id;
        this.status = Objects.requireNonNull(status, "status");
        this.activatedAt = activatedAt;
        this.lastHeartbeatAt = lastHeartbeatAt;
        this.heartbeatRequired = heartbeatRequired;
        this.heartbeatInterval = heartbeatInterval;
        this.heartbeatDueAt = heartbeatDueAt;
    }

    /**
     * The machine an answer describes, or {@code null} when it has none (an older validator, or a client that is
     * not an active machine). Fields that do not parse count as absent: the SDK never fails a check over them.
     */
    static Machine from(JsonNode answer) {
        JsonNode machine = answer.path("machine");
        if (!machine.isObject() || !machine.path("status").isTextual()) {
            return null;
        }
        JsonNode heartbeat = machine.path("heartbeat");
        return new Machine(machine.path("id").asText(null), machine.get("status").asText(),
                instant(machine.path("activatedAt")), instant(machine.path("lastHeartbeatAt")),
                heartbeat.path("required").asBoolean(false), duration(heartbeat.path("interval")),
                instant(heartbeat.path("dueAt")));
    }

    /** The machine's id: this installation's client id. */
    public Optional<String> id() {
        return Optional.ofNullable(id);
    }

    /** {@code active} or {@code deactivated}, as the server says. */
    public String status() {
        return status;
    }

    public boolean active() {
        return "active".equals(status);
    }

    public Optional<Instant> activatedAt() {
        return Optional.ofNullable(activatedAt);
    }

    /** The last heartbeat the server recorded; empty before the first. */
    public Optional<Instant> lastHeartbeatAt() {
        return Optional.ofNullable(lastHeartbeatAt);
    }

    /** Whether the license's policy wants heartbeats from this machine (the SDK sends them by itself). */
    public boolean heartbeatRequired() {
        return heartbeatRequired;
    }

    public Optional<Duration> heartbeatInterval() {
        return Optional.ofNullable(heartbeatInterval);
    }

    /** When the server expects the next heartbeat at the latest. */
    public Optional<Instant> heartbeatDueAt() {
        return Optional.ofNullable(heartbeatDueAt);
    }

    @Override
    public String toString() {
        return "machine " + id + " " + status + (heartbeatRequired ? ", heartbeat due at " + heartbeatDueAt : "");
    }

    private static Instant instant(JsonNode node) {
        if (!node.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Duration duration(JsonNode node) {
        if (!node.isTextual()) {
            return null;
        }
        try {
            Duration value = Duration.parse(node.asText());
            return value.isNegative() || value.isZero() ? null : value;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
