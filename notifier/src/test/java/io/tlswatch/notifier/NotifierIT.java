package io.tlswatch.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.tlswatch.contract.event.AlertDeadLetter;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.DeadLetterReason;
import io.tlswatch.contract.event.DeliveryAttempt;
import io.tlswatch.contract.event.DeliveryOutcome;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.contract.testing.FreePorts;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.notifier.fake.Apis;
import io.tlswatch.notifier.fake.FakeApi.Answer;
import io.tlswatch.notifier.fake.FakeApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The notifier against a real broker and local servers that speak each pager's documented API. */
@ExtendWith(KafkaBrokerExtension.class)
class NotifierIT {

    private static final String PD_KEY = "R0UT1NGKEY0000000000000000000042";
    private static final String OG_KEY = "eb243592-faa2-4ba2-a551-1afdf565c889";
    private static final String SLACK_PATH = "/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX";
    private static final String HMAC_KEY = "whsec-test-key-of-reasonable-length";
    private static final Map<String, String> ENV = Map.of("IT_PD_KEY", PD_KEY, "IT_OG_KEY", OG_KEY,
            "IT_HMAC_KEY", HMAC_KEY);
    private static final Duration WAIT = Duration.ofSeconds(60);

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

    private static Map<String, String> pagerDuty(String name, FakeApi api) {
        return Map.of("target." + name + ".kind", "pagerduty", "target." + name + ".url", api.uri("/v2/enqueue").toString(),
                "target." + name + ".routingKeyEnv", "IT_PD_KEY");
    }

    private static Map<String, String> opsgenie(String name, FakeApi api) {
        return Map.of("target." + name + ".kind", "opsgenie", "target." + name + ".url", api.uri("").toString(),
                "target." + name + ".apiKeyEnv", "IT_OG_KEY");
    }

    private static Map<String, String> slack(String name) {
        return Map.of("target." + name + ".kind", "slack", "target." + name + ".webhookUrlEnv", "IT_SLACK_URL");
    }

    private static Map<String, String> webhook(String name, FakeApi api) {
        return Map.of("target." + name + ".kind", "webhook", "target." + name + ".url", api.uri("/hooks/tlswatch").toString(),
                "target." + name + ".hmacKeyEnv", "IT_HMAC_KEY");
    }

    @SafeVarargs
    private static Map<String, String> merge(Map<String, String>... maps) {
        Map<String, String> out = new HashMap<>();
        for (Map<String, String> map : maps) {
            out.putAll(map);
        }
        return out;
    }

    private static double count(MeterRegistry meters, String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? -1 : counter.count();
    }

