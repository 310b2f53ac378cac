package io.tlswatch.streams.topology;

import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AddressPartitionsTest {

    private final AddressPartitions partitions = AddressPartitions.of("acme-streams", "acme.tlswatch.handshakes.v1");

    @Test
    void theByAddressTopicIsNamedAfterTheApplicationId() {
        assertThat(partitions.byAddressTopic()).isEqualTo("acme-streams-by-address-repartition");
    }

    @Test
    void aJobWithoutAByAddressTopicYetGivesItTheHandshakesTopicsCount() {
        int count = partitions.decide(12, OptionalInt.empty());

        assertThat(count).isEqualTo(12);
    }

    @Test
    void aByAddressTopicWithTheHandshakesTopicsCountIsKept() {
        int count = partitions.decide(6, OptionalInt.of(6));

        assertThat(count).isEqualTo(6);
    }

    @Test
    void aByAddressTopicWithAnotherCountStopsTheStartNamingBothTopicsTheirCountsAndTheKey() {
        assertThatThrownBy(() -> partitions.decide(6, OptionalInt.of(12)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("acme-streams-by-address-repartition has 12 partitions")
                .hasMessageContaining("acme.tlswatch.handshakes.v1 has 6")
                .hasMessageContaining("streams.applicationId")
                .hasMessageNotContaining("\n");
    }
}
