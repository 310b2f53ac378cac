package io.tlswatch.notifier.cohort;

import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.AlertStatus;
import io.tlswatch.contract.event.Posture;
import io.tlswatch.notifier.config.CohortSettings;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Decides which alerts are paged, so that a fleet-wide cause pages once. A stuck or at-risk client alert that names
 * its cause ({@code evidence.cause}) is held for up to {@code window}; when more than {@code threshold} clients
 * with one cause are held at once, a cohort opens: one alert {@code tls-cohort:<cause>} is paged in their place,
 * and later clients of that cause join it without a page. A held alert whose window ends with no cohort is paged
 * as it is, and so is one whose client recovers while it is held, followed by its resolve. A cohort member's
 * resolve is not paged; the last one's resolves the cohort. Everything else passes straight through.
 *
 * <p>Each alert comes with a ticket (the consumer's record); the decisions say which alerts to send with which
 * tickets to finish when sent, and which tickets need nothing more. Not thread-safe: the consumer thread owns it.
 *
 * @param <T> the consumer's ticket for an alert read
 */
public final class CohortGrouper<T> {

    /** The first clients a cohort alert lists by name. */
    static final int LISTED = 10;
    /**
     * Clients remembered as members of open cohorts at most (about 200 bytes each). A client past it is still
     * not paged, but its resolve is then passed on as it is, which a pager ignores for a key it never saw.
     */
    static final int MAX_MEMBERS = 200_000;

    /** An alert to send, and the tickets that are finished once every target has finished with it. */
    public record Send<T>(AlertEvent alert, List<T> tickets) {
        public Send {
            tickets = List.copyOf(tickets);
        }
    }

    /** What to do now: alerts to send, and tickets that need nothing more. */
    public record Decisions<T>(List<Send<T>> send, List<T> finish) {
        public Decisions {
            send = List.copyOf(send);
            finish = List.copyOf(finish);
        }

        static <T> Decisions<T> none() {
            return new Decisions<>(List.of(), List.of());
        }

        static <T> Decisions<T> send(AlertEvent alert, List<T> tickets) {
            return new Decisions<>(List.of(new Send<>(alert, tickets)), List.of());
        }

        static <T> Decisions<T> finish(List<T> tickets) {
            return new Decisions<>(List.of(), tickets);
        }
    }

    private record Held<T>(T ticket, AlertEvent alert, Instant heldAt) {
    }

    private final CohortSettings settings;
    private final CohortAlerts alerts;
    private final CohortMeters meters;
    /** Held alerts by cause, each by dedup key in the order held (so the oldest is released first). */
    private final Map<String, LinkedHashMap<String, Held<T>>> held = new HashMap<>();
    private final Map<String, String> heldCause = new HashMap<>();
    private final Map<String, Cohort> cohorts = new HashMap<>();
    /** Client dedup key to the cause of the open cohort it belongs to. */
    private final Map<String, String> members = new HashMap<>();

    public CohortGrouper(CohortSettings settings, String source, CohortMeters meters) {
        this.settings = settings;
        this.alerts = new CohortAlerts(source, settings.queryBaseUrl());
        this.meters = meters;
    }

    /** Decides about an alert just read. */
    public Decisions<T> offer(T ticket, AlertEvent alert, Instant now) {
        if (!settings.enabled() || !AlertEvent.KIND_CLIENT_POSTURE.equals(alert.kind())) {
            return Decisions.send(alert, List.of(ticket));
        }
        if (alert.status() == AlertStatus.RESOLVED) {
            return resolved(ticket, alert, now);
        }
        String memberOf = members.get(alert.dedupKey());
        if (memberOf != null) {
            return again(ticket, alert, cohorts.get(memberOf), now);
        }
        String cause = alert.evidence().cause();
        if (cause == null || (alert.posture() != Posture.STUCK && alert.posture() != Posture.AT_RISK)) {
            return Decisions.send(alert, List.of(ticket));
        }
        Cohort open = cohorts.get(cause);
        if (open != null) {
            meters.suppressedFiring(1);
            boolean escalated = open.join(alert, remember(alert, cause));
            return escalated ? Decisions.send(alert(open, now), List.of(ticket)) : Decisions.finish(List.of(ticket));
        }
        return hold(ticket, alert, cause, now);
    }

    /** Pages, as they are, the held alerts whose window has ended without a cohort. */
    public Decisions<T> due(Instant now) {
        List<Send<T>> send = new ArrayList<>();
        Instant heldBefore = now.minus(settings.window());
        for (Iterator<LinkedHashMap<String, Held<T>>> causes = held.values().iterator(); causes.hasNext(); ) {
            LinkedHashMap<String, Held<T>> ofCause = causes.next();
            for (Iterator<Held<T>> it = ofCause.values().iterator(); it.hasNext(); ) {
                Held<T> h = it.next();
                if (h.heldAt().isAfter(heldBefore)) {
                    break;
                }
                it.remove();
                heldCause.remove(h.alert().dedupKey());
                send.add(new Send<>(h.alert(), List.of(h.ticket())));
            }
            if (ofCause.isEmpty()) {
                causes.remove();
            }
        }
        return new Decisions<>(send, List.of());
    }

    /**
     * Drops the held alerts whose tickets match, without a decision: their records were handed to another
     * consumer (a rebalance), which reads and decides about them again.
     */
    public void forget(Predicate<T> tickets) {
        for (Iterator<LinkedHashMap<String, Held<T>>> causes = held.values().iterator(); causes.hasNext(); ) {
            LinkedHashMap<String, Held<T>> ofCause = causes.next();
            ofCause.values().removeIf(h -> {
                boolean drop = tickets.test(h.ticket());
                if (drop) {
                    heldCause.remove(h.alert().dedupKey());
                }
                return drop;
            });
            if (ofCause.isEmpty()) {
                causes.remove();
            }
        }
    }

    /** Alerts held now, waiting for their window to end or for a cohort. */
    public int held() {
        return heldCause.size();
    }

    /** Cohorts open now. */
    public int open() {
        return cohorts.size();
    }

    private Decisions<T> hold(T ticket, AlertEvent alert, String cause, Instant now) {
        LinkedHashMap<String, Held<T>> ofCause = held.computeIfAbsent(cause, k -> new LinkedHashMap<>());
        List<T> superseded = new ArrayList<>();
        String before = heldCause.put(alert.dedupKey(), cause);
        if (before != null) {
            // The client's page changed (stuck to at risk, or a new cause) while held: the newer one replaces it.
            Held<T> old = held.get(before).remove(alert.dedupKey());
            superseded.add(old.ticket());
            if (held.get(before).isEmpty()) {
                held.remove(before);
            }
            ofCause = held.computeIfAbsent(cause, k -> new LinkedHashMap<>());
        }
        ofCause.put(alert.dedupKey(), new Held<>(ticket, alert, now));
        if (ofCause.size() <= settings.threshold()) {
            return Decisions.finish(superseded);
        }
        held.remove(cause);
        Cohort cohort = new Cohort(cause, LISTED);
        List<T> tickets = new ArrayList<>(superseded);
        for (Held<T> h : ofCause.values()) {
            heldCause.remove(h.alert().dedupKey());
            cohort.join(h.alert(), remember(h.alert(), cause));
            tickets.add(h.ticket());
        }
        cohorts.put(cause, cohort);
        meters.opened();
        meters.suppressedFiring(ofCause.size());
        return Decisions.send(alerts.firing(cohort, now), tickets);
    }

    /** Whether the client is remembered as a member, so that its resolve counts towards the cohort's. */
    private boolean remember(AlertEvent alert, String cause) {
        if (members.size() >= MAX_MEMBERS) {
            return false;
        }
        members.put(alert.dedupKey(), cause);
        return true;
    }

    /** A member fires again (e.g. stuck to at risk): not paged, unless the cohort grows more urgent by it. */
    private Decisions<T> again(T ticket, AlertEvent alert, Cohort cohort, Instant now) {
        meters.suppressedFiring(1);
        return cohort.escalate(alert.severity()) ? Decisions.send(alert(cohort, now), List.of(ticket))
                : Decisions.finish(List.of(ticket));
    }

    private AlertEvent alert(Cohort cohort, Instant now) {
        return alerts.firing(cohort, now);
    }

    private Decisions<T> resolved(T ticket, AlertEvent alert, Instant now) {
        String cause = members.remove(alert.dedupKey());
        if (cause != null) {
            meters.suppressedResolved();
            Cohort cohort = cohorts.get(cause);
            if (!cohort.recovered()) {
                return Decisions.finish(List.of(ticket));
            }
            cohorts.remove(cause);
            meters.resolved();
            return Decisions.send(alerts.resolved(cohort, now), List.of(ticket));
        }
        String heldFor = heldCause.remove(alert.dedupKey());
        if (heldFor != null) {
            // Recovered while held (it was stuck for at least the posture's hold): paged as before, firing then
            // resolve, so that the pager's history shows it; waiting longer would not make it part of a cohort.
            Held<T> h = held.get(heldFor).remove(alert.dedupKey());
            if (held.get(heldFor).isEmpty()) {
                held.remove(heldFor);
            }
            return new Decisions<>(List.of(new Send<>(h.alert(), List.of(h.ticket())),
                    new Send<>(alert, List.of(ticket))), List.of());
        }
        return Decisions.send(alert, List.of(ticket));
    }
}