    @Test
    void deliversEachAlertOncePerTargetAndResolvesItUnderTheSameDedupKey(KafkaBroker broker) throws Exception {
        // given a notifier with one target of every third-party kind
        FakeApi pd = closing(FakeApi.start(Apis.pagerDuty(PD_KEY)));
        FakeApi og = closing(FakeApi.start(Apis.opsgenie(OG_KEY)));
        FakeApi slack = closing(FakeApi.start(Apis.slack(SLACK_PATH)));
        FakeApi hook = closing(FakeApi.start(Apis.signedWebhook(HMAC_KEY)));
        NotifierHarness harness = closing(new NotifierHarness(broker));
        Map<String, String> env = new HashMap<>(ENV);
        env.put("IT_SLACK_URL", slack.uri(SLACK_PATH).toString());
        Notifier notifier = harness.start(merge(Map.of("targets", "pd,og,slack,hook"), pagerDuty("pd", pd),
                opsgenie("og", og), slack("slack"), webhook("hook", hook)), env);

        // when an alert fires and then resolves
        AlertEvent firing = Alerts.firing("inst-2b91d04a");
        AlertEvent resolved = Alerts.resolved(firing);
        harness.publish(firing, resolved);

        // then both offsets are committed once every target took both
        await().atMost(WAIT).until(() -> harness.committed() == 2);
        assertThat(List.of(pd, og, slack, hook)).allSatisfy(api -> {
            assertThat(api.received()).as("requests to " + api.uri("")).hasSize(2);
            assertThat(api.accepted()).hasSize(2);
        });
        // PagerDuty: trigger, then resolve, under the dedup key
        JsonNode trigger = pd.acceptedJson().get(0);
        assertThat(trigger.path("event_action").asText()).isEqualTo("trigger");
        assertThat(trigger.path("dedup_key").asText()).isEqualTo("tls-outdated:inst-2b91d04a");
        assertThat(trigger.at("/payload/severity").asText()).isEqualTo("critical");
        assertThat(trigger.at("/payload/source").asText()).isEqualTo("inst-2b91d04a");
        assertThat(trigger.at("/payload/class").asText()).isEqualTo("client_posture");
        assertThat(trigger.at("/payload/custom_details/evidence/failuresByReason/protocol_version").asLong()).isEqualTo(14);
        assertThat(pd.acceptedJson().get(1).path("event_action").asText()).isEqualTo("resolve");
        assertThat(pd.acceptedJson().get(1).path("dedup_key").asText()).isEqualTo("tls-outdated:inst-2b91d04a");
        // Opsgenie: create with the alias, close by alias
        assertThat(og.accepted().get(0).path()).isEqualTo("/v2/alerts");
        assertThat(og.acceptedJson().get(0).path("alias").asText()).isEqualTo("tls-outdated:inst-2b91d04a");
        assertThat(og.acceptedJson().get(0).path("priority").asText()).isEqualTo("P1");
        assertThat(og.accepted().get(1).path()).isEqualTo("/v2/alerts/tls-outdated%3Ainst-2b91d04a/close");
        // Slack: a readable message each time
        assertThat(slack.acceptedJson().get(0).path("text").asText()).contains("CRITICAL").contains("inst-2b91d04a");
        assertThat(slack.acceptedJson().get(1).path("text").asText()).startsWith(":white_check_mark: Resolved");
        // the webhook: the alerts as on the topic, signed (the fake checked the signature), with their ids
        assertThat(hook.accepted()).extracting(r -> r.header("X-Tlswatch-Delivery")).containsExactly(firing.id(), resolved.id());
        assertThat(hook.acceptedJson().get(1)).isEqualTo(Json.reader().readTree(
                harness.topics.alerts().valueSerde().serializer().serialize("t", resolved)));
        // and the meters say so
        for (String target : List.of("pd", "og", "slack", "hook")) {
            assertThat(count(notifier.meters(), "tlswatch.notifier.deliveries", "target", target, "outcome", "delivered"))
                    .isEqualTo(2);
        }
        assertThat(notifier.meters().scrape()).contains("tlswatch_notifier_deliveries_total{kind=\"pagerduty\",outcome=\"delivered\",service=\"notifier\",target=\"pd\"} 2.0");
        assertThat(harness.deadLetters()).isEmpty();
        assertThat(undocumentedMeters(notifier.meters().scrape())).as("tlswatch_notifier_* names missing from docs/metrics.md")
                .isEmpty();
    }

    /** Names of this module's series in a scrape that docs/metrics.md does not mention. */
    private static java.util.Set<String> undocumentedMeters(String scrape) throws java.io.IOException {
        java.nio.file.Path fromModule = java.nio.file.Path.of("../docs/metrics.md");
        String doc = java.nio.file.Files.readString(java.nio.file.Files.exists(fromModule) ? fromModule
                : java.nio.file.Path.of("docs/metrics.md"));
        java.util.Set<String> missing = new java.util.TreeSet<>();
        scrape.lines().filter(l -> l.startsWith("tlswatch_notifier_")).forEach(line -> {
            String name = line.split("[{ ]", 2)[0].replaceAll("_(bucket|count|sum)$", "");
            if (!doc.contains(name)) {
                missing.add(name);
            }
        });
        return missing;
    }

