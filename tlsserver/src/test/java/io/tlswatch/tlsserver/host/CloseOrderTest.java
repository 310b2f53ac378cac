package io.tlswatch.tlsserver.host;

import io.tlswatch.tlsserver.host.CloseOrder.Stage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CloseOrderTest {

    private final List<String> closed = new ArrayList<>();

    @Test
    void stagesCloseInOrderWhateverTheOrderTheyOpenedIn() {
        // given: opened as a service starts (publisher, certificates, loops, its own parts, admin, listener)
        CloseOrder order = new CloseOrder();
        order.add(Stage.EVENTS, "publisher", limit -> closed.add("publisher"));
        order.add(Stage.CERTIFICATES, "certificates", limit -> closed.add("certificates"));
        order.add(Stage.EXECUTORS, "loops", limit -> closed.add("loops"));
        order.add(Stage.SERVICE, "registry", limit -> closed.add("registry"));
        order.add(Stage.ADMIN, "admin", limit -> closed.add("admin"));
        order.add(Stage.LISTENERS, "listener", limit -> closed.add("listener"));

        // when
        order.close(Duration.ofSeconds(1));

        // then: traffic stops first, the admin port last
        assertThat(closed).containsExactly("listener", "loops", "registry", "certificates", "publisher", "admin");
    }

    @Test
    void withinAStageTheNewestClosesFirst() {
        CloseOrder order = new CloseOrder();
        order.add(Stage.SERVICE, "producer", limit -> closed.add("producer"));
        order.add(Stage.SERVICE, "sender", limit -> closed.add("sender"));

        order.close(Duration.ofSeconds(1));

        assertThat(closed).containsExactly("sender", "producer");
    }

    @Test
    void everyStepGetsTheLimit() {
        CloseOrder order = new CloseOrder();
        List<Duration> limits = new ArrayList<>();
        order.add(Stage.LISTENERS, "listener", limits::add);
        order.add(Stage.EVENTS, "publisher", limits::add);

        order.close(Duration.ofSeconds(7));

        assertThat(limits).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(7));
    }

    @Test
    void aStepThatFailsDoesNotKeepTheOthersOpenAndIsAddedToTheStartFailure() {
        // given
        CloseOrder order = new CloseOrder();
        order.add(Stage.EVENTS, "publisher", limit -> closed.add("publisher"));
        order.add(Stage.CERTIFICATES, "certificates", limit -> {
            throw new IllegalStateException("cannot stop");
        });
        IllegalStateException startFailure = new IllegalStateException("port taken");

        // when
        order.closeAfter(startFailure, Duration.ofSeconds(1));

        // then
        assertThat(closed).containsExactly("publisher");
        assertThat(startFailure.getSuppressed()).extracting(Throwable::getMessage).containsExactly("cannot stop");
    }

    @Test
    void closingTwiceClosesNothingTwice() {
        CloseOrder order = new CloseOrder();
        order.add(Stage.ADMIN, "admin", limit -> closed.add("admin"));

        order.close(Duration.ofSeconds(1));
        order.close(Duration.ofSeconds(1));

        assertThat(closed).containsExactly("admin");
    }
}
