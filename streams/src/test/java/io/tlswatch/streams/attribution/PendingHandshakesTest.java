package io.tlswatch.streams.attribution;

import io.tlswatch.contract.event.HandshakeEvent;
import org.junit.jupiter.api.Test;

import static io.tlswatch.streams.TestEvents.minutes;
import static io.tlswatch.streams.TestEvents.outdatedFailure;
import static org.assertj.core.api.Assertions.assertThat;

class PendingHandshakesTest {

    private static final String ADDRESS = "198.51.100.7";

    @Test
    void handshakesAreHeldOldestFirstWhateverOrderTheyCameIn() {
        HandshakeEvent second = outdatedFailure(ADDRESS, minutes(2));
        HandshakeEvent first = outdatedFailure(ADDRESS, minutes(1));

        PendingHandshakes.Added added = PendingHandshakes.empty().add(second, 16).pending().add(first, 16);

        assertThat(added.pending().handshakes()).containsExactly(first, second);
        assertThat(added.evicted()).isZero();
    }

    @Test
    void beyondItsBoundAnAddressKeepsTheNewestAndSaysHowManyWentOut() {
        PendingHandshakes pending = PendingHandshakes.empty();
        for (int m = 1; m <= 3; m++) {
            pending = pending.add(outdatedFailure(ADDRESS, minutes(m)), 3).pending();
        }

        PendingHandshakes.Added added = pending.add(outdatedFailure(ADDRESS, minutes(4)), 3);

        assertThat(added.evicted()).isEqualTo(1);
        assertThat(added.pending().handshakes()).extracting(HandshakeEvent::time)
                .containsExactly(minutes(2), minutes(3), minutes(4));
    }

    @Test
    void aHandshakeOlderThanAllHeldAtAFullAddressIsTheOneLeftOut() {
        PendingHandshakes full = PendingHandshakes.empty().add(outdatedFailure(ADDRESS, minutes(5)), 1).pending();

        PendingHandshakes.Added added = full.add(outdatedFailure(ADDRESS, minutes(1)), 1);

        assertThat(added.evicted()).isEqualTo(1);
        assertThat(added.pending().handshakes()).extracting(HandshakeEvent::time).containsExactly(minutes(5));
    }

    @Test
    void handshakesOlderThanTheCutoffAreLetGo() {
        PendingHandshakes pending = PendingHandshakes.empty().add(outdatedFailure(ADDRESS, minutes(1)), 16).pending()
                .add(outdatedFailure(ADDRESS, minutes(30)), 16).pending();

        PendingHandshakes kept = pending.since(minutes(10));

        assertThat(kept.handshakes()).extracting(HandshakeEvent::time).containsExactly(minutes(30));
        assertThat(pending.since(minutes(31)).isEmpty()).isTrue();
    }
}
