package io.tlswatch.streams.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RankedGaugesTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RankedGauges gauges = new RankedGauges("tlswatch.test.top", "a top-N", null, registry);

    @Test
    void aRowThatStaysKeepsItsGaugeAndOnlyItsValueChanges() {
        // given a row
        Tags first = Tags.of("rank", "1", "ja4", "t10d");
        gauges.set(Map.of(first, 3.0));
        Gauge before = registry.get("tlswatch.test.top").tags(first).gauge();

        // when it is counted again with another value
        gauges.set(Map.of(first, 5.0));

        // then it is the same meter (never removed and added back, which a racing scrape would see twice)
        Gauge after = registry.get("tlswatch.test.top").tags(first).gauge();
        assertThat(after).isSameAs(before);
        assertThat(after.value()).isEqualTo(5.0);
    }

    @Test
    void rowsThatLeaveAreRemovedAndNewOnesAdded() {
        // given two rows
        Tags a = Tags.of("rank", "1", "ja4", "a");
        Tags b = Tags.of("rank", "2", "ja4", "b");
        gauges.set(Map.of(a, 1.0, b, 2.0));

        // when the ranking changes
        Tags c = Tags.of("rank", "2", "ja4", "c");
        gauges.set(Map.of(a, 1.0, c, 4.0));

        // then exactly the new rows are there
        assertThat(registry.find("tlswatch.test.top").gauges())
                .extracting(g -> g.getId().getTag("ja4")).containsExactlyInAnyOrder("a", "c");
        assertThat(registry.get("tlswatch.test.top").tags(c).gauge().value()).isEqualTo(4.0);
    }
}
