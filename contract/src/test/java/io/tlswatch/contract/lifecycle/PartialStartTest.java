package io.tlswatch.contract.lifecycle;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartialStartTest {

    @Test
    void aStartThatSucceedsKeepsWhatItOpened() {
        List<String> closed = new ArrayList<>();

        String started = PartialStart.closingOnFailure(opened -> {
            opened.add(() -> closed.add("producer"));
            return "service";
        });

        assertThat(started).isEqualTo("service");
        assertThat(closed).isEmpty();
    }

    @Test
    void aStartThatFailsClosesWhatItOpenedNewestFirstAndRethrows() {
        List<String> closed = new ArrayList<>();

        assertThatThrownBy(() -> PartialStart.closingOnFailure(opened -> {
            opened.add(() -> closed.add("producer"));
            opened.add(() -> closed.add("event loops"));
            throw new IllegalStateException("port 8443 in use");
        })).isInstanceOf(IllegalStateException.class).hasMessage("port 8443 in use");

        assertThat(closed).containsExactly("event loops", "producer");
    }

    @Test
    void aResourceThatFailsToCloseDoesNotKeepTheOthersOpenAndIsAddedToTheFailure() {
        List<String> closed = new ArrayList<>();

        assertThatThrownBy(() -> PartialStart.closingOnFailure(opened -> {
            opened.add(() -> closed.add("producer"));
            opened.add(() -> {
                throw new IllegalStateException("stuck");
            });
            throw new IllegalStateException("refused");
        })).hasMessage("refused").satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                .containsExactly("stuck"));

        assertThat(closed).containsExactly("producer");
    }
}
