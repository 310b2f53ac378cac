package io.tlswatch.notifier.destination;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.Severity;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.notifier.Alerts;
import io.tlswatch.notifier.config.SecretValue;
import io.tlswatch.notifier.config.TargetKind;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;

import static org.assertj.core.api.Assertions.assertThat;

/** What each target sends, as its API documents it. */
class DestinationRequestsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private final AlertEvent firing = Alerts.firing("inst-2b91d04a");
    private final AlertEvent resolved = Alerts.resolved(firing);

    @Test
    void pagerDutyTriggersAndResolvesUnderTheDedupKey() throws Exception {
        PagerDutyDestination target = new PagerDutyDestination(new Endpoint("pd", TargetKind.PAGERDUTY,
                URI.create("https://events.pagerduty.com/v2/enqueue"), TIMEOUT),
                new SecretValue("KEY"));

        HttpRequest request = target.request(firing);
        JsonNode trigger = body(request);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.timeout()).contains(TIMEOUT);
        assertThat(trigger.path("routing_key").asText()).isEqualTo("KEY");
        assertThat(trigger.path("event_action").asText()).isEqualTo("trigger");
        assertThat(trigger.path("dedup_key").asText()).isEqualTo(firing.dedupKey());
        assertThat(trigger.at("/payload/summary").asText()).isEqualTo(firing.summary());
        assertThat(trigger.at("/payload/component").asText()).isEqualTo("client");
        assertThat(trigger.at("/payload/timestamp").asText()).isEqualTo(firing.time().toString());
        assertThat(trigger.at("/payload/custom_details/posture").asText()).isEqualTo("at_risk");

        JsonNode resolve = body(target.request(resolved));
        assertThat(resolve.path("event_action").asText()).isEqualTo("resolve");
        assertThat(resolve.path("dedup_key").asText()).isEqualTo(firing.dedupKey());
        assertThat(resolve.has("payload")).isFalse();
    }

    @Test
    void pagerDutySummaryIsCutToItsLimit() throws Exception {
        AlertEvent longOne = firing.toBuilder().summary("x".repeat(5000)).build();
        PagerDutyDestination target = new PagerDutyDestination(new Endpoint("pd", TargetKind.PAGERDUTY,
                URI.create("https://x/v2/enqueue"), TIMEOUT),
                new SecretValue("K"));

        assertThat(body(target.request(longOne)).at("/payload/summary").asText()).hasSize(PagerDutyDestination.MAX_SUMMARY);
    }

    @Test
    void opsgenieCreatesWithTheAliasAndClosesByIt() throws Exception {
        OpsgenieDestination target = new OpsgenieDestination(new Endpoint("og", TargetKind.OPSGENIE,
                URI.create("https://api.eu.opsgenie.com/"), TIMEOUT),
                new SecretValue("OGKEY"));

        HttpRequest create = target.request(firing);
        assertThat(create.uri()).isEqualTo(URI.create("https://api.eu.opsgenie.com/v2/alerts"));
        assertThat(create.headers().firstValue("Authorization")).contains("GenieKey OGKEY");
        JsonNode body = body(create);
        assertThat(body.path("alias").asText()).isEqualTo(firing.dedupKey());
        assertThat(body.path("message").asText()).hasSizeLessThanOrEqualTo(OpsgenieDestination.MAX_MESSAGE);
        assertThat(body.path("description").asText()).contains("protocol_version");
        assertThat(body.path("priority").asText()).isEqualTo("P1");

        HttpRequest close = target.request(resolved);
        assertThat(close.uri()).isEqualTo(URI.create(
                "https://api.eu.opsgenie.com/v2/alerts/tls-outdated%3Ainst-2b91d04a/close?identifierType=alias"));
    }

    @Test
    void slackGetsAReadableMessageAndNeverLeaksItsUrl() throws Exception {
        String url = "https://hooks.slack.com/services/T0/B0/SECRETSECRET";
        SlackDestination target = new SlackDestination(new Endpoint("s", TargetKind.SLACK,
                null, TIMEOUT), new SecretValue(url));
        AlertEvent hostile = firing.toBuilder().summary("<!channel> & <https://evil|click>").build();

        JsonNode message = body(target.request(hostile));
        assertThat(message.path("text").asText()).contains("&lt;!channel&gt; &amp; &lt;https://evil|click&gt;");
        assertThat(message.path("blocks").toString()).contains("Dedup key").contains("tls-outdated:inst-2b91d04a");
        assertThat(body(target.request(resolved)).path("text").asText()).startsWith(":white_check_mark: Resolved");
        assertThat(target.redact("connect to " + url + " failed")).doesNotContain("SECRET");
    }

    @Test
    void alertmanagerLabelsWhatStaysAndResolvesTheOtherSeverities() throws Exception {
        AlertmanagerDestination target = new AlertmanagerDestination(new Endpoint("am", TargetKind.ALERTMANAGER,
                URI.create("http://am:9093/"), TIMEOUT),
                Duration.ofDays(7));

        HttpRequest request = target.request(firing);
        assertThat(request.uri()).isEqualTo(URI.create("http://am:9093/api/v2/alerts"));
        JsonNode alerts = body(request);
        assertThat(alerts).hasSize(3);
        JsonNode current = alerts.get(0);
        assertThat(current.at("/labels/alertname").asText()).isEqualTo("TlswatchClientPosture");
        assertThat(current.at("/labels/severity").asText()).isEqualTo("critical");
        assertThat(current.at("/labels/dedup_key").asText()).isEqualTo(firing.dedupKey());
        assertThat(current.path("labels").has("posture")).as("changes between firing and resolve").isFalse();
        assertThat(Instant.parse(current.path("endsAt").asText())).isEqualTo(firing.time().plus(Duration.ofDays(7)));
        assertThat(alerts.get(1).at("/labels/severity").asText()).isEqualTo("warning");
        assertThat(Instant.parse(alerts.get(1).path("endsAt").asText())).isEqualTo(firing.time());

        JsonNode resolve = body(target.request(resolved)).get(0);
        assertThat(Instant.parse(resolve.path("endsAt").asText())).isEqualTo(resolved.endsAt());
        assertThat(resolve.path("labels")).isEqualTo(current.path("labels"));
        assertThat(AlertmanagerDestination.alertName("fingerprint_outdated")).isEqualTo("TlswatchFingerprintOutdated");
    }

    @Test
    void theWebhookSignsTimestampDotBodyWithTheKey() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2025-03-14T09:26:53Z"), ZoneOffset.UTC);
        WebhookDestination target = new WebhookDestination(new Endpoint("hook", TargetKind.WEBHOOK,
                URI.create("https://example.com/hook"), TIMEOUT),
                new SecretValue("k3y"), clock);

        HttpRequest request = target.request(firing);
        String body = new String(bytes(request), StandardCharsets.UTF_8);
        String timestamp = request.headers().firstValue(WebhookDestination.TIMESTAMP).orElseThrow();
        assertThat(timestamp).isEqualTo("1741944413");
        assertThat(request.headers().firstValue(WebhookDestination.SIGNATURE))
                .contains("sha256=" + io.tlswatch.notifier.fake.Apis.hmac("k3y", timestamp + "." + body));
        assertThat(request.headers().firstValue(WebhookDestination.DELIVERY)).contains(firing.id());
        assertThat(Json.reader().readTree(body).path("type").asText()).isEqualTo(AlertEvent.TYPE);
    }

    @Test
    void aFingerprintAlertNamesItsFingerprint() throws Exception {
        AlertEvent fp = AlertEvent.builder().time(Instant.now()).source("streams@t").dedupKey("fingerprint-outdated:" + Alerts.JA4)
                .severity(Severity.WARNING).kind(AlertEvent.KIND_FINGERPRINT_OUTDATED).summary("Outdated fingerprint")
                .ja4(Alerts.JA4).startsAt(Instant.now()).build();
        PagerDutyDestination target = new PagerDutyDestination(new Endpoint("pd", TargetKind.PAGERDUTY,
                URI.create("https://x/v2/enqueue"), TIMEOUT),
                new SecretValue("K"));

        JsonNode trigger = body(target.request(fp));
        assertThat(trigger.at("/payload/source").asText()).isEqualTo(Alerts.JA4);
        assertThat(trigger.at("/payload/component").asText()).isEqualTo("fingerprint");
        assertThat(trigger.at("/payload/severity").asText()).isEqualTo("warning");
    }

    static JsonNode body(HttpRequest request) throws Exception {
        return Json.reader().readTree(bytes(request));
    }

    /** Reads a request's body publisher, as the HTTP client would. */
    static byte[] bytes(HttpRequest request) {
        List<ByteBuffer> buffers = new ArrayList<>();
        request.bodyPublisher().orElseThrow().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                buffers.add(item);
            }

            @Override
            public void onError(Throwable throwable) {
                throw new IllegalStateException(throwable);
            }

            @Override
            public void onComplete() {
            }
        });
        int size = buffers.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer all = ByteBuffer.allocate(size);
        buffers.forEach(all::put);
        return all.array();
    }
}
