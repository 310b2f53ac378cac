package io.tlswatch.streams.metrics;

import java.util.List;

/**
 * The tag values the topology records under, known before the first event: their counters are registered at
 * start and read 0 until something happens. Plain strings, so that the meters know nothing of the topology.
 *
 * @param inputs              the {@code input} tag of {@code tlswatch.streams.dead.letters}
 * @param attributionOutcomes the {@code outcome} tag of {@code tlswatch.streams.attributions}
 * @param unboundReasons      the {@code reason} tag of {@code tlswatch.streams.reports.unbound}
 * @param alertKinds          the {@code kind} tag of {@code tlswatch.streams.alerts}, each registered with every
 *                            status and severity
 */
public record MeterTags(List<String> inputs, List<String> attributionOutcomes, List<String> unboundReasons,
                        List<String> alertKinds) {

    public MeterTags {
        inputs = List.copyOf(inputs);
        attributionOutcomes = List.copyOf(attributionOutcomes);
        unboundReasons = List.copyOf(unboundReasons);
        alertKinds = List.copyOf(alertKinds);
    }
}
