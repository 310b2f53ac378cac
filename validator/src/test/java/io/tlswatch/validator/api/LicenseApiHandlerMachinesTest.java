package io.tlswatch.validator.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.publish.EventSink;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.tlsserver.handshake.Established;
import io.tlswatch.validator.license.DefaultTerms;
import io.tlswatch.validator.license.LicenseDecision;
import io.tlswatch.validator.machine.InMemoryMachineLog;
import io.tlswatch.validator.machine.MachineLedger;
import io.tlswatch.validator.machine.MachineMetrics;
import io.tlswatch.validator.machine.SharedMachines;
import io.tlswatch.validator.token.DpopSettings;
import io.tlswatch.validator.token.DpopVerifier;
import io.tlswatch.validator.token.ReplayCache;
import io.tlswatch.validator.token.TokenIssuer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The machine endpoints' routes in the license API handler, over real parts and one replica's machines. */
class LicenseApiHandlerMachinesTest {

    private final LicenseServiceTest.Parts parts = new LicenseServiceTest.Parts();
    private final Map<String, LicenseRecord> byKeyHash = new HashMap<>();
    private final MachineLedger ledger = new MachineLedger(id -> 1);
    private final SharedMachines machines = new SharedMachines(ledger, new InMemoryMachineLog(ledger),
            new MachineMetrics(new SimpleMeterRegistry(), ledger), Duration.ofSeconds(5), "validator@test");
    private final LicenseService licenses = new LicenseService(
            new LicenseDecision(hash -> Optional.ofNullable(byKeyHash.get(hash)),
                    new DefaultTerms(Duration.ofHours(24), Duration.ofMinutes(15), false), machines),
            new DpopVerifier(DpopSettings.defaults(), new ReplayCache(1_000, parts.clock), parts.clock),
            new TokenIssuer(parts.keys, parts.tokenSettings, parts.clock),
            URI.create("https://licenses.tlswatch.test" + LicenseApiHandler.VALIDATE_PATH), parts.clock,
            "validator@test", machines::machine);
    private final List<Event> published = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(new LicenseApiHandler(new ValidateRequestReader(),
            licenses, new MachineService(licenses, machines, path -> URI.create("https://licenses.tlswatch.test" + path),
            parts.meters), parts.keys::jwks, new EventSink() {
                @Override
                public <V extends Event> boolean publish(Topic<String, V> topic, V event) {
                    return published.add(event);
                }
            }, Topics.LICENSE_CHECKS, new ApiMetrics(parts.meters), new RefusalLog(Duration.ofSeconds(60), parts.clock),
            () -> new Established("TLSv1.3", "TLS_AES_128_GCM_SHA256", null, null), Runnable::run));

    private record Answer(HttpResponseStatus status, JsonNode body) {
    }

    private Answer exchange(HttpMethod method, String path, String body) throws IOException {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        request.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, request.content().readableBytes());
        channel.writeInbound(request);
        FullHttpResponse response = channel.readOutbound();
        try {
            return new Answer(response.status(), Json.reader().readTree(response.content().toString(StandardCharsets.UTF_8)));
        } finally {
            response.release();
        }
    }

    private void license(String key) {
        LicenseRecord license = parts.add(key, b -> b.maxMachines(1));
        byKeyHash.put(license.keyHash(), license);
    }

    @Test
    void activate_heartbeat_and_deactivate_answer_200_with_their_codes_and_only_activation_is_a_license_check()
            throws Exception {
        // given
        license("key-1");
        String body = "{\"licenseKey\":\"key-1\",\"clientId\":\"inst-1\",\"name\":\"laptop\"}";

        // when
        Answer activated = exchange(HttpMethod.POST, MachineService.ACTIVATE_PATH, body);
        Answer beat = exchange(HttpMethod.POST, MachineService.HEARTBEAT_PATH, body);
        Answer deactivated = exchange(HttpMethod.POST, MachineService.DEACTIVATE_PATH, body);
        Answer again = exchange(HttpMethod.POST, MachineService.HEARTBEAT_PATH, body);

        // then
        assertThat(activated.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(activated.body().path("code").asText()).isEqualTo("VALID");
        assertThat(activated.body().path("machine").path("status").asText()).isEqualTo("active");
        assertThat(beat.body().path("code").asText()).isEqualTo("VALID");
        assertThat(deactivated.body().path("code").asText()).isEqualTo("DEACTIVATED");
        assertThat(again.body().path("code").asText()).isEqualTo("NO_MACHINE");
        assertThat(published).hasSize(1);
    }

    @Test
    void a_bad_name_is_a_422_naming_the_field_and_a_get_is_a_405() throws Exception {
        license("key-1");

        Answer badName = exchange(HttpMethod.POST, MachineService.ACTIVATE_PATH,
                "{\"licenseKey\":\"key-1\",\"clientId\":\"inst-1\",\"name\":\"\"}");
        Answer get = exchange(HttpMethod.GET, MachineService.HEARTBEAT_PATH, "");
        Answer noClient = exchange(HttpMethod.POST, MachineService.DEACTIVATE_PATH, "{\"licenseKey\":\"key-1\"}");

        assertThat(badName.status()).isEqualTo(HttpResponseStatus.UNPROCESSABLE_ENTITY);
        assertThat(badName.body().path("error").path("field").asText()).isEqualTo("/name");
        assertThat(get.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertThat(noClient.body().path("error").path("field").asText()).isEqualTo("/clientId");
        assertThat(ledger.activeTotal()).isZero();
    }
}
