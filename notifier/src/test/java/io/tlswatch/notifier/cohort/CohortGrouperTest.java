package io.tlswatch.notifier.cohort;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.AlertEvidence;
import io.tlswatch.contract.event.AlertStatus;
import io.tlswatch.contract.event.Posture;
import io.tlswatch.contract.event.Severity;
import io.tlswatch.notifier.config.CohortSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CohortGrouperTest {

    private static final int THRESHOLD = 3;
    private static final Duration WINDOW = Duration.ofMinutes(5);
    private static final String JA4 = "t10d170300_d4b1867c498c_33a13ba74d1c";
    private static final String CAUSE = "ja4:" + JA4;
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private CohortGrouper<String> grouper;
    /** Every ticket finished (sent and accepted, or needing nothing more), in order. */
    private final List<String> finished = new ArrayList<>();
    private final List<AlertEvent> sent = new ArrayList<>();

    @BeforeEach
    void setUp() {
        grouper = grouper(THRESHOLD);
    }

    private CohortGrouper<String> grouper(int threshold) {
        return new CohortGrouper<>(new CohortSettings(threshold, WINDOW, URI.create("http://streams.internal:9403/")),
                "notifier@test", new CohortMeters(registry));
    }

    private static AlertEvent firing(String client, Severity severity, String cause) {
        return AlertEvent.builder().time(T0).source("streams@test").dedupKey("tls-outdated:" + client)
                .severity(severity).kind(AlertEvent.KIND_CLIENT_POSTURE).summary("Client " + client + " is stuck")
                .clientId(client).posture(severity == Severity.CRITICAL ? Posture.AT_RISK : Posture.STUCK)
                .previousPosture(Posture.HEALTHY)
                .evidence(new AlertEvidence(Map.of("protocol_version", 9L), Map.of(), List.of(), Set.of(JA4),
                        "TLSv1", null, null, null, null, null, null, null).withCause(cause))
                .startsAt(T0.minusSeconds(600)).build();
    }

    private static AlertEvent firing(String client) {
        return firing(client, Severity.WARNING, CAUSE);
    }

    private static AlertEvent resolved(AlertEvent firing, Instant at) {
        return firing.toBuilder().time(at).resolved(at).posture(Posture.HEALTHY).previousPosture(firing.posture())
                .evidence(AlertEvidence.none()).build();
    }

    private void run(CohortGrouper.Decisions<String> decisions) {
        finished.addAll(decisions.finish());
        for (CohortGrouper.Send<String> send : decisions.send()) {
            sent.add(send.alert());
            finished.addAll(send.tickets());
        }
    }

    private void offer(String ticket, AlertEvent alert, Instant now) {
        run(grouper.offer(ticket, alert, now));
    }

    private double counter(String name, String tag, String value) {
        return registry.get(name).tag(tag, value).counter().count();
    }

    @Test
    void aClientWithACauseIsHeldForTheWindowThenPagedAsItIs() {
        // given one stuck client with a cause
        AlertEvent alert = firing("c1");

        // when it is offered, and the window has not ended yet
        offer("t1", alert, T0);
        run(grouper.due(T0.plus(WINDOW).minusMillis(1)));

        // then nothing is sent or finished yet
        assertThat(sent).isEmpty();
        assertThat(finished).isEmpty();
        assertThat(grouper.held()).isEqualTo(1);

        // when the window ends
        run(grouper.due(T0.plus(WINDOW)));

        // then it is paged as it is, and its ticket is finished with it
        assertThat(sent).containsExactly(alert);
        assertThat(finished).containsExactly("t1");
        assertThat(grouper.held()).isZero();
    }

    @Test
    void moreThanTheThresholdWithinTheWindowPageOnceForTheCohort() {
        // given as many clients of one cause as the threshold, held
        for (int i = 1; i <= THRESHOLD; i++) {
            offer("t" + i, firing("c" + i), T0.plusSeconds(i));
        }
        assertThat(sent).isEmpty();

        // when one more arrives within the window
        offer("t4", firing("c4"), T0.plusSeconds(60));

        // then one cohort alert is sent in their place, finishing all four tickets with it
        assertThat(sent).hasSize(1);
        AlertEvent cohort = sent.get(0);
        assertThat(cohort.dedupKey()).isEqualTo("tls-cohort:" + CAUSE);
        assertThat(cohort.kind()).isEqualTo(AlertEvent.KIND_CLIENT_COHORT);
        assertThat(cohort.status()).isEqualTo(AlertStatus.FIRING);
        assertThat(cohort.severity()).isEqualTo(Severity.WARNING);
        assertThat(cohort.ja4()).isEqualTo(JA4);
        assertThat(cohort.evidence().distinctClients()).isEqualTo(4L);
        assertThat(cohort.evidence().clients()).containsExactly("c1", "c2", "c3", "c4");
        assertThat(cohort.evidence().cause()).isEqualTo(CAUSE);
        assertThat(cohort.evidence().failuresByReason()).containsEntry("protocol_version", 36L);
        assertThat(cohort.evidence().queryUrl())
                .isEqualTo("http://streams.internal:9403/v1/clients?posture=stuck&ja4=" + JA4);
        assertThat(cohort.summary()).startsWith("4 clients cannot complete a TLS handshake").contains(CAUSE)
                .contains("c1, c2, c3, c4").contains(cohort.evidence().queryUrl());
        assertThat(cohort.startsAt()).isEqualTo(T0.minusSeconds(600));
        assertThat(finished).containsExactlyInAnyOrder("t1", "t2", "t3", "t4");
        assertThat(counter("tlswatch.notifier.cohorts", "event", "opened")).isEqualTo(1);
        assertThat(counter("tlswatch.notifier.cohort.suppressed", "status", "firing")).isEqualTo(4);

        // and nothing is left to page when the window ends
        run(grouper.due(T0.plus(WINDOW).plusSeconds(61)));
        assertThat(sent).hasSize(1);
    }

    @Test
    void laterClientsOfAnOpenCohortJoinItWithoutAPage() {
        // given an open cohort
        for (int i = 1; i <= THRESHOLD + 1; i++) {
            offer("t" + i, firing("c" + i), T0);
        }

        // when another client of the cause turns stuck, an hour later
        offer("t9", firing("c9"), T0.plus(Duration.ofHours(1)));

        // then it is not paged, and its ticket needs nothing more
        assertThat(sent).hasSize(1);
        assertThat(finished).contains("t9");
        assertThat(counter("tlswatch.notifier.cohort.suppressed", "status", "firing")).isEqualTo(THRESHOLD + 2);
    }

    @Test
    void aMemberTurningAtRiskPagesTheCohortAgainAsCritical() {
        // given an open cohort of stuck clients
        for (int i = 1; i <= THRESHOLD + 1; i++) {
            offer("t" + i, firing("c" + i), T0);
        }

        // when one of them turns at risk, and then another
        offer("t10", firing("c1", Severity.CRITICAL, CAUSE), T0.plusSeconds(30));
        offer("t11", firing("c2", Severity.CRITICAL, CAUSE), T0.plusSeconds(31));

        // then the cohort is paged once more, as critical, linking to the at-risk clients
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).dedupKey()).isEqualTo("tls-cohort:" + CAUSE);
        assertThat(sent.get(1).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(sent.get(1).evidence().queryUrl()).contains("posture=at_risk");
        assertThat(finished).contains("t10", "t11");
    }

    @Test
    void theCohortResolvesOnceWhenItsLastClientHasRecovered() {
        // given an open cohort of four
        List<AlertEvent> firings = new ArrayList<>();
        for (int i = 1; i <= THRESHOLD + 1; i++) {
            firings.add(firing("c" + i));
            offer("t" + i, firings.get(i - 1), T0);
        }

        // when three recover
        for (int i = 0; i < THRESHOLD; i++) {
            offer("r" + i, resolved(firings.get(i), T0.plusSeconds(100)), T0.plusSeconds(100 + i));
        }

        // then nothing more is paged
        assertThat(sent).hasSize(1);
        assertThat(finished).contains("r0", "r1", "r2");

        // when the last one recovers
        offer("r3", resolved(firings.get(THRESHOLD), T0.plusSeconds(200)), T0.plusSeconds(200));

        // then the cohort resolves, once
        assertThat(sent).hasSize(2);
        AlertEvent resolve = sent.get(1);
        assertThat(resolve.dedupKey()).isEqualTo("tls-cohort:" + CAUSE);
        assertThat(resolve.status()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(resolve.endsAt()).isEqualTo(T0.plusSeconds(200));
        assertThat(resolve.startsAt()).isEqualTo(sent.get(0).startsAt());
        assertThat(resolve.evidence().distinctClients()).isEqualTo(4L);
        assertThat(grouper.open()).isZero();
        assertThat(counter("tlswatch.notifier.cohorts", "event", "resolved")).isEqualTo(1);
        assertThat(counter("tlswatch.notifier.cohort.suppressed", "status", "resolved")).isEqualTo(4);

        // and a client of the cause turning stuck afterwards is held again, as the first of a new count
        offer("t20", firing("c20"), T0.plusSeconds(300));
        assertThat(grouper.held()).isEqualTo(1);
    }

    @Test
    void clientsOfDifferentCausesAreCountedApart() {
        // given clients split over two causes, neither above the threshold
        for (int i = 1; i <= THRESHOLD; i++) {
            offer("a" + i, firing("a" + i, Severity.WARNING, CAUSE), T0);
            offer("b" + i, firing("b" + i, Severity.WARNING, "error:unknown_ca"), T0);
        }

        // when the window ends
        run(grouper.due(T0.plus(WINDOW)));

        // then each is paged as it is
        assertThat(sent).hasSize(2 * THRESHOLD).allMatch(a -> a.dedupKey().startsWith("tls-outdated:"));
    }

    @Test
    void aClientThatRecoversWhileHeldIsPagedAtOnceFiringThenResolved() {
        // given a held client
        AlertEvent alert = firing("c1");
        offer("t1", alert, T0);

        // when it recovers before the window ends
        AlertEvent resolve = resolved(alert, T0.plusSeconds(10));
        offer("r1", resolve, T0.plusSeconds(10));

        // then its firing and its resolve are paged at once, in that order, and nothing is left held
        assertThat(sent).containsExactly(alert, resolve);
        assertThat(finished).containsExactly("t1", "r1");
        assertThat(grouper.held()).isZero();
        run(grouper.due(T0.plus(WINDOW)));
        assertThat(sent).hasSize(2);
    }

    @Test
    void aHeldClientFiringAgainIsHeldOnceWithItsNewerAlert() {
        // given a held stuck client
        offer("t1", firing("c1"), T0);

        // when it turns at risk while held
        AlertEvent atRisk = firing("c1", Severity.CRITICAL, CAUSE);
        offer("t2", atRisk, T0.plusSeconds(5));

        // then the older alert needs nothing more, and only the newer one is paged when the window ends
        assertThat(finished).containsExactly("t1");
        assertThat(grouper.held()).isEqualTo(1);
        run(grouper.due(T0.plusSeconds(5).plus(WINDOW)));
        assertThat(sent).containsExactly(atRisk);
    }

    @Test
    void alertsWithoutACauseOrOfOtherKindsPassStraightThrough() {
        // given a client alert without a cause, a degraded one, a fingerprint alert and a resolve of an unknown client
        AlertEvent noCause = firing("c1", Severity.WARNING, null);
        AlertEvent degraded = firing("c2").toBuilder().posture(Posture.DEGRADED).severity(Severity.INFO).build();
        AlertEvent fingerprint = AlertEvent.builder().time(T0).source("streams@test").dedupKey("tls-ja4:" + JA4)
                .severity(Severity.WARNING).kind(AlertEvent.KIND_FINGERPRINT_OUTDATED).summary("old").ja4(JA4)
                .startsAt(T0).build();
        AlertEvent unknownResolve = resolved(firing("c3"), T0);

        // when offered
        offer("t1", noCause, T0);
        offer("t2", degraded, T0);
        offer("t3", fingerprint, T0);
        offer("t4", unknownResolve, T0);

        // then each is sent at once
        assertThat(sent).containsExactly(noCause, degraded, fingerprint, unknownResolve);
        assertThat(finished).containsExactly("t1", "t2", "t3", "t4");
    }

    @Test
    void aThresholdOfZeroTurnsGroupingOff() {
        grouper = grouper(0);
        AlertEvent alert = firing("c1");

        offer("t1", alert, T0);

        assertThat(sent).containsExactly(alert);
    }

    @Test
    void forgottenTicketsAreDroppedWithoutADecision() {
        // given two held clients, one of whose records moved to another consumer
        offer("p0-1", firing("c1"), T0);
        offer("p1-1", firing("c2"), T0);

        // when the moved ones are forgotten and the window ends
        grouper.forget(ticket -> ticket.startsWith("p1-"));
        run(grouper.due(T0.plus(WINDOW)));

        // then only the one still owned is paged
        assertThat(finished).containsExactly("p0-1");
        assertThat(sent).extracting(AlertEvent::clientId).containsExactly("c1");
    }

    @Test
    void metersAreRegisteredAtZeroBeforeAnyCohort() {
        assertThat(counter("tlswatch.notifier.cohorts", "event", "opened")).isZero();
        assertThat(counter("tlswatch.notifier.cohorts", "event", "resolved")).isZero();
        assertThat(counter("tlswatch.notifier.cohort.suppressed", "status", "firing")).isZero();
        assertThat(counter("tlswatch.notifier.cohort.suppressed", "status", "resolved")).isZero();
    }
}
