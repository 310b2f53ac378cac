package io.tlswatch.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.contract.testing.SkippingClock;
import io.tlswatch.notifier.fake.Apis;
import io.tlswatch.notifier.fake.FakeApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A fleet-wide cause against the notifier with its default cohort settings (more than 20 clients of one cause
 * within 5 minutes page once), on a real broker, paging a local server that speaks PagerDuty's Events API v2.
 */
@ExtendWith(KafkaBrokerExtension.class)
class CohortIT {

    private static final String PD_KEY = "R0UT1NGKEY0000000000000000000042";
    private static final String OUTDATED_JA4 = "t10d170300_d4b1867c498c_33a13ba74d1c";
    private static final String COHORT_KEY = "tls-cohort:ja4:" + OUTDATED_JA4;
    private static final String QUERY_BASE = "http://tlswatch-streams:9403";
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** The default cohort window: how long a client's page is held to see whether its cause is fleet-wide. */
    private static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        closing.add(closeable);
        return closeable;
    }

    /** Only the target and the query link are set: the cohort threshold and window are the defaults. */
    private static Map<String, String> settings(FakeApi pd) {
        return Map.of("targets", "oncall", "target.oncall.kind", "pagerduty",
                "target.oncall.url", pd.uri("/v2/enqueue").toString(), "target.oncall.routingKeyEnv", "IT_PD_KEY",
                "alerts.cohort.queryBaseUrl", QUERY_BASE);
    }

    private static List<AlertEvent> stuck(int clients) {
        return IntStream.rangeClosed(1, clients)
                .mapToObj(i -> Alerts.stuckWithCause("inst-%04d".formatted(i), OUTDATED_JA4)).toList();
    }

    private static List<JsonNode> events(FakeApi pd, String action) {
        return pd.acceptedJson().stream().filter(e -> e.path("event_action").asText().equals(action)).toList();
    }

    private static double count(MeterRegistry meters, String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? -1 : counter.count();
    }

    @Test
    void fiveHundredClientsOfOneOutdatedStackPageOnceForTheCohortAndResolveOnce(KafkaBroker broker)
            throws Exception {
        // given a notifier with the default cohort settings paging PagerDuty
        FakeApi pd = closing(FakeApi.start(Apis.pagerDuty(PD_KEY)));
        NotifierHarness harness = closing(new NotifierHarness(broker));
        SkippingClock clock = new SkippingClock();
        Notifier notifier = harness.start(settings(pd), Map.of("IT_PD_KEY", PD_KEY), clock);

        // when 500 clients of one outdated stack turn stuck
        List<AlertEvent> firing = stuck(500);
        harness.publishAll(firing);

        // then every alert is handled, and PagerDuty got one trigger for the cohort and nothing per client
        await().atMost(WAIT).until(() -> harness.committed() == 500);
        assertThat(pd.received()).hasSize(1);
        JsonNode trigger = pd.acceptedJson().get(0);
        assertThat(trigger.path("event_action").asText()).isEqualTo("trigger");
        assertThat(trigger.path("dedup_key").asText()).isEqualTo(COHORT_KEY);
        assertThat(trigger.at("/payload/severity").asText()).isEqualTo("warning");
        assertThat(trigger.at("/payload/class").asText()).isEqualTo("client_cohort");
        assertThat(trigger.at("/payload/summary").asText())
                .startsWith("21 clients cannot complete a TLS handshake with the license server for one cause, ja4:"
                        + OUTDATED_JA4);
        JsonNode evidence = trigger.at("/payload/custom_details/evidence");
        assertThat(evidence.path("distinctClients").asLong()).as("the clients the cohort opened with").isEqualTo(21);
        assertThat(evidence.path("clients")).hasSize(10);
        assertThat(evidence.path("queryUrl").asText())
                .isEqualTo(QUERY_BASE + "/v1/clients?posture=stuck&ja4=" + OUTDATED_JA4);
        assertThat(count(notifier.meters(), "tlswatch.notifier.cohorts", "event", "opened")).isEqualTo(1);
        assertThat(count(notifier.meters(), "tlswatch.notifier.cohort.suppressed", "status", "firing"))
                .isEqualTo(500);

        // and nothing per client follows when the window has passed
        clock.skip(DEFAULT_WINDOW.plusSeconds(1));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> pd.received().size() == 1);

        // when every client recovers
        harness.publishAll(firing.stream().map(Alerts::resolved).toList());

        // then the cohort resolves once, and no client is resolved on its own
        await().atMost(WAIT).until(() -> harness.committed() == 1000);
        assertThat(events(pd, "resolve")).singleElement()
                .satisfies(e -> assertThat(e.path("dedup_key").asText()).isEqualTo(COHORT_KEY));
        assertThat(pd.received()).hasSize(2);
        assertThat(pd.acceptedJson()).noneMatch(e -> e.path("dedup_key").asText().startsWith("tls-outdated:"));
        assertThat(count(notifier.meters(), "tlswatch.notifier.cohorts", "event", "resolved")).isEqualTo(1);
        assertThat(count(notifier.meters(), "tlswatch.notifier.cohort.suppressed", "status", "resolved"))
                .isEqualTo(500);
    }

    @Test
    void twentyClientsOfOneCauseAreEachPagedAsBeforeOnceTheWindowHasPassed(KafkaBroker broker) throws Exception {
        // given a notifier with the default cohort settings paging PagerDuty
        FakeApi pd = closing(FakeApi.start(Apis.pagerDuty(PD_KEY)));
        NotifierHarness harness = closing(new NotifierHarness(broker));
        SkippingClock clock = new SkippingClock();
        Notifier notifier = harness.start(settings(pd), Map.of("IT_PD_KEY", PD_KEY), clock);

        // when 20 clients of one cause turn stuck: not more than the threshold
        List<AlertEvent> firing = stuck(20);
        harness.publishAll(firing);

        // then their pages are held while the window runs
        await().atMost(WAIT).until(() -> count(notifier.meters(), "tlswatch.notifier.alerts", "outcome", "routed") == 0
                && notifier.meters().find("tlswatch.notifier.alerts.open").gauge().value() == 20);
        assertThat(pd.received()).isEmpty();

        // when the window has passed
        clock.skip(DEFAULT_WINDOW.plusSeconds(1));

        // then each client is paged on its own, as before, and none as a cohort
        await().atMost(WAIT).until(() -> harness.committed() == 20);
        assertThat(events(pd, "trigger")).extracting(e -> e.path("dedup_key").asText())
                .containsExactlyInAnyOrderElementsOf(firing.stream().map(AlertEvent::dedupKey).toList());
        assertThat(count(notifier.meters(), "tlswatch.notifier.cohorts", "event", "opened")).isZero();

        // when they recover, each is resolved on its own
        harness.publishAll(firing.stream().map(Alerts::resolved).toList());
        await().atMost(WAIT).until(() -> harness.committed() == 40);
        assertThat(events(pd, "resolve")).extracting(e -> e.path("dedup_key").asText())
                .containsExactlyInAnyOrderElementsOf(firing.stream().map(AlertEvent::dedupKey).toList());
        assertThat(pd.received()).hasSize(40);
    }
}
