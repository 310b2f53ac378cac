package io.tlswatch.streams.attribution;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The clients seen at one remote address (the value of the address book store), with the fingerprints each
 * came with. Immutable; bounded by the window and a maximum number of clients.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AddressBook(Map<String, Seen> clients) {

    private static final int MAX_JA4S_PER_CLIENT = 16;
    private static final int MAX_VOUCHES_PER_CLIENT = 8;

    /**
     * @param lastSeen the newest event time the client was seen at the address
     * @param ja4s     the fingerprints it came with, sorted
     * @param vouches  what taught that the client uses the address ({@link Vouch}), sorted; empty in books
     *                 written before vouches were kept
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Seen(Instant lastSeen, Set<String> ja4s, Set<String> vouches) {
        public Seen {
            ja4s = ja4s == null ? Set.of() : Set.copyOf(new TreeSet<>(ja4s));
            vouches = vouches == null ? Set.of() : Set.copyOf(new TreeSet<>(vouches));
        }
    }

    public AddressBook {
        clients = clients == null ? Map.of() : Map.copyOf(clients);
    }

    public static AddressBook empty() {
        return new AddressBook(Map.of());
    }

    @JsonIgnore
    public Instant newest() {
        return clients.values().stream().map(Seen::lastSeen).max(Comparator.naturalOrder()).orElse(null);
    }

    /** The oldest time a client here was last seen, or {@code null} for an empty book. */
    @JsonIgnore
    public Instant oldest() {
        return clients.values().stream().map(Seen::lastSeen).min(Comparator.naturalOrder()).orElse(null);
    }

    /**
     * Records that {@code clientId} was seen here, taught by {@code vouch} ({@link Vouch}; {@code null}: not
     * recorded); forgets clients older than the window and the oldest beyond {@code max}.
     */
    public AddressBook learn(String clientId, String ja4, String vouch, Instant time, Duration window, int max) {
        Map<String, Seen> next = new TreeMap<>(clients);
        Seen old = next.get(clientId);
        Set<String> ja4s = new TreeSet<>(old == null ? Set.of() : old.ja4s());
        if (ja4 != null && (ja4s.size() < MAX_JA4S_PER_CLIENT || ja4s.contains(ja4))) {
            ja4s.add(ja4);
        }
        Set<String> vouches = new TreeSet<>(old == null ? Set.of() : old.vouches());
        if (vouch != null && (vouches.size() < MAX_VOUCHES_PER_CLIENT || vouches.contains(vouch))) {
            vouches.add(vouch);
        }
        Instant last = old == null || time.isAfter(old.lastSeen()) ? time : old.lastSeen();
        next.put(clientId, new Seen(last, ja4s, vouches));
        Instant newest = next.values().stream().map(Seen::lastSeen).max(Comparator.naturalOrder()).orElse(time);
        Instant cutoff = newest.minus(window);
        next.values().removeIf(s -> s.lastSeen().isBefore(cutoff));
        if (next.size() > max) {
            List<String> oldestFirst = next.entrySet().stream()
                    .sorted(Map.Entry.comparingByValue(Comparator.comparing(Seen::lastSeen)))
                    .map(Map.Entry::getKey).toList();
            oldestFirst.subList(0, next.size() - max).forEach(next::remove);
        }
        return new AddressBook(next);
    }

    /** The book without clients last seen before {@code cutoff}. */
    public AddressBook forgetBefore(Instant cutoff) {
        return new AddressBook(clients.entrySet().stream().filter(e -> !e.getValue().lastSeen().isBefore(cutoff))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new)));
    }

    /**
     * Whom an event at {@code time} with fingerprint {@code ja4} (may be {@code null}) belongs to, of the clients
     * seen here within the window (docs/posture.md, "Attribution"):
     * <ul>
     *   <li>none: {@link AttributionOutcome#UNKNOWN};</li>
     *   <li>exactly one of them was seen with the fingerprint: that one;</li>
     *   <li>a fingerprint none of them was seen with: {@link AttributionOutcome#AMBIGUOUS}, even when only one
     *       client is known here, unless that one was never seen with any fingerprint. Behind a NAT a second
     *       installation nobody has heard from yet looks exactly like this, and convicting the known client of
     *       its neighbour's old TLS stack is the worse mistake;</li>
     *   <li>no fingerprint on the event: the one client seen here, if it is one.</li>
     * </ul>
     */
    public Attribution attribute(String ja4, Instant time, Duration window) {
        Instant cutoff = time.minus(window);
        List<String> candidates = clients.entrySet().stream()
                .filter(e -> !e.getValue().lastSeen().isBefore(cutoff))
                .map(Map.Entry::getKey).sorted().toList();
        if (candidates.isEmpty()) {
            return new Attribution(AttributionOutcome.UNKNOWN, null, 0, Set.of());
        }
        if (ja4 != null) {
            List<String> matching = candidates.stream().filter(c -> clients.get(c).ja4s().contains(ja4)).toList();
            if (!matching.isEmpty()) {
                candidates = matching;
            } else if (candidates.size() == 1 && !clients.get(candidates.get(0)).ja4s().isEmpty()) {
                return new Attribution(AttributionOutcome.AMBIGUOUS, null, 2, Set.of());
            }
        }
        return candidates.size() == 1
                ? new Attribution(AttributionOutcome.ATTRIBUTED, candidates.get(0), 1,
                        clients.get(candidates.get(0)).vouches())
                : new Attribution(AttributionOutcome.AMBIGUOUS, null, candidates.size(), Set.of());
    }

    /**
     * @param candidates how many clients it could have been (2 for one known client and a fingerprint it was
     *                   never seen with: it, or someone unknown)
     * @param vouches    what taught that the client it was attributed to uses the address
     */
    public record Attribution(AttributionOutcome outcome, String clientId, int candidates, Set<String> vouches) {
    }
}
