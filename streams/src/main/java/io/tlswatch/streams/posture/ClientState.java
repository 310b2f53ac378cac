package io.tlswatch.streams.posture;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.tlswatch.contract.event.Posture;
import io.tlswatch.contract.event.RuntimeInfo;
import io.tlswatch.contract.event.TlsStack;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What the job remembers about one client between events (the value of the client state store). Immutable;
 * every change makes a new one.
 *
 * @param clientId             the installation
 * @param licenseId            the license it last checked with
 * @param firstSeen            the earliest event time seen
 * @param lastSeen             the latest event time seen
 * @param runtime              its last reported runtime
 * @param tls                  its last reported TLS stack
 * @param lastValidCheck       its latest valid license check
 * @param entitlementExpiresAt the expiry of the token issued with that check
 * @param licenseGraceUntil    the grace given with that check
 * @param observations         the evidence within the window, oldest first, capped
 * @param posture              the committed posture (what the row says and alerts announced)
 * @param since                when it was committed
 * @param reasons              the reasons that came with it
 * @param candidate            a different posture the rules see, waiting out the minimum hold
 * @param candidateSince       since when the rules have seen it
 * @param alertKey             the dedup key of the alert now firing, if any
 * @param alertStartsAt        when that alert's condition began
 * @param alertPosture         the posture it last announced
 * @param rowLastSeen          the {@code lastSeen} of the last row emitted
 * @param due                  when time alone (evidence ageing out, a hold or a horizon running out, the
 *                             retention) next could change the judgement; {@code null}: never
 * @param keyPin               the key its reports must be signed with to count; {@code null}: none pinned yet
 *                             (and in state written before pinning existed)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClientState(
        String clientId, String licenseId, Instant firstSeen, Instant lastSeen, RuntimeInfo runtime, TlsStack tls,
        Instant lastValidCheck, Instant entitlementExpiresAt, Instant licenseGraceUntil,
        List<Observation> observations, Posture posture, Instant since, List<String> reasons,
        Posture candidate, Instant candidateSince, String alertKey, Instant alertStartsAt, Posture alertPosture,
        Instant rowLastSeen, Instant due, KeyPin keyPin) {

    private static final Comparator<Observation> BY_TIME = Comparator.comparing(Observation::time);

    public ClientState {
        Objects.requireNonNull(clientId, "clientId");
        observations = observations == null ? List.of() : List.copyOf(observations);
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        posture = posture == null ? Posture.HEALTHY : posture;
    }

    /** A client seen for the first time: healthy until evidence says otherwise. */
    public static ClientState first(String clientId, Instant time) {
        return new ClientState(clientId, null, time, time, null, null, null, null, null, List.of(), Posture.HEALTHY,
                time, List.of(), null, null, null, null, null, null, null, null);
    }

    /** Adds evidence in time order (late events land where they belong), keeping the newest {@code max}. */
    public ClientState observe(Observation observation, int max) {
        List<Observation> next = new ArrayList<>(observations.size() + 1);
        next.addAll(observations);
        int at = next.size();
        while (at > 0 && BY_TIME.compare(next.get(at - 1), observation) > 0) {
            at--;
        }
        next.add(at, observation);
        if (next.size() > max) {
            next = next.subList(next.size() - max, next.size());
        }
        Instant first = firstSeen == null || observation.time().isBefore(firstSeen) ? observation.time() : firstSeen;
        Instant last = lastSeen == null || observation.time().isAfter(lastSeen) ? observation.time() : lastSeen;
        return new ClientState(clientId, licenseId, first, last, runtime, tls, lastValidCheck, entitlementExpiresAt,
                licenseGraceUntil, next, posture, since, reasons, candidate, candidateSince, alertKey, alertStartsAt,
                alertPosture, rowLastSeen, due, keyPin);
    }

    /** Drops evidence older than {@code cutoff}. */
    public ClientState prune(Instant cutoff) {
        if (observations.isEmpty() || !observations.get(0).time().isBefore(cutoff)) {
            return this;
        }
        List<Observation> kept = observations.stream().filter(o -> !o.time().isBefore(cutoff)).toList();
        return new ClientState(clientId, licenseId, firstSeen, lastSeen, runtime, tls, lastValidCheck,
                entitlementExpiresAt, licenseGraceUntil, kept, posture, since, reasons, candidate, candidateSince,
                alertKey, alertStartsAt, alertPosture, rowLastSeen, due, keyPin);
    }

    /** What the client said about itself in a license check or report; older news never replaces newer. */
    public ClientState describe(String newLicenseId, RuntimeInfo newRuntime, TlsStack newTls) {
        return new ClientState(clientId, newLicenseId != null ? newLicenseId : licenseId, firstSeen, lastSeen,
                newRuntime != null ? newRuntime : runtime, newTls != null ? newTls : tls, lastValidCheck,
                entitlementExpiresAt, licenseGraceUntil, observations, posture, since, reasons, candidate,
                candidateSince, alertKey, alertStartsAt, alertPosture, rowLastSeen, due, keyPin);
    }

    /** A valid license check: the entitlement it got, if it is the newest one. */
    public ClientState validCheck(Instant time, Instant tokenExpiresAt, Instant graceUntil) {
        if (lastValidCheck != null && !time.isAfter(lastValidCheck)) {
            return this;
        }
        return new ClientState(clientId, licenseId, firstSeen, lastSeen, runtime, tls, time, tokenExpiresAt,
                graceUntil, observations, posture, since, reasons, candidate, candidateSince, alertKey,
                alertStartsAt, alertPosture, rowLastSeen, due, keyPin);
    }

    public ClientState committed(Posture newPosture, Instant at, List<String> newReasons) {
        return new ClientState(clientId, licenseId, firstSeen, lastSeen, runtime, tls, lastValidCheck,
                entitlementExpiresAt, licenseGraceUntil, observations, newPosture, at, newReasons, null, null,
                alertKey, alertStartsAt, alertPosture, rowLastSeen, due, keyPin);
    }

    public ClientState withReasons(List<String> newReasons) {
        return new ClientState(clientId, licenseId, firstSeen, lastSeen, runtime, tls, lastValidCheck,
                entitlementExpiresAt, licenseGraceUntil, observations, posture, since, newReasons, candidate,
                candidateSince, alertKey, alertStartsAt, alertPosture, rowLastSeen, due, keyPin);
    }

    public ClientState withCandidate(Posture newCandidate, Instant at) {
        return new ClientState(clientId, licenseId, firstSeen, lastSeen, runtime, tls, lastValidCheck,
                entitlementExpiresAt, licenseGraceUntil, observations, posture, since, reasons, newCandidate, at,
                alertKey, alertStartsAt, alertPosture, rowLastSeen, due, keyPin);
    }

    public ClientState withAlert(String key, Instant startsAt, Posture announced) {
        return new ClientState(clientId, licenseId, firstSeen, lastSeen, runtime, tls, lastValidCheck,
                entitlementExpiresAt, licenseGraceUntil, observations, posture, since, reasons, candidate,
                candidateSince, key, startsAt, announced, rowLastSeen, due, keyPin);
    }

    public ClientState withDue(Instant value) {
        return new ClientState(clientId, licenseId, firstSeen, lastSeen, runtime, tls, lastValidCheck,
                entitlementExpiresAt, licenseGraceUntil, observations, posture, since, reasons, candidate,
                candidateSince, alertKey, alertStartsAt, alertPosture, rowLastSeen, value, keyPin);
    }

    public ClientState withKeyPin(KeyPin value) {
        return new ClientState(clientId, licenseId, firstSeen, lastSeen, runtime, tls, lastValidCheck,
                entitlementExpiresAt, licenseGraceUntil, observations, posture, since, reasons, candidate,
                candidateSince, alertKey, alertStartsAt, alertPosture, rowLastSeen, due, value);
    }

    public ClientState withRowLastSeen(Instant value) {
        return new ClientState(clientId, licenseId, firstSeen, lastSeen, runtime, tls, lastValidCheck,
                entitlementExpiresAt, licenseGraceUntil, observations, posture, since, reasons, candidate,
                candidateSince, alertKey, alertStartsAt, alertPosture, value, due, keyPin);
    }
}
