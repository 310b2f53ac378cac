package io.tlswatch.notifier.destination;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.AlertEvidence;
import io.tlswatch.contract.event.Posture;
import io.tlswatch.contract.event.SampleEvents;
import io.tlswatch.contract.event.Severity;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.notifier.cohort.CohortGrouper;
import io.tlswatch.notifier.cohort.CohortMeters;
import io.tlswatch.notifier.config.CohortSettings;
import io.tlswatch.notifier.config.SecretValue;
import io.tlswatch.notifier.config.TargetKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/alerting.md shows what each target receives: these tests keep its examples equal to what is sent. */
class AlertingDocTest {

    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static String doc;
    private static final List<JsonNode> examples = new ArrayList<>();

    private final AlertEvent firing = SampleEvents.alertFiring();
    private final AlertEvent resolved = resolvedSample(firing);

    @BeforeAll
    static void readDoc() throws Exception {
        Path fromModule = Path.of("../docs/alerting.md");
        doc = Files.readString(Files.exists(fromModule) ? fromModule : Path.of("docs/alerting.md"));
        Matcher matcher = JSON_BLOCK.matcher(doc);
        while (matcher.find()) {
            examples.add(Json.reader().readTree(matcher.group(1)));
        }
    }

    /** The resolution the doc shows: the sample's client recovered. */
    static AlertEvent resolvedSample(AlertEvent firing) {
        Instant end = Instant.parse("2025-03-14T11:02:40.118Z");
        return firing.toBuilder().id("e2d1c0b9-a8f7-4e6d-9c5b-4a3f2e1d0c9b").time(end).resolved(end)
                .summary("Client inst-2b91d04a completes modern handshakes again (TLSv1.3)").posture(Posture.HEALTHY)
                .previousPosture(Posture.AT_RISK).evidence(AlertEvidence.none()).build();
    }

    private void documented(Destination target) throws Exception {
        for (AlertEvent alert : List.of(firing, resolved)) {
            HttpRequest request = target.request(alert);
            JsonNode sent = Json.reader().readTree(DestinationRequestsTest.bytes(request));
            assertThat(examples.contains(sent)).as("docs/alerting.md shows what %s sends for the %s alert:%n%s",
                    target.kind(), alert.status(), sent.toPrettyString()).isTrue();
        }
    }

    @Test
    void pagerDuty() throws Exception {
        documented(new PagerDutyDestination(new Endpoint("oncall", TargetKind.PAGERDUTY,
                URI.create("https://events.pagerduty.com/v2/enqueue"), TIMEOUT),
                new SecretValue("R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY00")));
    }

    /**
     * The cohort trigger the doc shows: 21 clients of the sample's stack (one more than the default threshold)
     * turned stuck, each as the sample alert says, with the query API at its documented address.
     */
    static AlertEvent cohortSample() {
        CohortGrouper<Integer> grouper = new CohortGrouper<>(new CohortSettings(20, Duration.ofMinutes(5),
                URI.create("http://tlswatch-streams:9403")), "notifier@notifier-0",
                new CohortMeters(new SimpleMeterRegistry()));
        AlertEvent sample = SampleEvents.alertFiring();
        Instant opened = sample.time().plusSeconds(40);
        List<CohortGrouper.Send<Integer>> sent = new ArrayList<>();
        for (int i = 0; i <= 20; i++) {
            String client = "inst-%08x".formatted(0x2b91d04a + i);
            AlertEvent alert = sample.toBuilder().dedupKey("tls-outdated:" + client).clientId(client)
                    .severity(Severity.WARNING).posture(Posture.STUCK).previousPosture(Posture.HEALTHY)
                    .evidence(sample.evidence().withCause("ja4:" + sample.evidence().ja4s().iterator().next()))
                    .build();
            sent.addAll(grouper.offer(i, alert, opened.minusSeconds(20 - i)).send());
        }
        assertThat(sent).hasSize(1);
        return sent.get(0).alert();
    }

    @Test
    void theCohortSampleOfDocsEventsIsWhatTheNotifierSends() {
        assertThat(cohortSample()).isEqualTo(SampleEvents.alertCohort());
    }

    @Test
    void pagerDutyCohort() throws Exception {
        PagerDutyDestination target = new PagerDutyDestination(new Endpoint("oncall", TargetKind.PAGERDUTY,
                URI.create("https://events.pagerduty.com/v2/enqueue"), TIMEOUT),
                new SecretValue("R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY00"));
        JsonNode sent = Json.reader().readTree(DestinationRequestsTest.bytes(target.request(cohortSample())));

        assertThat(examples.contains(sent)).as("docs/alerting.md shows the cohort trigger:%n%s",
                sent.toPrettyString()).isTrue();
    }

    @Test
    void opsgenie() throws Exception {
        OpsgenieDestination target = new OpsgenieDestination(new Endpoint("ops", TargetKind.OPSGENIE,
                URI.create("https://api.opsgenie.com"), TIMEOUT),
                new SecretValue("x"));
        documented(target);
        assertThat(doc).contains("`POST " + target.request(resolved).uri() + "`");
    }

    @Test
    void slack() throws Exception {
        documented(new SlackDestination(new Endpoint("chat", TargetKind.SLACK, null, TIMEOUT),
                new SecretValue("https://hooks.slack.com/services/T000/B000/XXXX")));
    }

    @Test
    void alertmanager() throws Exception {
        documented(new AlertmanagerDestination(new Endpoint("am", TargetKind.ALERTMANAGER,
                URI.create("http://alertmanager:9093"), TIMEOUT),
                Duration.ofDays(7)));
    }

    @Test
    void theWebhookSignatureExampleIsWhatIsSent() {
        WebhookDestination target = new WebhookDestination(new Endpoint("hook", TargetKind.WEBHOOK,
                URI.create("https://example.com/hooks/tlswatch"), TIMEOUT),
                new SecretValue("k"), Clock.fixed(firing.time().plusMillis(300), ZoneOffset.UTC));
        HttpRequest request = target.request(firing);

        for (String header : List.of(WebhookDestination.TIMESTAMP, WebhookDestination.SIGNATURE, WebhookDestination.DELIVERY)) {
            assertThat(doc).contains(header + ": " + request.headers().firstValue(header).orElseThrow());
        }
    }
}
