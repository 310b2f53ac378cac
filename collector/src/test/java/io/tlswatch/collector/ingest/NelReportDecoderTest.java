package io.tlswatch.collector.ingest;

import io.tlswatch.collector.ReportJson;
import io.tlswatch.common.event.Arrival;
import io.tlswatch.common.event.ClientReportEvent;
import io.tlswatch.common.event.ReportFormat;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class NelReportDecoderTest {

    private static final Instant NOW = Instant.parse("2025-03-14T09:26:41.589Z");
    private static final Received HTTP = new Received(NOW, "192.0.2.58", new Arrival("http", null, null, null), null);

    private final NelReportDecoder decoder = new NelReportDecoder(5, Plausibility.DEFAULTS, "collector@node-1");

    private Decoded decode(String body, Received received) {
        return decoder.decode(body.getBytes(StandardCharsets.UTF_8), received);
    }

    @Test
    void aNetworkErrorBecomesAReportTimedByItsAge() {
        Decoded.Accepted accepted = (Decoded.Accepted) decode("[" + ReportJson.nel(2_450, "https://portal.example.com/")
                + "]", HTTP);
        ClientReportEvent event = accepted.reports().get(0).event();
        assertThat(event.format()).isEqualTo(ReportFormat.NEL);
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2025-03-14T09:26:39.139Z"));
        assertThat(event.time()).isEqualTo(event.occurredAt());
        assertThat(event.clientId()).isNull();
        assertThat(event.key()).isEqualTo("192.0.2.58");
        assertThat(event.errorClass()).isEqualTo("tls.cert.authority_invalid");
        assertThat(event.endpoint()).isEqualTo("https://portal.example.com/");
        assertThat(event.nel().protocol()).isEqualTo("http/1.1");
        assertThat(event.reportId()).matches("nel-[0-9a-f]{16}");
        assertThat(accepted.reports().get(0).dedupKey()).isEqualTo(event.reportId());
    }

    @Test
    void aSignedBatchNamesItsSignerAndAnUnsignedOneNone() {
        String signer = "v0jhI0Q-ai3O-j9g53YQRviyxrPxfd7eElWg08odN4w";
        Received signed = new Received(NOW, HTTP.remoteAddress(), HTTP.arrival(), signer);

        ClientReportEvent fromSigned = ((Decoded.Accepted) decode("[" + ReportJson.nel(1_000, "https://a.example/")
                + "]", signed)).reports().get(0).event();
        ClientReportEvent fromUnsigned = ((Decoded.Accepted) decode("[" + ReportJson.nel(1_000, "https://a.example/")
                + "]", HTTP)).reports().get(0).event();

        assertThat(fromSigned.authenticated()).isTrue();
        assertThat(fromSigned.signerJkt()).isEqualTo(signer);
        assertThat(fromUnsigned.authenticated()).isFalse();
        assertThat(fromUnsigned.signerJkt()).isNull();
    }

    @Test
    void aUserAgentsRetryOfTheSameReportGetsTheSameId() {
        String first = ((Decoded.Accepted) decode("[" + ReportJson.nel(1_000, "https://a.example/") + "]", HTTP))
                .reports().get(0).event().reportId();
        Received later = new Received(NOW.plusSeconds(3), HTTP.remoteAddress(), HTTP.arrival(), null);
        String retried = ((Decoded.Accepted) decode("[" + ReportJson.nel(4_000, "https://a.example/") + "]", later))
                .reports().get(0).event().reportId();
        String otherUrl = ((Decoded.Accepted) decode("[" + ReportJson.nel(1_000, "https://b.example/") + "]", HTTP))
                .reports().get(0).event().reportId();
        assertThat(retried).isEqualTo(first);
        assertThat(otherUrl).isNotEqualTo(first);
    }

    @Test
    void otherReportTypesAndSuccessSamplesAreIgnored() {
        Decoded.Accepted accepted = (Decoded.Accepted) decode("[{\"age\": 0, \"type\": \"deprecation\", \"url\": \"https://x/\","
                + " \"body\": {\"id\": \"x\"}}, " + ReportJson.nel(0, "https://x/").replace("tls.cert.authority_invalid", "ok")
                + "]", HTTP);
        assertThat(accepted.reports()).isEmpty();
        assertThat(accepted.ignored()).isEqualTo(2);
        assertThat(accepted.received()).isEqualTo(2);
    }

    @Test
    void aReportOlderThanPlausibleIsFlagged() {
        long age = Duration.ofDays(40).toMillis();
        ClientReportEvent event = ((Decoded.Accepted) decode("[" + ReportJson.nel(age, "https://x/") + "]", HTTP))
                .reports().get(0).event();
        assertThat(event.flags()).containsExactly(ClientReportEvent.FLAG_TOO_OLD);
        assertThat(event.time()).isEqualTo(NOW);
    }

    @Test
    void problemsAreNamedByPointerAndTheBatchIsRefusedWhole() {
        Decoded decoded = decode("[" + ReportJson.nel(0, "https://x/") + ", {\"type\": \"network-error\", \"age\": -1,"
                + " \"url\": \"https://x/\", \"body\": {\"type\": \"tcp.timed_out\", \"status_code\": \"0\"}}, {\"type\": \"x\"}]",
                HTTP);
        Refusal refusal = ((Decoded.Refused) decoded).refusal();
        assertThat(refusal.status()).isEqualTo(422);
        assertThat(refusal.problems()).extracting(Problem::field).containsExactly("/1/age", "/1/body/phase",
                "/1/body/status_code", "/2/age", "/2/url", "/2/body");
    }

    @Test
    void theBodyMustBeANonEmptyArrayWithinTheBatchLimit() {
        assertThat(((Decoded.Refused) decode("{}", HTTP)).refusal().status()).isEqualTo(422);
        assertThat(((Decoded.Refused) decode("[]", HTTP)).refusal().status()).isEqualTo(422);
        assertThat(((Decoded.Refused) decode("[", HTTP)).refusal().status()).isEqualTo(400);
        assertThat(((Decoded.Refused) decode("[{},{},{},{},{},{}]", HTTP)).refusal().status()).isEqualTo(413);
    }
}
