package io.tlswatch.validator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.SignedJWT;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.tlswatch.tlsserver.handshake.Established;
import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.event.LicenseCheckEvent;
import io.tlswatch.contract.event.ProofKind;
import io.tlswatch.contract.publish.EventSink;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The license API handler in an {@link EmbeddedChannel}, over a {@link LicenseService} of real parts. */
class LicenseApiHandlerTest {

    private static final String JA4 = "t13d1516h2_8daaf6152771_e5627efa2ab1";

    private final LicenseServiceTest.Parts parts = new LicenseServiceTest.Parts();
    private final List<Published> published = new ArrayList<>();
    private final EventSink sink = new EventSink() {
        @Override
        public <V extends Event> boolean publish(Topic<String, V> topic, V event) {
            return published.add(new Published(topic, event));
        }
    };
    private final ApiMetrics metrics = new ApiMetrics(parts.meters);

    private record Published(Topic<?, ?> topic, Event event) {
    }

    private record Answer(HttpResponseStatus status, String contentType, String connection, String cacheControl,
                          JsonNode body) {
        JsonNode error() {
            return body.get("error");
        }
    }

    private EmbeddedChannel channel(boolean proofRequired) {
        // Validations decided at once, on the calling thread: the answer is out when writeInbound returns.
        return channel(proofRequired, Runnable::run);
    }

    private EmbeddedChannel channel(boolean proofRequired, Executor work) {
        return new EmbeddedChannel(new LicenseApiHandler(new ValidateRequestReader(), parts.service(proofRequired),
                parts.keys::jwks, sink, Topics.LICENSE_CHECKS, metrics, new RefusalLog(Duration.ofSeconds(60), parts.clock),
                () -> new Established("TLSv1.3", "TLS_AES_128_GCM_SHA256", null, JA4), work));
    }

    /** An executor that runs what it was given only when told: a validation stays out until then. */
    private static final class HeldExecutor implements Executor {
        private final Queue<Runnable> held = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            held.add(task);
        }

        int size() {
            return held.size();
        }

