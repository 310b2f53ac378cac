package io.tlswatch.streams.fingerprint;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.tlswatch.common.event.HandshakeOutcome;
import io.tlswatch.streams.attribution.FingerprintSignal;
import io.tlswatch.streams.posture.TlsVersions;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the job remembers about one fingerprint (the value of the fingerprint state store): hourly counts and
 * who was seen with it within the window, bounded by {@link #MAX_TRACKED} addresses and clients each (the
 * distinct counts saturate there).
 *
 * @param ja4           the fingerprint
 * @param offered       the highest version its ClientHellos offered
 * @param firstSeen     the earliest event time
 * @param lastSeen      the latest event time
 * @param hours         handshake counts per hour, oldest first, within the window
 * @param addresses     address to last seen
 * @param clients       client id to last seen
 * @param alertStartsAt when its fingerprint alert began; {@code null} when none is firing
 * @param rowLastSeen   the {@code lastSeen} of the last row emitted
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FingerprintState(String ja4, String offered, Instant firstSeen, Instant lastSeen, List<Hour> hours,
                               Map<String, Instant> addresses, Map<String, Instant> clients, Instant alertStartsAt,
                               Instant rowLastSeen) {

    public static final int MAX_TRACKED = 1000;

    /** Handshakes of one hour. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Hour(Instant start, long failures, long successes) {
    }

    public FingerprintState {
        hours = hours == null ? List.of() : List.copyOf(hours);
        addresses = addresses == null ? Map.of() : Map.copyOf(addresses);
        clients = clients == null ? Map.of() : Map.copyOf(clients);
    }

    public static FingerprintState first(FingerprintSignal s) {
        return new FingerprintState(s.ja4(), null, s.time(), s.time(), List.of(), Map.of(), Map.of(), null, null);
    }

    public FingerprintState add(FingerprintSignal s) {
        String version = TlsVersions.max(offered, TlsVersions.max(s.offered(), TlsVersions.fromJa4(s.ja4())));
        List<Hour> nextHours = new ArrayList<>(hours);
        if (s.outcome() != null) {
            Instant start = s.time().truncatedTo(ChronoUnit.HOURS);
            long f = s.outcome() == HandshakeOutcome.FAILURE ? 1 : 0;
            int at = 0;
            while (at < nextHours.size() && nextHours.get(at).start().isBefore(start)) {
                at++;
            }
            if (at < nextHours.size() && nextHours.get(at).start().equals(start)) {
                Hour h = nextHours.get(at);
                nextHours.set(at, new Hour(start, h.failures() + f, h.successes() + 1 - f));
            } else {
                nextHours.add(at, new Hour(start, f, 1 - f));
            }
        }
        Map<String, Instant> nextAddresses = s.address() == null ? addresses : seen(addresses, s.address(), s.time());
        Map<String, Instant> nextClients = s.clientId() == null ? clients : seen(clients, s.clientId(), s.time());
        return new FingerprintState(ja4, version, s.time().isBefore(firstSeen) ? s.time() : firstSeen,
                s.time().isAfter(lastSeen) ? s.time() : lastSeen, nextHours, nextAddresses, nextClients,
                alertStartsAt, rowLastSeen);
    }

    /** Forgets counts and sightings from before {@code cutoff}. */
    public FingerprintState prune(Instant cutoff) {
        Instant hourCutoff = cutoff.truncatedTo(ChronoUnit.HOURS);
        return new FingerprintState(ja4, offered, firstSeen, lastSeen,
                hours.stream().filter(h -> !h.start().isBefore(hourCutoff)).toList(),
                after(addresses, cutoff), after(clients, cutoff), alertStartsAt, rowLastSeen);
    }

    public boolean outdated() {
        return TlsVersions.outdated(offered);
    }

    public long failures() {
        return hours.stream().mapToLong(Hour::failures).sum();
    }

    public long successes() {
        return hours.stream().mapToLong(Hour::successes).sum();
    }

    public FingerprintState withAlert(Instant startsAt) {
        return new FingerprintState(ja4, offered, firstSeen, lastSeen, hours, addresses, clients, startsAt,
                rowLastSeen);
    }

    public FingerprintState withRowLastSeen(Instant value) {
        return new FingerprintState(ja4, offered, firstSeen, lastSeen, hours, addresses, clients, alertStartsAt,
                value);
    }

    public boolean silentSince(Instant cutoff, Duration retention) {
        return lastSeen.plus(retention).isBefore(cutoff);
    }

    private static Map<String, Instant> seen(Map<String, Instant> map, String key, Instant time) {
        Map<String, Instant> next = new TreeMap<>(map);
        next.merge(key, time, (a, b) -> a.isAfter(b) ? a : b);
        if (next.size() > MAX_TRACKED) {
            String oldest = next.entrySet().stream().min(Map.Entry.comparingByValue(Comparator.naturalOrder()))
                    .map(Map.Entry::getKey).orElseThrow();
            next.remove(oldest);
        }
        return next;
    }

    private static Map<String, Instant> after(Map<String, Instant> map, Instant cutoff) {
        Map<String, Instant> next = new TreeMap<>();
        map.forEach((k, v) -> {
            if (!v.isBefore(cutoff)) {
                next.put(k, v);
            }
        });
        return next;
    }
}
