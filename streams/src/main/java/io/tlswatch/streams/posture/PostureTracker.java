package io.tlswatch.streams.posture;

import java.time.Instant;
import java.util.List;

/** Applies the rules, the flap hold and the alerting to one client at one moment. */
public final class PostureTracker {

    private final PostureRules rules;
    private final FlapHold hold;
    private final ClientAlerts alerts;

    public PostureTracker(PostureRules rules, ClientAlerts alerts) {
        this.rules = rules;
        this.hold = new FlapHold(rules.config().minHold());
        this.alerts = alerts;
    }

    public ClientAlerts alerts() {
        return alerts;
    }

    public PostureRules rules() {
        return rules;
    }

    public Transition evaluate(ClientState state, Instant now) {
        Assessment a = rules.assess(state, now);
        return switch (hold.decide(state, a.posture(), now)) {
            case UNCHANGED -> new Transition(state.withReasons(a.reasons()), List.of(), false, a);
            case CANCEL -> new Transition(state.withCandidate(null, null).withReasons(a.reasons()), List.of(), false, a);
            case HOLD -> new Transition(state.withCandidate(a.posture(), now), List.of(), false, a);
            case WAIT -> new Transition(state, List.of(), false, a);
            case COMMIT -> {
                Instant began = a.posture() == state.candidate() && state.candidateSince() != null
                        ? state.candidateSince() : now;
                ClientAlerts.Result result = alerts.onChange(state, a.posture(), a, now, began);
                yield new Transition(result.state().committed(a.posture(), began, a.reasons()), result.alerts(),
                        true, a);
            }
        };
    }

    public Assessment assess(ClientState state, Instant now) {
        return rules.assess(state, now);
    }
}
