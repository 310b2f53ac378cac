package io.tlswatch.devkafka.testing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BrokerKindTest {

    @Test
    void choosesContainerWhenDockerRunsAndHoldsTheImage() {
        assertThat(BrokerKind.choose(null, true, true)).isEqualTo(BrokerKind.CONTAINER);
        assertThat(BrokerKind.choose("auto", true, true)).isEqualTo(BrokerKind.CONTAINER);
    }

    @Test
    void fallsBackToEmbeddedWhenTheImageCannotBeHadWithoutAPull() {
        assertThat(BrokerKind.choose(null, true, false)).isEqualTo(BrokerKind.EMBEDDED);
    }

    @Test
    void fallsBackToEmbeddedWithoutDocker() {
        assertThat(BrokerKind.choose("", false, false)).isEqualTo(BrokerKind.EMBEDDED);
    }

    @Test
    void aForcedKindWinsOverWhatTheMachineHas() {
        assertThat(BrokerKind.choose("embedded", true, true)).isEqualTo(BrokerKind.EMBEDDED);
        assertThat(BrokerKind.choose(" Container ", false, false)).isEqualTo(BrokerKind.CONTAINER);
    }

    @Test
    void rejectsAnUnknownSettingNamingTheProperty() {
        assertThatThrownBy(() -> BrokerKind.choose("docker", true, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tlswatch.test.broker")
                .hasMessageContaining("docker");
    }
}
