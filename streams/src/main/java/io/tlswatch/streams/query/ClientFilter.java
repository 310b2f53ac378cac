package io.tlswatch.streams.query;

import io.tlswatch.contract.event.ClientPosture;
import io.tlswatch.contract.event.Posture;

/**
 * Which client rows a list query asks for.
 *
 * @param posture        the posture asked for; {@code null}: every row
 * @param includePending whether a row whose pending judgement (waiting out {@code alerts.minHold}) is
 *                       {@code posture} matches too, so that a client judged stuck a minute ago is found before it
 *                       is paged
 */
public record ClientFilter(Posture posture, boolean includePending) {

    public static final ClientFilter ALL = new ClientFilter(null, false);

    public boolean matches(ClientPosture row) {
        return posture == null || row.posture() == posture
                || includePending && row.pendingPosture() == posture;
    }
}
