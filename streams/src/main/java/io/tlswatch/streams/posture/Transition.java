package io.tlswatch.streams.posture;

import io.tlswatch.contract.event.AlertEvent;

import java.util.List;

/**
 * The outcome of one evaluation: the client's next state and the alerts its committed change causes.
 *
 * @param state   the next state
 * @param alerts  alerts to emit, in order (a resolution before the firing that replaces it)
 * @param changed whether the committed posture changed
 * @param evidence the assessment it was decided on (the row's counts come from it)
 */
public record Transition(ClientState state, List<AlertEvent> alerts, boolean changed, Assessment evidence) {

    public Transition {
        alerts = List.copyOf(alerts);
    }
}
