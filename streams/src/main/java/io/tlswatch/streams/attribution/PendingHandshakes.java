package io.tlswatch.streams.attribution;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.tlswatch.contract.event.HandshakeEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The handshakes from one remote address that could not be attributed when they arrived (no client known there
 * yet, or a fingerprint no client there was seen with), kept so that a check or report teaching the address
 * within the attribution window can still claim them (the value of the pending-handshakes store). Immutable;
 * oldest first; at most a fixed number per address, the newest.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PendingHandshakes(List<HandshakeEvent> handshakes) {

    private static final Comparator<HandshakeEvent> BY_TIME = Comparator.comparing(HandshakeEvent::time);

    public PendingHandshakes {
        handshakes = handshakes == null ? List.of() : List.copyOf(handshakes);
    }

    public static PendingHandshakes empty() {
        return new PendingHandshakes(List.of());
    }

    /**
     * Adds {@code handshake} in time order, keeping the newest {@code maxPerAddress}; {@link Added#evicted()} says
     * how many older ones made room (at most one), or whether the handshake itself was too old to be kept.
     */
    public Added add(HandshakeEvent handshake, int maxPerAddress) {
        List<HandshakeEvent> next = new ArrayList<>(handshakes.size() + 1);
        next.addAll(handshakes);
        int at = next.size();
        while (at > 0 && BY_TIME.compare(next.get(at - 1), handshake) > 0) {
            at--;
        }
        next.add(at, handshake);
        int evicted = Math.max(0, next.size() - maxPerAddress);
        return new Added(new PendingHandshakes(next.subList(evicted, next.size())), evicted);
    }

    /** Without the handshakes older than {@code cutoff}. */
    public PendingHandshakes since(Instant cutoff) {
        return new PendingHandshakes(handshakes.stream().filter(h -> !h.time().isBefore(cutoff)).toList());
    }

    /** The time of the oldest handshake held, or {@code null} when none is. */
    @JsonIgnore
    public Instant oldest() {
        return handshakes.isEmpty() ? null : handshakes.get(0).time();
    }

    @JsonIgnore
    public int size() {
        return handshakes.size();
    }

    @JsonIgnore
    public boolean isEmpty() {
        return handshakes.isEmpty();
    }

    /** @param evicted how many handshakes the addition pushed out of the address's buffer (possibly itself) */
    public record Added(PendingHandshakes pending, int evicted) {
    }
}