    @Test
    void retriesAfter429With_RetryAfter_500AndATimeoutThenDeliversWhileOtherTargetsGoOn(KafkaBroker broker)
            throws Exception {
        // given PagerDuty that throttles (Retry-After: 1), then fails, then does not answer, then accepts
        FakeApi pd = closing(FakeApi.start(Apis.pagerDuty(PD_KEY)));
        pd.failNext(Answer.json(429, "{\"status\":\"throttle event\",\"message\":\"Requests for this service are arriving too quickly.\"}")
                        .withHeader("Retry-After", "1"),
                Answer.json(500, "{\"status\":\"error\"}"),
                Answer.silence());
        FakeApi hook = closing(FakeApi.start(Apis.signedWebhook(HMAC_KEY)));
        NotifierHarness harness = closing(new NotifierHarness(broker));
        Map<String, String> settings = merge(Map.of("targets", "pd,hook", "target.pd.timeout", "1s"),
                pagerDuty("pd", pd), webhook("hook", hook));
        Notifier notifier = harness.start(settings, ENV);

        // when an alert fires
        harness.publish(Alerts.firing("inst-retry"));

        // then PagerDuty gets it on the fourth attempt, once accepted
        await().atMost(WAIT).until(() -> harness.committed() == 1);
        List<FakeApi.Received> attempts = pd.received();
        assertThat(attempts).hasSize(4);
        assertThat(pd.accepted()).hasSize(1);
        assertThat(attempts).extracting(r -> r.json().path("dedup_key").asText()).containsOnly("tls-outdated:inst-retry");
        // the throttled attempt waited for Retry-After (the backoff alone is at most 200 ms here)
        assertThat(Duration.between(attempts.get(0).at(), attempts.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        // the webhook did not wait for PagerDuty
        assertThat(hook.accepted()).hasSize(1);
        assertThat(hook.accepted().get(0).at()).isBefore(pd.accepted().get(0).at());
        MeterRegistry meters = notifier.meters();
        assertThat(count(meters, "tlswatch.notifier.retries", "target", "pd")).isEqualTo(3);
        assertThat(count(meters, "tlswatch.notifier.attempts", "target", "pd", "outcome", "rate_limited")).isEqualTo(1);
        assertThat(count(meters, "tlswatch.notifier.attempts", "target", "pd", "outcome", "server_error")).isEqualTo(1);
        assertThat(count(meters, "tlswatch.notifier.attempts", "target", "pd", "outcome", "timeout")).isEqualTo(1);
        assertThat(count(meters, "tlswatch.notifier.attempts", "target", "pd", "outcome", "accepted")).isEqualTo(1);
        assertThat(harness.deadLetters()).isEmpty();
    }

    @Test
    void aTargetWhosePortIsClosedForAWhileGetsTheAlertOnceWhenItComesBack(KafkaBroker broker) throws Exception {
        // given a PagerDuty target with nothing listening on its port (connection refused), and a webhook that works
        int port = FreePorts.next();
        FakeApi hook = closing(FakeApi.start(Apis.signedWebhook(HMAC_KEY)));
        NotifierHarness harness = closing(new NotifierHarness(broker));
        Map<String, String> settings = merge(Map.of("targets", "pd,hook", "delivery.initialBackoff", "200ms",
                        "delivery.maxBackoff", "1s", "delivery.maxAttempts", "50",
                        "target.pd.kind", "pagerduty", "target.pd.url", "http://127.0.0.1:" + port + "/v2/enqueue",
                        "target.pd.routingKeyEnv", "IT_PD_KEY"),
                webhook("hook", hook));
        Notifier notifier = harness.start(settings, ENV);

        // when an alert fires while PagerDuty is unreachable
        harness.publish(Alerts.firing("inst-refused"));
        MeterRegistry meters = notifier.meters();
        await().atMost(WAIT).until(() -> count(meters, "tlswatch.notifier.attempts", "target", "pd", "outcome",
                "network_error") >= 3);
        // then the other target is not held up, and nothing is committed or dead-lettered meanwhile
        assertThat(hook.accepted()).hasSize(1);
        assertThat(harness.committed()).isZero();

        // and once PagerDuty listens again, it gets the alert exactly once and the offset is committed
        FakeApi pd = closing(FakeApi.start(Apis.pagerDuty(PD_KEY), port));
        await().atMost(WAIT).until(() -> harness.committed() == 1);
        assertThat(pd.accepted()).hasSize(1);
        assertThat(pd.accepted().get(0).json().path("dedup_key").asText()).isEqualTo("tls-outdated:inst-refused");
        assertThat(hook.accepted()).hasSize(1);
        assertThat(harness.deadLetters()).isEmpty();
    }

    @Test
    void deadLettersPermanentRefusalsAndExhaustedRetriesWithEveryAttemptAndGoesOn(KafkaBroker broker) throws Exception {
        // given PagerDuty that refuses our routing key (400 invalid event) and Opsgenie failing three times
        FakeApi pd = closing(FakeApi.start(Apis.pagerDuty("ANOTHERKEY000000000000000000000")));
        FakeApi og = closing(FakeApi.start(Apis.opsgenie(OG_KEY)));
        og.failNext(Answer.json(500, "{\"message\":\"Internal error\"}"), Answer.json(503, "{}"),
                Answer.json(502, "{}"));
        // and Slack that finds the first payload invalid
        FakeApi slack = closing(FakeApi.start(Apis.slack(SLACK_PATH)));
        slack.failNext(Answer.text(400, "invalid_payload"));
        NotifierHarness harness = closing(new NotifierHarness(broker));
        Map<String, String> env = new HashMap<>(ENV);
        env.put("IT_SLACK_URL", slack.uri(SLACK_PATH).toString());
        Notifier notifier = harness.start(merge(Map.of("targets", "pd,og,slack", "target.og.maxAttempts", "3"),
                pagerDuty("pd", pd), opsgenie("og", og), slack("slack")), env);

        // when two alerts fire
        AlertEvent first = Alerts.firing("inst-dead-1");
        AlertEvent second = Alerts.firing("inst-dead-2");
        harness.publish(first, second);

        // then both are handled: dead-lettered where refused, delivered where possible
        await().atMost(WAIT).until(() -> harness.committed() == 2);
        await().atMost(WAIT).until(() -> harness.deadLetters().size() == 4);
        List<AlertDeadLetter> letters = harness.deadLetters();
        assertThat(letters).filteredOn(l -> l.target().equals("slack")).singleElement().satisfies(l -> {
            assertThat(l.dedupKey()).isEqualTo(first.dedupKey());
            assertThat(l.reason()).isEqualTo(DeadLetterReason.REJECTED);
            assertThat(l.attempts()).singleElement().satisfies(a -> assertThat(a.message()).isEqualTo("invalid_payload"));
            assertThat(l.toString()).doesNotContain(SLACK_PATH);
        });
        assertThat(slack.accepted()).extracting(r -> r.json().path("text").asText()).singleElement()
                .asString().contains("inst-dead-2");
        AlertDeadLetter refused = letters.stream().filter(l -> l.target().equals("pd") && l.dedupKey().equals(first.dedupKey()))
                .findFirst().orElseThrow();
        assertThat(refused.reason()).isEqualTo(DeadLetterReason.REJECTED);
        assertThat(refused.targetKind()).isEqualTo("pagerduty");
        assertThat(refused.alert()).isEqualTo(first);
        assertThat(refused.attempts()).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(DeliveryOutcome.REJECTED);
            assertThat(a.statusCode()).isEqualTo(400);
            assertThat(a.message()).contains("invalid event");
        });
        AlertDeadLetter exhausted = letters.stream().filter(l -> l.target().equals("og")).findFirst().orElseThrow();
        assertThat(exhausted.reason()).isEqualTo(DeadLetterReason.ATTEMPTS_EXHAUSTED);
        assertThat(exhausted.dedupKey()).isEqualTo(first.dedupKey());
        assertThat(exhausted.attempts()).extracting(DeliveryAttempt::statusCode).containsExactly(500, 503, 502);
        assertThat(letters).filteredOn(l -> l.dedupKey().equals(second.dedupKey())).singleElement()
                .satisfies(l -> assertThat(l.target()).isEqualTo("pd"));
        // the second alert reached Opsgenie once its trouble was over
        assertThat(og.acceptedJson()).extracting(j -> j.path("alias").asText()).containsExactly(second.dedupKey());
        // secrets never appear in a dead letter
        byte[] written = harness.topics.deadLetters().valueSerde().serializer().serialize("t", refused);
        assertThat(new String(written, StandardCharsets.UTF_8)).doesNotContain(PD_KEY);
        assertThat(count(notifier.meters(), "tlswatch.notifier.dead.letters", "target", "pd", "reason", "rejected")).isEqualTo(2);
        assertThat(count(notifier.meters(), "tlswatch.notifier.dead.letters", "target", "og", "reason", "attempts_exhausted"))
                .isEqualTo(1);
        assertThat(notifier.meters().scrape()).doesNotContain(PD_KEY).doesNotContain(OG_KEY);
    }

