package io.tlswatch.streams.posture;

import io.tlswatch.contract.event.Posture;
import io.tlswatch.streams.config.PostureRulesConfig;

import java.time.Duration;
import java.time.Instant;

/**
 * When time alone could next change what the rules say about a client: its oldest evidence leaving the
 * window, a held change coming due, its entitlement entering the at-risk horizon or running out, its
 * retention ending. The posture step re-judges a client only then, instead of every client every round.
 */
public final class DueTime {

    private DueTime() {
    }

    public static Instant next(ClientState s, Assessment a, PostureRulesConfig rules, Duration retention,
                               Instant now) {
        Instant due = s.lastSeen().plus(retention);
        if (!s.observations().isEmpty()) {
            // Evidence at exactly the window's start still counts: it is gone a millisecond later.
            due = min(due, s.observations().get(0).time().plus(rules.window()).plusMillis(1));
        }
        if (s.candidate() != null && s.candidateSince() != null) {
            due = min(due, s.candidateSince().plus(rules.minHold()));
        }
        if (a.runsOutAt() != null && a.posture() == Posture.STUCK) {
            due = min(due, a.runsOutAt().minus(rules.atRiskHorizon()));
        }
        if (a.runsOutAt() != null && a.posture() == Posture.AT_RISK && a.runsOutAt().isAfter(now)) {
            due = min(due, a.runsOutAt());
        }
        return due.isAfter(now) ? due : now.plusMillis(1);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