        void runAll() {
            Runnable task;
            while ((task = held.poll()) != null) {
                task.run();
            }
        }
    }

    private static Answer answer(FullHttpResponse response) throws IOException {
        assertThat(response).as("a response").isNotNull();
        try {
            return new Answer(response.status(), response.headers().get(HttpHeaderNames.CONTENT_TYPE),
                    response.headers().get(HttpHeaderNames.CONNECTION),
                    response.headers().get(HttpHeaderNames.CACHE_CONTROL),
                    Json.reader().readTree(response.content().toString(StandardCharsets.UTF_8)));
        } finally {
            response.release();
        }
    }

    private static FullHttpRequest getJwks() {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, LicenseApiHandler.JWKS_PATH);
    }

    private static FullHttpRequest validate(String body, String contentType) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                LicenseApiHandler.VALIDATE_PATH, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, request.content().readableBytes());
        return request;
    }

    private static FullHttpRequest validate(String body) {
        return validate(body, "application/json");
    }

    private static Answer exchange(EmbeddedChannel channel, FullHttpRequest request) throws IOException {
        channel.writeInbound(request);
        return answer(channel.readOutbound());
    }

    private double rejected(String reason) {
        var counter = parts.meters.find("tlswatch.http.rejected").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private double checks(LicenseCheckCode code) {
        return parts.meters.get("tlswatch.license.checks").tag("code", code.name()).counter().count();
    }

    @Test
    void everyAnswerCarriesTheValidatorsClockAsItsDate() throws Exception {
        // given a client whose proof is refused, and one asking for the keys
        parts.add("TLSW-key-date", b -> b);
        EmbeddedChannel channel = channel(true);
        FullHttpRequest refused = validate("{\"licenseKey\": \"TLSW-key-date\", \"clientId\": \"inst-1\"}");
        refused.headers().set("DPoP", "not-a-proof");

        // when
        channel.writeInbound(refused);
        FullHttpResponse refusal = channel.readOutbound();
        channel.writeInbound(getJwks());
        FullHttpResponse keys = channel.readOutbound();

        // then both say the validator's time (RFC 9110 §6.6.1), which a client holds its own clock against
        try {
            assertThat(refusal.headers().get(HttpHeaderNames.DATE)).isEqualTo("Sat, 14 Mar 2026 09:00:00 GMT");
            assertThat(keys.headers().get(HttpHeaderNames.DATE)).isEqualTo("Sat, 14 Mar 2026 09:00:00 GMT");
        } finally {
            refusal.release();
            keys.release();
        }
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aValidCheckWithADpopProofGetsATokenAndOneEvent() throws Exception {
        // given an active license and a client with its own key
        String licenseId = parts.add("TLSW-key-1", b -> b).licenseId();
        ECKey key = LicenseServiceTest.Parts.clientKey();
        EmbeddedChannel channel = channel(true);
        FullHttpRequest request = validate("{\"licenseKey\": \"TLSW-key-1\", \"clientId\": \"inst-1\", "
                + "\"sdk\": {\"name\": \"tlswatch-java\", \"version\": \"1.2.0\"}}");
        request.headers().set("DPoP", parts.proof(key));

        // when
        Answer answer = exchange(channel, request);

        // then 200 with a token bound to the key
        assertThat(answer.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(answer.contentType()).isEqualTo("application/json");
        assertThat(answer.cacheControl()).isEqualTo("no-store");
        assertThat(answer.body().get("valid").asBoolean()).isTrue();
        assertThat(answer.body().get("code").asText()).isEqualTo("VALID");
        assertThat(answer.body().get("license").get("id").asText()).isEqualTo(licenseId);
        assertThat(answer.body().get("expiresAt").asText()).isEqualTo("2026-03-14T09:15:00.000Z");
        assertThat(answer.body().get("license").get("gracePeriod").asText()).isEqualTo("PT0S");
        SignedJWT token = SignedJWT.parse(answer.body().get("token").asText());
        assertThat(token.getHeader().getKeyID()).isEqualTo(parts.keys.current().kid());
        assertThat(token.getJWTClaimsSet().getJSONObjectClaim("cnf"))
                .containsOnly(Map.entry("jkt", key.computeThumbprint().toString()));
        // and exactly one license-check event on its topic, with the connection's fingerprint
        assertThat(published).hasSize(1);
        assertThat(published.get(0).topic()).isSameAs(Topics.LICENSE_CHECKS);
        LicenseCheckEvent event = (LicenseCheckEvent) published.get(0).event();
        assertThat(event.code()).isEqualTo(LicenseCheckCode.VALID);
        assertThat(event.clientId()).isEqualTo("inst-1");
        assertThat(event.licenseId()).isEqualTo(licenseId);
        assertThat(event.proof()).isEqualTo(ProofKind.DPOP);
        assertThat(event.ja4()).isEqualTo(JA4);
        assertThat(event.tlsProtocol()).as("what the handshake settled").isEqualTo("TLSv1.3");
        assertThat(event.cipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(event.sdk().name()).isEqualTo("tlswatch-java");
        // and the keep-alive connection stays open
        assertThat(channel.isOpen()).isTrue();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aCheckWithoutProofIsAnsweredProofRequired() throws Exception {
        parts.add("TLSW-key-1", b -> b);
        EmbeddedChannel channel = channel(true);

        Answer answer = exchange(channel, validate("{\"licenseKey\": \"TLSW-key-1\", \"clientId\": \"inst-1\"}"));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(answer.body().get("valid").asBoolean()).isFalse();
        assertThat(answer.body().get("code").asText()).isEqualTo("PROOF_REQUIRED");
        assertThat(answer.body().has("token")).isFalse();
        assertThat(published).singleElement().extracting(p -> ((LicenseCheckEvent) p.event()).code())
                .isEqualTo(LicenseCheckCode.PROOF_REQUIRED);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void checksAreCountedAndTimedByCode() throws Exception {
        // given
        parts.add("TLSW-key-1", b -> b);
        EmbeddedChannel channel = channel(true);
        FullHttpRequest valid = validate("{\"licenseKey\": \"TLSW-key-1\", \"clientId\": \"inst-1\"}");
        valid.headers().set("DPoP", parts.proof(LicenseServiceTest.Parts.clientKey()));

        // when one valid, one unknown and one unproven check arrive
        exchange(channel, valid);
        exchange(channel, validate("{\"licenseKey\": \"TLSW-nope\", \"clientId\": \"inst-1\"}"));
        exchange(channel, validate("{\"licenseKey\": \"TLSW-key-1\", \"clientId\": \"inst-2\"}"));

        // then
        assertThat(checks(LicenseCheckCode.VALID)).isEqualTo(1.0);
        assertThat(checks(LicenseCheckCode.NOT_FOUND)).isEqualTo(1.0);
        assertThat(checks(LicenseCheckCode.PROOF_REQUIRED)).isEqualTo(1.0);
        assertThat(checks(LicenseCheckCode.REVOKED)).as("every code is a series from the start").isZero();
        assertThat(parts.meters.get("tlswatch.license.validation.duration").tag("code", "VALID").timer().count())
                .isEqualTo(1);
        assertThat(published).hasSize(3);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void refusalsAreCountedByReasonEveryKnownReasonFromTheStart() throws Exception {
        // given a client whose clock is two hours ahead, and one with an unknown key
        parts.add("TLSW-key-1", b -> b);
        EmbeddedChannel channel = channel(true);
        FullHttpRequest skewed = validate("{\"licenseKey\": \"TLSW-key-1\", \"clientId\": \"inst-1\"}");
        skewed.headers().set("DPoP", parts.proof(LicenseServiceTest.Parts.clientKey(),
                LicenseServiceTest.Parts.VALIDATE_URI, LicenseServiceTest.Parts.NOW.plus(Duration.ofHours(2))));

        // when both ask
        exchange(channel, skewed);
        exchange(channel, validate("{\"licenseKey\": \"TLSW-nope\", \"clientId\": \"inst-2\"}"));

        // then each refusal is counted by its reason, and the event carries it with the clock offset
        assertThat(refusals("iat_out_of_window")).isEqualTo(1.0);
        assertThat(refusals("not_found")).isEqualTo(1.0);
        assertThat(RefusalReasons.KNOWN).allSatisfy(reason -> assertThat(parts.meters.find("tlswatch.license.refusals")
                .tag("reason", reason).counter()).as("registered at start: %s", reason).isNotNull());
        assertThat(refusals("bad_signature")).isZero();
        assertThat(parts.meters.find("tlswatch.license.refusals").counters()).hasSize(RefusalReasons.KNOWN.size());
        LicenseCheckEvent event = (LicenseCheckEvent) published.get(0).event();
        assertThat(event.refusal()).isEqualTo("iat_out_of_window");
        assertThat(event.proofClockOffset()).isEqualTo(7_200L);
        assertFalse(channel.finishAndReleaseAll());
    }

    private double refusals(String reason) {
        return parts.meters.get("tlswatch.license.refusals").tag("reason", reason).counter().count();
    }

    @ParameterizedTest(name = "Content-Type: {0}")
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/jsonp"})
    void aBodyThatIsNotJsonIs415NamingContentType(String contentType) throws Exception {
        EmbeddedChannel channel = channel(true);

        Answer answer = exchange(channel, validate("{}", contentType));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE);
        assertThat(answer.error().get("code").asText()).isEqualTo("unsupported_media_type");
        assertThat(answer.error().get("field").asText()).isEqualTo("Content-Type");
        assertThat(published).isEmpty();
        assertThat(rejected("unsupported_media_type")).isEqualTo(1.0);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aMissingContentTypeIs415() throws Exception {
        EmbeddedChannel channel = channel(true);

        Answer answer = exchange(channel, validate("{}", null));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE);
        assertThat(answer.error().get("field").asText()).isEqualTo("Content-Type");
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void jsonWithACharsetParameterIsAccepted() throws Exception {
        EmbeddedChannel channel = channel(true);

        Answer answer = exchange(channel, validate("{\"licenseKey\": \"TLSW-nope\", \"clientId\": \"inst-1\"}",
                "Application/JSON; charset=utf-8"));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(answer.body().get("code").asText()).isEqualTo("NOT_FOUND");
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aMissingFieldIs422NamingTheField() throws Exception {
        EmbeddedChannel channel = channel(true);

        Answer answer = exchange(channel, validate("{\"licenseKey\": \"TLSW-key-1\"}"));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.UNPROCESSABLE_ENTITY);
        assertThat(answer.error().get("code").asText()).isEqualTo("invalid_field");
        assertThat(answer.error().get("field").asText()).isEqualTo("/clientId");
        assertThat(answer.error().get("message").asText()).isEqualTo("clientId is required");
        assertThat(published).as("a refused request is no license check").isEmpty();
        assertThat(rejected("invalid_field")).isEqualTo(1.0);
        assertThat(channel.isOpen()).as("a client error does not cost the connection").isTrue();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void malformedJsonIs400WithoutAField() throws Exception {
        EmbeddedChannel channel = channel(true);

        Answer answer = exchange(channel, validate("{\"licenseKey\": "));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(answer.error().get("code").asText()).isEqualTo("malformed_json");
        assertThat(answer.error().has("field")).isFalse();
        assertThat(answer.error().get("message").asText()).startsWith("the body is not valid JSON");
        assertThat(rejected("malformed_json")).isEqualTo(1.0);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void anUnknownPathIs404() throws Exception {
        EmbeddedChannel channel = channel(true);

        Answer answer = exchange(channel, new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                "/v1/licenses?key=x"));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(answer.error().get("code").asText()).isEqualTo("not_found");
        assertThat(answer.error().get("message").asText()).isEqualTo("no such endpoint: /v1/licenses");
        assertThat(rejected("not_found")).isEqualTo(1.0);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void validateTakesOnlyPost() throws Exception {
        EmbeddedChannel channel = channel(true);

        Answer answer = exchange(channel, new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                LicenseApiHandler.VALIDATE_PATH));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertThat(answer.error().get("code").asText()).isEqualTo("method_not_allowed");
        assertThat(rejected("method_not_allowed")).isEqualTo(1.0);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void jwksTakesOnlyGetAndHead() throws Exception {
        EmbeddedChannel channel = channel(true);

        Answer answer = exchange(channel, validate("{}", "application/json").setUri(LicenseApiHandler.JWKS_PATH));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void jwksServesThePublicSigningKeys() throws Exception {
        EmbeddedChannel channel = channel(true);

        Answer answer = exchange(channel, new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                LicenseApiHandler.JWKS_PATH));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(answer.contentType()).isEqualTo("application/jwk-set+json");
        assertThat(answer.cacheControl()).isEqualTo("public, max-age=60");
        JsonNode keys = answer.body().get("keys");
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).get("kid").asText()).isEqualTo(parts.keys.current().kid());
        assertThat(keys.get(0).has("d")).as("no private part").isFalse();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void connectionCloseFromTheClientIsHonoured() throws Exception {
        EmbeddedChannel channel = channel(true);
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                LicenseApiHandler.JWKS_PATH);
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);

        Answer answer = exchange(channel, request);

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(answer.connection()).isEqualTo("close");
        assertThat(channel.isOpen()).isFalse();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void anIdleConnectionIsClosed() {
        // given an open keep-alive connection
        EmbeddedChannel channel = channel(true);

        // when the idle handler in front reports it idle
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);

        // then it is closed, without a response
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.<Object>readOutbound()).isNull();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aHeadTooLargeForTheDecoderIs431AndTheConnectionIsClosed() throws Exception {
        // given a request the HTTP decoder gave up on, as HttpObjectDecoder hands it on
        EmbeddedChannel channel = channel(true);
        FullHttpRequest broken = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad-request");
        broken.setDecoderResult(DecoderResult.failure(new TooLongFrameException("HTTP header is larger than 8192 bytes.")));

        // when
        Answer answer = exchange(channel, broken);

        // then
        assertThat(answer.status()).isEqualTo(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE);
        assertThat(answer.error().get("code").asText()).isEqualTo("head_too_large");
        assertThat(answer.connection()).isEqualTo("close");
        assertThat(channel.isOpen()).as("the decoder cannot resynchronise: the connection goes").isFalse();
        assertThat(rejected("head_too_large")).isEqualTo(1.0);
        assertThat(published).isEmpty();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void anyOtherDecoderFailureIs400AndTheConnectionIsClosed() throws Exception {
        EmbeddedChannel channel = channel(true);
        FullHttpRequest broken = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad-request");
        broken.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("invalid version format")));

        Answer answer = exchange(channel, broken);

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(answer.error().get("code").asText()).isEqualTo("malformed_http");
        assertThat(channel.isOpen()).isFalse();
        assertThat(rejected("malformed_http")).isEqualTo(1.0);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void theJwksIsAnsweredOnTheEventLoopWithoutTheExecutor() throws Exception {
        // given an executor that would hold anything given to it
        HeldExecutor work = new HeldExecutor();
        EmbeddedChannel channel = channel(true, work);

        // when
        Answer answer = exchange(channel, getJwks());

        // then
        assertThat(answer.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(work.size()).isZero();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aValidationIsDecidedOnTheExecutorAndTheConnectionReadsNothingMeanwhile() throws Exception {
        // given
        parts.add("TLSW-key-1", b -> b);
        HeldExecutor work = new HeldExecutor();
        EmbeddedChannel channel = channel(true, work);

        // when a validation arrives
        channel.writeInbound(validate("{\"licenseKey\": \"TLSW-key-1\", \"clientId\": \"inst-1\"}"));

        // then it waits for the executor, with reading paused
        assertThat(work.size()).isEqualTo(1);
        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(published).isEmpty();

        // and once decided it is answered and reading resumes
        work.runAll();
        Answer answer = answer(channel.readOutbound());
        assertThat(answer.body().get("code").asText()).isEqualTo("PROOF_REQUIRED");
        assertThat(published).hasSize(1);
        assertThat(channel.config().isAutoRead()).isTrue();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void requestsPipelinedBehindAValidationAreAnsweredAfterItInOrder() throws Exception {
        // given a validation on the executor, and behind it on the same connection a JWKS GET, another
        // validation and an unknown path, already decoded
        parts.add("TLSW-key-1", b -> b);
        HeldExecutor work = new HeldExecutor();
        EmbeddedChannel channel = channel(true, work);
        channel.writeInbound(validate("{\"licenseKey\": \"TLSW-key-1\", \"clientId\": \"inst-1\"}"));
        channel.writeInbound(getJwks());
        channel.writeInbound(validate("{\"licenseKey\": \"TLSW-nope\", \"clientId\": \"inst-1\"}"));
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/v1/nothing"));
        assertThat(channel.<Object>readOutbound()).as("the GET waits for the validation before it").isNull();

        // when the first validation is decided
        work.runAll();

        // then its answer, the JWKS, and the second validation's answer follow in order; the unknown path waits
        // for the second validation, decided in the same run
        assertThat(answer(channel.readOutbound()).body().get("code").asText()).isEqualTo("PROOF_REQUIRED");
        assertThat(answer(channel.readOutbound()).body().has("keys")).isTrue();
        assertThat(answer(channel.readOutbound()).body().get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(answer(channel.readOutbound()).status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(channel.config().isAutoRead()).isTrue();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void requestsWaitingWhenTheConnectionCloseAreReleasedAndTheDecisionStillCounts() {
        // given a validation out and a GET waiting behind it
        parts.add("TLSW-key-1", b -> b);
        HeldExecutor work = new HeldExecutor();
        EmbeddedChannel channel = channel(true, work);
        channel.writeInbound(validate("{\"licenseKey\": \"TLSW-key-1\", \"clientId\": \"inst-1\"}"));
        FullHttpRequest waiting = getJwks();
        channel.writeInbound(waiting);

        // when the client goes away before the decision
        channel.close();
        work.runAll();

        // then the waiting request is freed, and the check that was decided is still an event
        assertThat(waiting.refCnt()).isZero();
        assertThat(published).hasSize(1);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aValidationAskingToCloseDropsWhatWasPipelinedBehindIt() throws Exception {
        // given a validation with Connection: close, and a GET pipelined behind it regardless
        parts.add("TLSW-key-1", b -> b);
        HeldExecutor work = new HeldExecutor();
        EmbeddedChannel channel = channel(true, work);
        FullHttpRequest last = validate("{\"licenseKey\": \"TLSW-key-1\", \"clientId\": \"inst-1\"}");
        last.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        channel.writeInbound(last);
        FullHttpRequest behind = getJwks();
        channel.writeInbound(behind);

        // when
        work.runAll();

        // then one answer, then the connection ends
        Answer answer = answer(channel.readOutbound());
        assertThat(answer.connection()).isEqualTo("close");
        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(channel.isOpen()).isFalse();
        assertThat(behind.refCnt()).isZero();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aValidationTheExecutorRefusesIs503ShuttingDownAndClosesTheConnection() throws Exception {
        // given an executor already shut down
        parts.add("TLSW-key-1", b -> b);
        EmbeddedChannel channel = channel(true, task -> {
            throw new RejectedExecutionException("terminated");
        });

        // when
        Answer answer = exchange(channel, validate("{\"licenseKey\": \"TLSW-key-1\", \"clientId\": \"inst-1\"}"));

        // then
        assertThat(answer.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
        assertThat(answer.error().get("code").asText()).isEqualTo("shutting_down");
        assertThat(channel.isOpen()).isFalse();
        assertThat(rejected("shutting_down")).isEqualTo(1.0);
        assertThat(published).isEmpty();
        assertFalse(channel.finishAndReleaseAll());
    }
}
