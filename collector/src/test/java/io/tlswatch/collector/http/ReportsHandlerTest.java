package io.tlswatch.collector.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.tlswatch.collector.BrowserNel;
import io.tlswatch.collector.ReportJson;
import io.tlswatch.collector.ingest.Candidate;
import io.tlswatch.collector.ingest.NativeReportDecoder;
import io.tlswatch.collector.ingest.NelReportDecoder;
import io.tlswatch.collector.ingest.Plausibility;
import io.tlswatch.collector.ingest.ReportSignatureVerifier;
import io.tlswatch.collector.limit.RateLimits;
import io.tlswatch.collector.limit.TokenBuckets;
import io.tlswatch.collector.publish.Outcome;
import io.tlswatch.contract.serde.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The report API handler in an {@link EmbeddedChannel}, over real decoders and limits and a store the test answers for. */
class ReportsHandlerTest {

    private static final Instant NOW = Instant.parse("2025-03-14T09:26:53.589Z");
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CollectorMetrics metrics = new CollectorMetrics(meters);
    private final List<Written> writes = new ArrayList<>();

    /** One request's reports as the handler handed them over, and how to answer for them. */
    private record Written(List<Candidate> reports, Consumer<Outcome> done) {
    }

    private ReportApi api(int addressBurst) {
        Plausibility plausibility = Plausibility.DEFAULTS;
        return new ReportApi(new NativeReportDecoder(10, plausibility, "collector@test"),
                new NelReportDecoder(10, plausibility, "collector@test"), new ReportSignatureVerifier(),
                new RateLimits(new TokenBuckets(0.001, addressBurst, 100), new TokenBuckets(1000, 1000, 100)),
                (reports, done) -> writes.add(new Written(reports, done)), metrics, ACK_TIMEOUT, Duration.ofSeconds(7),
                Clock.fixed(NOW, ZoneOffset.UTC), System::nanoTime);
    }

    private EmbeddedChannel channel() {
        return channel(100);
    }

