package io.tlswatch.contract.lifecycle;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OpenedTest {

    @Test
    void closesInReverseOrderAndGoesOnPastOneThatFails() {
        // given three resources, the middle one failing to close
        List<String> closed = new ArrayList<>();
        Opened opened = new Opened();
        opened.add(() -> closed.add("broker"));
        opened.add(() -> {
            closed.add("validator");
            throw new IllegalStateException("port already closed");
        });
        AutoCloseable fleet = opened.add(() -> closed.add("fleet"));

        // when
        opened.close();

        // then the last opened is closed first, and the broker is still closed after the failure
        assertThat(fleet).isNotNull();
        assertThat(closed).containsExactly("fleet", "validator", "broker");
    }

    @Test
    void closingTwiceClosesNothingAgain() {
        List<String> closed = new ArrayList<>();
        Opened opened = new Opened();
        opened.add(() -> closed.add("broker"));

        opened.close();
        opened.close();

        assertThat(closed).containsExactly("broker");
    }
}
