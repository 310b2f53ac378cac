package io.tlswatch.launcher.fleet;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class FleetPlanTest {

    private static final FleetOptions OPTIONS = FleetOptions.defaults().withClients(200).withSeed(42)
            .withChurn(0.3, Duration.ofSeconds(60));

    @Test
    void theSameSeedPlansTheSameFleet() {
        assertThat(FleetPlan.plan(OPTIONS)).isEqualTo(FleetPlan.plan(OPTIONS));
    }

    @Test
    void anotherSeedPlansAnotherFleet() {
        assertThat(FleetPlan.plan(OPTIONS.withSeed(43))).isNotEqualTo(FleetPlan.plan(OPTIONS));
    }

    @Test
    void stacksFollowTheMixExactly() {
        // given the default weights 40/15/10/15/10/10 and 200 clients
        Map<Stack, Long> counts = FleetPlan.plan(OPTIONS).stream()
                .collect(Collectors.groupingBy(PlannedClient::initial, () -> new EnumMap<>(Stack.class), Collectors.counting()));

        assertThat(counts).containsEntry(Stack.MODERN, 80L).containsEntry(Stack.TLS12_ONLY, 30L)
                .containsEntry(Stack.TLS12_CBC, 20L).containsEntry(Stack.LEGACY_TLS10, 30L)
                .containsEntry(Stack.OLD_TRUST_STORE, 20L).containsEntry(Stack.CLOCK_OFF, 20L);
    }

    @Test
    void aSmallFleetStillHasEveryWeightedStack() {
        List<PlannedClient> fleet = FleetPlan.plan(FleetOptions.defaults().withClients(7));

        assertThat(fleet).hasSize(7).extracting(PlannedClient::initial).contains(Stack.values());
    }

    @Test
    void aStackWeighedZeroIsNotPlanned() {
        List<PlannedClient> fleet = FleetPlan.plan(FleetOptions.defaults().withClients(20)
                .withMix(FleetOptions.parseMix("modern=1,tls1.0/1.1=1")));

        assertThat(fleet).extracting(PlannedClient::initial).containsOnly(Stack.MODERN, Stack.LEGACY_TLS10);
    }

    @Test
    void outdatedClientsThatChangeUpgradeAndModernOnesDegradeWithAShortGrace() {
        List<PlannedClient> changing = FleetPlan.plan(OPTIONS).stream().filter(c -> c.change().isPresent()).toList();

        assertThat(changing).isNotEmpty();
        for (PlannedClient client : changing) {
            StackChange change = client.change().orElseThrow();
            if (client.initial().outdated()) {
                assertThat(change.to()).isEqualTo(Stack.MODERN);
            } else {
                assertThat(client.initial()).isEqualTo(Stack.MODERN);
                assertThat(change.to()).isEqualTo(Stack.LEGACY_TLS10);
                assertThat(client.grace()).isEqualTo(FleetPlan.SHORT_GRACE);
            }
            assertThat(change.after()).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(90));
        }
        assertThat(changing).anyMatch(c -> c.initial().outdated()).anyMatch(c -> c.initial() == Stack.MODERN);
    }

    @Test
    void aClientRunsItsInitialStackUntilItsChangeAndTheNewOneAfter() {
        PlannedClient client = new PlannedClient("sim-001", Stack.LEGACY_TLS10,
                java.util.Optional.of(new StackChange(Duration.ofSeconds(30), Stack.MODERN)), LicenseKind.GOOD,
                FleetPlan.GRACE, "127.1.0.1", false, Duration.ZERO);

        assertThat(client.stackAt(Duration.ofSeconds(29))).isEqualTo(Stack.LEGACY_TLS10);
        assertThat(client.stackAt(Duration.ofSeconds(30))).isEqualTo(Stack.MODERN);
        assertThat(client.finalStack()).isEqualTo(Stack.MODERN);
    }

    @Test
    void noChurnMeansNoChange() {
        assertThat(FleetPlan.plan(OPTIONS.withChurn(0, Duration.ofSeconds(60))))
                .allMatch(c -> c.change().isEmpty());
    }

    @Test
    void licenseProblemsGoOnlyToHealthyStacksThatDoNotChange() {
        List<PlannedClient> fleet = FleetPlan.plan(OPTIONS);

        assertThat(fleet).filteredOn(c -> c.license() != LicenseKind.GOOD).isNotEmpty()
                .allMatch(c -> c.initial().expectation() == Stack.Expectation.HEALTHY && c.change().isEmpty());
        assertThat(fleet).extracting(PlannedClient::license).contains(LicenseKind.EXPIRED, LicenseKind.SUSPENDED,
                LicenseKind.OVERUSED);
    }

    @Test
    void eachClientHasItsOwnLoopbackAddressUnlessBehindTheNat() {
        List<PlannedClient> fleet = FleetPlan.plan(OPTIONS.withNatShare(0.25));

        List<PlannedClient> natted = fleet.stream().filter(PlannedClient::behindNat).toList();
        assertThat(natted).isNotEmpty().allMatch(c -> c.address().equals(FleetPlan.NAT_ADDRESS));
        assertThat(natted.size()).isBetween(30, 70);
        List<String> own = fleet.stream().filter(c -> !c.behindNat()).map(PlannedClient::address).toList();
        assertThat(own).doesNotHaveDuplicates().allMatch(a -> a.startsWith("127.1."));
    }

    @Test
    void firstChecksAreSpreadOverOneInterval() {
        assertThat(FleetPlan.plan(OPTIONS)).extracting(PlannedClient::firstCheck)
                .allMatch(d -> !d.isNegative() && d.compareTo(OPTIONS.checkEvery()) < 0)
                .anyMatch(d -> d.compareTo(Duration.ofSeconds(1)) < 0)
                .anyMatch(d -> d.compareTo(Duration.ofSeconds(4)) > 0);
    }
}
