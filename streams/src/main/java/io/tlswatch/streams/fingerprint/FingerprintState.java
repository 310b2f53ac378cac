package io.tlswatch.streams.fingerprint;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.tlswatch.contract.event.HandshakeOutcome;
import io.tlswatch.streams.attribution.FingerprintSignal;
import io.tlswatch.streams.event.TlsVersions;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * What the job remembers about one fingerprint (the value of the fingerprint state store): hourly handshake
 * counts within the window and how many distinct addresses and clients were seen with it. Who they are is
 * kept apart, one small entry each ({@link io.tlswatch.streams.members.Members}), so that a fingerprint run by a whole fleet
 * costs the same per event as a rare one.
 *
 * @param ja4           the fingerprint
 * @param offered       the highest version its ClientHellos offered
 * @param firstSeen     the earliest event time
 * @param lastSeen      the latest event time
 * @param hours         handshake counts per hour, oldest first, within the window
 * @param addresses     distinct addresses seen with it within the window
 * @param clients       distinct clients seen with it within the window
 * @param alertStartsAt when its fingerprint alert began; {@code null} when none is firing
 * @param rowLastSeen   the {@code lastSeen} of the last row emitted
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FingerprintState(String ja4, String offered, Instant firstSeen, Instant lastSeen, List<Hour> hours,
                               long addresses, long clients, Instant alertStartsAt, Instant rowLastSeen) {

    /** Handshakes of one hour. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Hour(Instant start, long failures, long successes) {
    }

    public FingerprintState {
        hours = hours == null ? List.of() : List.copyOf(hours);
    }

    public static FingerprintState first(FingerprintSignal s) {
        return new FingerprintState(s.ja4(), null, s.time(), s.time(), List.of(), 0, 0, null, null);
    }

    /** Counts the signal's handshake; {@code newAddress} and {@code newClient} say whether it brought a new one. */
    public FingerprintState add(FingerprintSignal s, boolean newAddress, boolean newClient) {
        String version = TlsVersions.max(offered, TlsVersions.max(s.offered(), TlsVersions.fromJa4(s.ja4())));
        List<Hour> nextHours = hours;
        if (s.outcome() != null) {
            nextHours = new ArrayList<>(hours);
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
        return new FingerprintState(ja4, version, s.time().isBefore(firstSeen) ? s.time() : firstSeen,
                s.time().isAfter(lastSeen) ? s.time() : lastSeen, nextHours, addresses + (newAddress ? 1 : 0),
                clients + (newClient ? 1 : 0), alertStartsAt, rowLastSeen);
    }

    /** Forgets counts from before {@code cutoff}, and the addresses and clients that were forgotten. */
    public FingerprintState prune(Instant cutoff, long forgottenAddresses, long forgottenClients) {
        Instant hourCutoff = cutoff.truncatedTo(ChronoUnit.HOURS);
        return new FingerprintState(ja4, offered, firstSeen, lastSeen,
                hours.stream().filter(h -> !h.start().isBefore(hourCutoff)).toList(),
                Math.max(0, addresses - forgottenAddresses), Math.max(0, clients - forgottenClients), alertStartsAt,
                rowLastSeen);
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
}
