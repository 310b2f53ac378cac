package io.tlswatch.launcher.fleet;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FleetOptionsTest {

    @Test
    void aMixNamesStacksByLabelOrName() {
        assertThat(FleetOptions.parseMix("modern=3, TLS12_CBC=1,clock-off=0"))
                .containsEntry(Stack.MODERN, 3).containsEntry(Stack.TLS12_CBC, 1).containsEntry(Stack.CLOCK_OFF, 0)
                .hasSize(3);
    }

    @Test
    void anUnknownStackIsRefusedByName() {
        assertThatThrownBy(() -> FleetOptions.parseMix("modern=3,java6=1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java6").hasMessageContaining("modern");
    }

    @Test
    void aWeightThatIsNoNumberIsRefused() {
        assertThatThrownBy(() -> FleetOptions.parseMix("modern=lots"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("modern").hasMessageContaining("lots");
    }

    @Test
    void aMixOfOnlyZerosIsRefused() {
        assertThatThrownBy(() -> FleetOptions.defaults().withMix(FleetOptions.parseMix("modern=0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mix");
    }

    @Test
    void sharesOutsideZeroToOneAreRefusedByName() {
        assertThatThrownBy(() -> FleetOptions.defaults().withNatShare(1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("natShare");
        assertThatThrownBy(() -> FleetOptions.defaults().withChurn(-0.1, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("churnShare");
    }

    @Test
    void aFleetHasAtLeastOneClient() {
        assertThatThrownBy(() -> FleetOptions.defaults().withClients(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clients");
    }
}
