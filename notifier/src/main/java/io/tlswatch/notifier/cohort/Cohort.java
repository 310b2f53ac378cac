package io.tlswatch.notifier.cohort;

import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.AlertEvidence;
import io.tlswatch.contract.event.Severity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One open cohort: its cause, how urgent it is, and how many of its clients have not recovered. */
final class Cohort {

    private final String cause;
    private final int maxListed;
    private final List<String> listed = new ArrayList<>();
    private final Map<String, Long> failuresByReason = new TreeMap<>();
    private final Map<String, Long> reportsByErrorClass = new TreeMap<>();
    private AlertEvidence sample;
    private Severity severity;
    private Instant startsAt;
    private int size;
    private int remaining;

    Cohort(String cause, int maxListed) {
        this.cause = cause;
        this.maxListed = maxListed;
    }

    /**
     * A client joins; returns whether the cohort became more urgent by it.
     *
     * @param awaited whether its resolve will be seen (it is remembered as a member) and so is waited for
     */
    boolean join(AlertEvent alert, boolean awaited) {
        size++;
        if (awaited) {
            remaining++;
        }
        if (listed.size() < maxListed) {
            listed.add(alert.clientId() != null ? alert.clientId() : alert.dedupKey());
        }
        if (sample == null) {
            sample = alert.evidence();
        }
        alert.evidence().failuresByReason().forEach((k, v) -> failuresByReason.merge(k, v, Long::sum));
        alert.evidence().reportsByErrorClass().forEach((k, v) -> reportsByErrorClass.merge(k, v, Long::sum));
        if (startsAt == null || alert.startsAt().isBefore(startsAt)) {
            startsAt = alert.startsAt();
        }
        return escalate(alert.severity());
    }

    /** Whether {@code next} is more urgent than the cohort so far (ordinal order: critical first). */
    boolean escalate(Severity next) {
        if (severity == null || next.ordinal() < severity.ordinal()) {
            boolean wasSet = severity != null;
            severity = next;
            return wasSet;
        }
        return false;
    }

    /** A client recovered; returns whether it was the last one. */
    boolean recovered() {
        remaining--;
        return remaining == 0;
    }

    String cause() {
        return cause;
    }

    Severity severity() {
        return severity;
    }

    Instant startsAt() {
        return startsAt;
    }

    int size() {
        return size;
    }

    List<String> listed() {
        return List.copyOf(listed);
    }

    AlertEvidence sample() {
        return sample;
    }

    Map<String, Long> failuresByReason() {
        return failuresByReason;
    }

    Map<String, Long> reportsByErrorClass() {
        return reportsByErrorClass;
    }
}
