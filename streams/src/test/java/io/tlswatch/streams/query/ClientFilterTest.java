package io.tlswatch.streams.query;

import io.tlswatch.contract.event.ClientPosture;
import io.tlswatch.contract.event.Posture;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClientFilterTest {

    private static final Instant T = Instant.parse("2026-03-02T09:00:00Z");

    private static ClientPosture row(String id, Posture committed, Posture pending) {
        return ClientPosture.builder().time(T).source("streams@test").clientId(id).posture(committed).since(T)
                .lastSeen(T).pending(pending, pending == null ? null : T,
                        pending == null ? null : List.of("old_trust_store:3")).build();
    }

    private final ClientPosture committedStuck = row("a", Posture.STUCK, null);
    private final ClientPosture pendingStuck = row("b", Posture.HEALTHY, Posture.STUCK);
    private final ClientPosture healthy = row("c", Posture.HEALTHY, null);
    private final ClientPosture stuckRecovering = row("d", Posture.STUCK, Posture.HEALTHY);

    @Test
    void withoutIncludePendingOnlyTheCommittedPostureCounts() {
        ClientFilter filter = new ClientFilter(Posture.STUCK, false);

        assertThat(List.of(committedStuck, pendingStuck, healthy, stuckRecovering)).filteredOn(filter::matches)
                .extracting(ClientPosture::clientId).containsExactly("a", "d");
    }

    @Test
    void withIncludePendingTheCommittedOrThePendingPostureCounts() {
        ClientFilter filter = new ClientFilter(Posture.STUCK, true);

        assertThat(List.of(committedStuck, pendingStuck, healthy, stuckRecovering)).filteredOn(filter::matches)
                .extracting(ClientPosture::clientId).containsExactly("a", "b", "d");
    }

    @Test
    void withoutAPostureEveryRowMatches() {
        assertThat(List.of(committedStuck, pendingStuck, healthy)).allMatch(ClientFilter.ALL::matches);
    }
}