    private EmbeddedChannel channel(int addressBurst) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new ReportsHandler(api(addressBurst), "http", () -> null));
        return channel;
    }

    private static FullHttpRequest request(HttpMethod method, String uri, String contentType, String body) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length());
        return request;
    }

    private record Answer(int status, Map<String, String> headers, JsonNode body) {
        String code() {
            return body.get("error").get("code").asText();
        }
    }

    private static Answer answer(EmbeddedChannel channel) throws Exception {
        FullHttpResponse response = channel.readOutbound();
        assertThat(response).as("a response").isNotNull();
        try {
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            response.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
            String text = response.content().toString(StandardCharsets.UTF_8);
            return new Answer(response.status().code(), headers, text.isEmpty() ? null : Json.reader().readTree(text));
        } finally {
            response.release();
        }
    }

    @Test
    void aValidReportIsAnswered202OnlyOnceTheStoreHasIt() throws Exception {
        EmbeddedChannel channel = channel();
        channel.writeInbound(request(HttpMethod.POST, "/v1/reports", "application/json",
                ReportJson.report("r-1", "inst-1", NOW.minusSeconds(10))));

        // nothing is answered while the store has not answered
        assertThat(writes).hasSize(1);
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(writes.get(0).reports().get(0).event().remoteAddress()).isEqualTo("embedded");
        assertThat(writes.get(0).reports().get(0).event().arrival().listener()).isEqualTo("http");

        writes.get(0).done().accept(new Outcome.Written(1, 0));
        channel.runPendingTasks();
        Answer answer = answer(channel);
        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.body().get("written").asInt()).isEqualTo(1);
        assertThat(answer.body().get("received").asInt()).isEqualTo(1);
        assertThat(meters.get("tlswatch.collector.reports").tag("format", "native").tag("outcome", "accepted")
                .counter().count()).isEqualTo(1.0);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void everyReportOfARequestIsStampedWithTheCollectorsClockAtAcceptanceHoweverLongAgoItOccurred() throws Exception {
        // given a spool sent after an outage: one report from half an hour ago, one from a month and a day ago
        EmbeddedChannel channel = channel();
        String body = ReportJson.batch(List.of(ReportJson.report("r-1", "inst-1", NOW.minus(Duration.ofMinutes(30))),
                ReportJson.report("r-2", "inst-1", NOW.minus(Duration.ofDays(31)))));

        // when the collector takes the request
        channel.writeInbound(request(HttpMethod.POST, "/v1/reports", "application/json", body));

        // then both carry receivedAt = the collector's clock, and their own occurredAt
        assertThat(writes).singleElement().satisfies(w -> assertThat(w.reports()).extracting(c -> c.event())
                .allSatisfy(e -> assertThat(e.receivedAt()).isEqualTo(NOW))
                .extracting(e -> e.occurredAt())
                .containsExactly(NOW.minus(Duration.ofMinutes(30)), NOW.minus(Duration.ofDays(31))));
        writes.get(0).done().accept(new Outcome.Written(2, 0));
        channel.runPendingTasks();
        assertThat(answer(channel).status()).isEqualTo(202);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void duplicatesAreAcknowledgedAndCounted() throws Exception {
        EmbeddedChannel channel = channel();
        channel.writeInbound(request(HttpMethod.POST, "/v1/reports", "application/json",
                ReportJson.report("r-1", "inst-1", NOW)));
        writes.get(0).done().accept(new Outcome.Written(0, 1));
        channel.runPendingTasks();
        Answer answer = answer(channel);
        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.body().get("duplicates").asInt()).isEqualTo(1);
        assertThat(meters.get("tlswatch.collector.reports").tag("format", "native").tag("outcome", "duplicate").counter().count()).isEqualTo(1.0);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void whenTheStoreDoesNotAnswerInTimeTheClientIsToldToRetryAndALateAnswerIsDropped() throws Exception {
        EmbeddedChannel channel = channel();
        channel.writeInbound(request(HttpMethod.POST, "/v1/reports", "application/json",
                ReportJson.report("r-1", "inst-1", NOW)));
        channel.advanceTimeBy(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        Answer answer = answer(channel);
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.headers()).containsEntry("retry-after", "7");
        assertThat(answer.code()).isEqualTo("kafka_timeout");

        writes.get(0).done().accept(new Outcome.Written(1, 0));
        channel.runPendingTasks();
        assertThat((Object) channel.readOutbound()).isNull();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void kafkaFailingOrTooManyWaitingAnswers503AndAClientLimit429() throws Exception {
        EmbeddedChannel channel = channel();
        for (int i = 0; i < 3; i++) {
            channel.writeInbound(request(HttpMethod.POST, "/v1/reports", "application/json",
                    ReportJson.report("r-" + i, "inst-1", NOW)));
        }
        writes.get(0).done().accept(new Outcome.Failed("broker gone"));
        writes.get(1).done().accept(new Outcome.Overloaded());
        writes.get(2).done().accept(new Outcome.RateLimited("client", 4));
        channel.runPendingTasks();
        Answer failed = answer(channel);
        Answer overloaded = answer(channel);
        Answer limited = answer(channel);
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.code()).isEqualTo("kafka_unavailable");
        assertThat(failed.headers()).containsEntry("retry-after", "7");
        assertThat(overloaded.status()).isEqualTo(503);
        assertThat(overloaded.code()).isEqualTo("overloaded");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.headers()).containsEntry("retry-after", "4");
        assertThat(meters.get("tlswatch.collector.ratelimit.hits").tag("limit", "client").counter().count()).isEqualTo(1.0);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void anAddressOverItsLimitIsRefusedBeforeTheBodyIsRead() throws Exception {
        EmbeddedChannel channel = channel(1);
        channel.writeInbound(request(HttpMethod.POST, "/v1/reports", "application/json", "not even json"));
        channel.writeInbound(request(HttpMethod.POST, "/v1/reports", "application/json", "not even json"));
        assertThat(answer(channel).status()).isEqualTo(400);
        Answer limited = answer(channel);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.code()).isEqualTo("rate_limited");
        assertThat(Long.parseLong(limited.headers().get("retry-after"))).isPositive();
        assertThat(writes).isEmpty();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void badRequestsAreAnsweredWithTheirStatusAndCode() throws Exception {
        EmbeddedChannel channel = channel();
        channel.writeInbound(request(HttpMethod.POST, "/v1/reports", "application/json", "{"));
        channel.writeInbound(request(HttpMethod.POST, "/v1/reports", "text/plain", "{}"));
        channel.writeInbound(request(HttpMethod.GET, "/v1/reports", null, ""));
        channel.writeInbound(request(HttpMethod.POST, "/v2/reports", "application/json", "{}"));
        channel.writeInbound(request(HttpMethod.POST, "/v1/reports", "application/json", "{\"reportId\": 5}"));
        channel.writeInbound(request(HttpMethod.POST, "/v1/reports", "application/json",
                ReportJson.batch(java.util.Collections.nCopies(11, "{}"))));
        channel.writeInbound(request(HttpMethod.POST, "/v1/reports", "application/json",
                ReportJson.report("r", "c", NOW)));
        Answer malformed = answer(channel);
        Answer mediaType = answer(channel);
        Answer method = answer(channel);
        Answer notFound = answer(channel);
        Answer invalid = answer(channel);
        Answer tooMany = answer(channel);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.code()).isEqualTo("malformed_json");
        assertThat(mediaType.status()).isEqualTo(415);
        assertThat(mediaType.body().get("error").get("field").asText()).isEqualTo("Content-Type");
        assertThat(method.status()).isEqualTo(405);
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.body().get("problems")).hasSizeGreaterThanOrEqualTo(4);
        assertThat(invalid.body().get("error").get("field").asText()).isEqualTo("/reportId");
        assertThat(tooMany.status()).isEqualTo(413);
        assertThat(tooMany.code()).isEqualTo("batch_too_large");
        assertThat(meters.get("tlswatch.collector.reports").tag("format", "native").tag("outcome", "invalid_report")
                .counter().count()).isEqualTo(1.0);
        assertThat(meters.get("tlswatch.collector.reports").tag("format", "none").tag("outcome", "not_found")
                .counter().count()).isEqualTo(1.0);
        writes.get(0).done().accept(new Outcome.Written(1, 0));
        channel.runPendingTasks();
        assertThat(answer(channel).status()).isEqualTo(202);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void anInvalidSignatureIsRefusedNamingTheHeader() throws Exception {
        EmbeddedChannel channel = channel();
        FullHttpRequest request = request(HttpMethod.POST, "/v1/reports", "application/json",
                ReportJson.report("r", "c", NOW));
        request.headers().set("Report-Signature", "eyJhbGciOiJFUzI1NiJ9..c2ln");
        channel.writeInbound(request);
        Answer answer = answer(channel);
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.code()).isEqualTo("invalid_signature");
        assertThat(answer.body().get("error").get("field").asText()).isEqualTo("Report-Signature");
        assertThat(writes).isEmpty();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void nelPreflightAndReportsCarryCorsHeaders() throws Exception {
        EmbeddedChannel channel = channel();
        channel.writeInbound(request(HttpMethod.OPTIONS, "/v1/nel", null, ""));
        channel.writeInbound(request(HttpMethod.POST, "/v1/nel", "application/reports+json",
                "[" + ReportJson.nel(1000, "https://portal.example.com/") + "]"));
        Answer preflight = answer(channel);
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.headers()).containsEntry("access-control-allow-origin", "*")
                .containsEntry("access-control-allow-methods", "POST, OPTIONS");
        assertThat(writes.get(0).reports().get(0).event().occurredAt()).isEqualTo(NOW.minusSeconds(1));
        writes.get(0).done().accept(new Outcome.Written(1, 0));
        channel.runPendingTasks();
        Answer accepted = answer(channel);
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.headers()).containsEntry("access-control-allow-origin", "*");
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aNelBatchWithAnUnreadableItemIsAcceptedSayingWhatWasSkippedAndCountingItByReason() throws Exception {
        // given Chrome's two TLS failures with a garbage item between them
        String chrome = BrowserNel.chromeConnectionFailures("https://portal.example.com/");
        String batch = chrome.substring(0, chrome.indexOf("},{") + 1) + ",42," + chrome.substring(chrome.indexOf("},{") + 2);
        EmbeddedChannel channel = channel();

        // when it is posted and Kafka takes the two reports
        channel.writeInbound(request(HttpMethod.POST, "/v1/nel", "application/reports+json; charset=utf-8", batch));
        assertThat(writes.get(0).reports()).hasSize(2);
        writes.get(0).done().accept(new Outcome.Written(2, 0));
        channel.runPendingTasks();

        // then the answer is 202 with the counts and the skipped item's problem, and the meters count it
        Answer answer = answer(channel);
        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.body().get("received").asInt()).isEqualTo(3);
        assertThat(answer.body().get("written").asInt()).isEqualTo(2);
        assertThat(answer.body().get("ignored").asInt()).isZero();
        assertThat(answer.body().get("skipped").asInt()).isEqualTo(1);
        assertThat(answer.body().get("problems").get(0).get("field").asText()).isEqualTo("/1");
        assertThat(answer.body().get("problems").get(0).get("code").asText()).isEqualTo("wrong_type");
        assertThat(meters.get("tlswatch.collector.nel.skipped").tag("reason", "not_an_object").counter().count())
                .isEqualTo(1.0);
        assertThat(meters.get("tlswatch.collector.reports").tag("format", "nel").tag("outcome", "skipped")
                .counter().count()).isEqualTo(1.0);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void everySkipReasonIsRegisteredAtStartAtZero() {
        assertThat(meters.get("tlswatch.collector.nel.skipped").counters()).extracting(c -> c.getId().getTag("reason"))
                .containsExactlyInAnyOrder("other_type", "success_sample", "not_an_object", "missing", "wrong_type",
                        "invalid_value", "too_long");
        assertThat(meters.get("tlswatch.collector.nel.skipped").counters()).allSatisfy(c -> assertThat(c.count()).isZero());
        assertThat(meters.get("tlswatch.collector.reports").tag("format", "nel").tag("outcome", "skipped").counter()
                .count()).isZero();
    }

    @Test
    void aRequestThatIsNotKeepAliveClosesTheConnectionAfterTheAnswer() throws Exception {
        EmbeddedChannel channel = channel();
        FullHttpRequest request = request(HttpMethod.POST, "/v1/reports", "text/plain", "x");
        request.headers().set(HttpHeaderNames.CONNECTION, "close");
        channel.writeInbound(request);
        assertThat(answer(channel).status()).isEqualTo(415);
        assertThat(channel.isOpen()).isFalse();
        assertFalse(channel.finishAndReleaseAll());
    }
}
