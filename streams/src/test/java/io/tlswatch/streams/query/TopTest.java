package io.tlswatch.streams.query;

import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TopTest {

    @Test
    void keepsTheFirstInOrderOfWhateverIsOffered() {
        Top<Integer> top = new Top<>(Comparator.<Integer>naturalOrder(), 3);

        List.of(9, 4, 7, 1, 8, 3).forEach(top::offer);

        assertThat(top.inOrder()).containsExactly(1, 3, 4);
    }

    @Test
    void aTopOfNoneKeepsNothing() {
        Top<Integer> top = new Top<>(Comparator.<Integer>naturalOrder(), 0);

        List.of(2, 1).forEach(top::offer);

        assertThat(top.inOrder()).isEmpty();
    }
}