    @Test
    void deadLettersUnreadableRecordsAndReadsOn(KafkaBroker broker) throws Exception {
        // given a notifier
        FakeApi hook = closing(FakeApi.start(Apis.signedWebhook(HMAC_KEY)));
        NotifierHarness harness = closing(new NotifierHarness(broker));
        Notifier notifier = harness.start(merge(Map.of("targets", "hook"), webhook("hook", hook)), ENV);

        // when the topic holds a broken record, one of a newer major version, then a good alert
        harness.publishRaw("k1", "{not json".getBytes(StandardCharsets.UTF_8));
        harness.publishRaw("k2", "{\"type\":\"tlswatch.alert/2\",\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        AlertEvent good = Alerts.firing("inst-after-junk");
        harness.publish(good);

        // then the good one is delivered and the others are dead letters saying why
        await().atMost(WAIT).until(() -> harness.committed() == 3);
        assertThat(hook.accepted()).extracting(r -> r.header("X-Tlswatch-Delivery")).containsExactly(good.id());
        await().atMost(WAIT).until(() -> harness.deadLetters().size() == 2);
        assertThat(harness.deadLetters()).allSatisfy(l -> {
            assertThat(l.reason()).isEqualTo(DeadLetterReason.UNREADABLE);
            assertThat(l.attempts()).isEmpty();
        });
        assertThat(harness.deadLetters()).extracting(AlertDeadLetter::dedupKey).containsExactlyInAnyOrder("k1", "k2");
        assertThat(harness.deadLetters()).filteredOn(l -> l.dedupKey().equals("k2")).singleElement()
                .satisfies(l -> assertThat(l.problem()).contains("tlswatch.alert/2"));
        assertThat(count(notifier.meters(), "tlswatch.notifier.alerts", "outcome", "unreadable")).isEqualTo(2);
    }

    @Test
    void anAlertInFlightWhenTheNotifierStopsIsDeliveredByTheNextOne(KafkaBroker broker) throws Exception {
        // given a webhook that does not answer the first request
        FakeApi hook = closing(FakeApi.start(Apis.signedWebhook(HMAC_KEY)));
        hook.failNext(Answer.silence());
        NotifierHarness harness = closing(new NotifierHarness(broker));
        Map<String, String> settings = merge(Map.of("targets", "hook", "target.hook.timeout", "60s"),
                webhook("hook", hook));
        Notifier first = harness.start(settings, ENV);
        AlertEvent alert = Alerts.firing("inst-crash");
        harness.publish(alert);
        await().atMost(WAIT).until(() -> hook.received().size() == 1);

        // when that notifier stops mid-delivery
        first.close();

        // then nothing was committed, and the next notifier of the group delivers the alert
        assertThat(harness.committed()).isZero();
        harness.start(settings, ENV);
        await().atMost(WAIT).until(() -> harness.committed() == 1);
        assertThat(hook.accepted()).singleElement().satisfies(r -> {
            assertThat(r.header("X-Tlswatch-Delivery")).isEqualTo(alert.id());
            assertThat(r.json().path("dedupKey").asText()).isEqualTo(alert.dedupKey());
        });
    }

    @Test
    void aFullQueuePausesReadingAndLosesNothingAndKeepsTheOrder(KafkaBroker broker) throws Exception {
        // given a webhook target with room for one alert that fails its first two requests
        FakeApi hook = closing(FakeApi.start(Apis.signedWebhook(HMAC_KEY)));
        hook.failNext(Answer.json(503, "{}"), Answer.json(503, "{}"));
        NotifierHarness harness = closing(new NotifierHarness(broker));
        Notifier notifier = harness.start(merge(Map.of("targets", "hook", "target.hook.queueCapacity", "1",
                "delivery.initialBackoff", "300ms", "delivery.maxBackoff", "600ms"), webhook("hook", hook)), ENV);

        // when one client's alert fires and resolves, among others, all on one partition (one key)
        AlertEvent firing = Alerts.firing("inst-queue");
        List<AlertEvent> alerts = List.of(firing, Alerts.resolved(firing), Alerts.firing("inst-queue"),
                Alerts.resolved(firing));
        harness.publish(alerts.toArray(AlertEvent[]::new));

        // then reading pauses while the one slot is taken
        await().atMost(WAIT).until(() -> notifier.meters().get("tlswatch.notifier.consumer.paused").gauge().value() == 1);
        // and every alert arrives once, in the order written
        await().atMost(WAIT).until(() -> harness.committed() == 4);
        assertThat(hook.accepted()).extracting(r -> r.header("X-Tlswatch-Delivery"))
                .containsExactlyElementsOf(alerts.stream().map(AlertEvent::id).toList());
        assertThat(notifier.meters().get("tlswatch.notifier.queue.depth").tag("target", "hook").gauge().value()).isZero();
    }

    @Test
    void aFreshNotifierShowsEveryCounterAtZeroForItsTargetsAndOutcomes(KafkaBroker broker) {
        // given a notifier with two targets that has read nothing yet
        FakeApi pd = closing(FakeApi.start(Apis.pagerDuty(PD_KEY)));
        FakeApi hook = closing(FakeApi.start(Apis.signedWebhook(HMAC_KEY)));
        NotifierHarness harness = closing(new NotifierHarness(broker));

        // when it has started
        Notifier notifier = harness.start(merge(Map.of("targets", "pd,hook"), pagerDuty("pd", pd),
                webhook("hook", hook)), ENV);

        // then every series a dashboard or alert reads is there, at 0, before the first alert
        var meters = notifier.meters();
        for (String outcome : List.of("routed", "unrouted", "unreadable", "duplicate")) {
            assertThat(count(meters, "tlswatch.notifier.alerts", "outcome", outcome)).as(outcome).isZero();
        }
        for (String target : List.of("pd", "hook")) {
            for (DeliveryOutcome outcome : DeliveryOutcome.values()) {
                String tag = outcome.name().toLowerCase(java.util.Locale.ROOT);
                assertThat(count(meters, "tlswatch.notifier.attempts", "target", target, "outcome", tag))
                        .as(target + " " + tag).isZero();
            }
            for (String outcome : List.of("delivered", "dead_lettered")) {
                assertThat(count(meters, "tlswatch.notifier.deliveries", "target", target, "outcome", outcome))
                        .as(target + " " + outcome).isZero();
            }
            for (String reason : List.of("rejected", "attempts_exhausted")) {
                assertThat(count(meters, "tlswatch.notifier.dead.letters", "target", target, "reason", reason))
                        .as(target + " " + reason).isZero();
            }
            assertThat(count(meters, "tlswatch.notifier.retries", "target", target)).as(target).isZero();
        }
        assertThat(count(meters, "tlswatch.notifier.cohorts", "event", "opened")).isZero();
        assertThat(count(meters, "tlswatch.notifier.cohorts", "event", "resolved")).isZero();
        assertThat(count(meters, "tlswatch.notifier.cohort.suppressed", "status", "firing")).isZero();
        assertThat(count(meters, "tlswatch.notifier.cohort.suppressed", "status", "resolved")).isZero();
        assertThat(meters.scrape()).contains("tlswatch_notifier_dead_letters_total{");
    }

    @Test
    void aSecondCopyOfADeliveredAlertUnderTheSameIdPagesNoOneAgain(KafkaBroker broker) throws Exception {
        // given a notifier that delivered an alert
        FakeApi pd = closing(FakeApi.start(Apis.pagerDuty(PD_KEY)));
        NotifierHarness harness = closing(new NotifierHarness(broker));
        Notifier notifier = harness.start(merge(Map.of("targets", "pd"), pagerDuty("pd", pd)), ENV);
        AlertEvent alert = Alerts.firing("inst-twice");
        harness.publish(alert);
        await().atMost(WAIT).until(() -> harness.committed() == 1);

        // when a retrying producer writes the same alert (same id) again
        harness.publish(alert);

        // then it is read and committed, but not sent again
        await().atMost(WAIT).until(() -> harness.committed() == 2);
        assertThat(pd.received()).hasSize(1);
        assertThat(count(notifier.meters(), "tlswatch.notifier.alerts", "outcome", "duplicate")).isEqualTo(1);
    }
}
