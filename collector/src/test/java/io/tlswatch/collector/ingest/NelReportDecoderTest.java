package io.tlswatch.collector.ingest;

import io.tlswatch.collector.BrowserNel;
import io.tlswatch.collector.ReportJson;
import io.tlswatch.contract.event.Arrival;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.ReportFormat;
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
        // given a deprecation report and a NEL success sample
        String batch = "[{\"age\": 0, \"type\": \"deprecation\", \"url\": \"https://x/\", \"body\": {\"id\": \"x\"}}, "
                + ReportJson.nel(0, "https://x/").replace("tls.cert.authority_invalid", "ok") + "]";

        // when decoded
        Decoded.Accepted accepted = (Decoded.Accepted) decode(batch, HTTP);

        // then neither is stored, and both are well-formed reports ignored, not skipped
        assertThat(accepted.reports()).isEmpty();
        assertThat(accepted.ignored()).isEqualTo(2);
        assertThat(accepted.skipped()).isEmpty();
        assertThat(accepted.skips()).extracting(Skip::reason)
                .containsExactly(SkipReason.OTHER_TYPE, SkipReason.SUCCESS_SAMPLE);
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
    void chromesConnectionPhaseTlsFailuresWithEmptyAddressAndProtocolAreTaken() {
        // given Chrome's batch of two TLS failures, the first with "server_ip": "" and "protocol": ""
        String batch = BrowserNel.chromeConnectionFailures("https://portal.example.com/");

        // when decoded
        Decoded.Accepted accepted = (Decoded.Accepted) decode(batch, HTTP);

        // then both are taken; the empty fields are absent, the rest as Chrome said
        assertThat(accepted.skips()).isEmpty();
        assertThat(accepted.reports()).hasSize(2);
        ClientReportEvent mismatch = accepted.reports().get(0).event();
        assertThat(mismatch.errorClass()).isEqualTo("tls.version_or_cipher_mismatch");
        assertThat(mismatch.endpoint()).isEqualTo("https://portal.example.com/");
        assertThat(mismatch.occurredAt()).isEqualTo(NOW.minusMillis(41_270));
        assertThat(mismatch.nel().phase()).isEqualTo("connection");
        assertThat(mismatch.nel().serverIp()).isNull();
        assertThat(mismatch.nel().protocol()).isNull();
        assertThat(mismatch.nel().statusCode()).isZero();
        assertThat(mismatch.nel().elapsedMillis()).isEqualTo(48L);
        assertThat(mismatch.nel().userAgent()).isEqualTo(BrowserNel.CHROME_UA);
        ClientReportEvent untrusted = accepted.reports().get(1).event();
        assertThat(untrusted.errorClass()).isEqualTo("tls.cert.authority_invalid");
        assertThat(untrusted.nel().protocol()).isEqualTo("unknown");
        assertThat(untrusted.nel().serverIp()).isEqualTo("203.0.113.10");
        assertThat(accepted.reports().get(0).dedupKey()).isNotEqualTo(accepted.reports().get(1).dedupKey());
    }

    @Test
    void chromesUnknownErrorTypeIsTakenAsItsErrorClass() {
        Decoded.Accepted accepted = (Decoded.Accepted) decode("[" + BrowserNel.chromeUnknownError("https://x.example/")
                + "]", HTTP);
        assertThat(accepted.reports()).singleElement()
                .satisfies(c -> assertThat(c.event().errorClass()).isEqualTo("unknown"));
    }

    @Test
    void firefoxsReportWithoutAgeOrStatusCodeIsTakenAsReceivedNow() {
        // given Firefox's single-report batch: no age, no status_code, its nsresult as the type
        String batch = BrowserNel.firefoxUnknownIssuer("https://portal.example.com/licenses");

        // when decoded
        Decoded.Accepted accepted = (Decoded.Accepted) decode(batch, HTTP);

        // then it is taken, timed at receipt, with status 0 (none) as NEL means it
        ClientReportEvent event = accepted.reports().get(0).event();
        assertThat(event.occurredAt()).isEqualTo(NOW);
        assertThat(event.time()).isEqualTo(NOW);
        assertThat(event.errorClass()).isEqualTo("unknown2153390067");
        assertThat(event.nel().statusCode()).isZero();
        assertThat(event.nel().elapsedMillis()).isEqualTo(1L);
        assertThat(event.nel().protocol()).isEqualTo("h2");
        assertThat(event.nel().userAgent()).contains("Firefox/128.0");
    }

    @Test
    void firefoxsDowngradedReportWithoutElapsedTimeIsTaken() {
        ClientReportEvent event = ((Decoded.Accepted) decode(BrowserNel.firefoxAddressChanged("https://x.example/"),
                HTTP)).reports().get(0).event();
        assertThat(event.errorClass()).isEqualTo("dns.address_changed");
        assertThat(event.nel().phase()).isEqualTo("dns");
        assertThat(event.nel().elapsedMillis()).isNull();
    }

    @Test
    void unusableOptionalFieldsAndUnknownFieldsAreLeftOutNotHeldAgainstTheReport() {
        // given a network error whose diagnostic fields are of the wrong type or out of range, with extra fields
        String item = "{\"age\": 10, \"type\": \"network-error\", \"url\": \"https://x.example/\", \"user_agent\": 7,"
                + " \"attempts\": 2, \"body\": {\"phase\": \"connection\", \"type\": \"tls.protocol.error\","
                + " \"server_ip\": [\"203.0.113.1\"], \"protocol\": {}, \"status_code\": \"0\", \"elapsed_time\": -5,"
                + " \"referrer\": null, \"method\": 1, \"request_headers\": {}, \"sxg\": {\"outer_url\": \"x\"}}}";

        // when decoded
        Decoded.Accepted accepted = (Decoded.Accepted) decode("[" + item + "]", HTTP);

        // then the report is taken without them
        ClientReportEvent event = accepted.reports().get(0).event();
        assertThat(event.errorClass()).isEqualTo("tls.protocol.error");
        assertThat(event.nel().serverIp()).isNull();
        assertThat(event.nel().protocol()).isNull();
        assertThat(event.nel().statusCode()).isZero();
        assertThat(event.nel().elapsedMillis()).isNull();
        assertThat(event.nel().userAgent()).isNull();
    }

    @Test
    void oneGarbageItemIsSkippedAndTheGoodOnesAroundItAreTaken() {
        // given a good report, a string, and another good report
        String batch = "[" + ReportJson.nel(100, "https://a.example/") + ", \"garbage\", "
                + ReportJson.nel(200, "https://b.example/") + "]";

        // when decoded
        Decoded.Accepted accepted = (Decoded.Accepted) decode(batch, HTTP);

        // then two reports are taken and the string is skipped, named by its index
        assertThat(accepted.reports()).extracting(c -> c.event().endpoint())
                .containsExactly("https://a.example/", "https://b.example/");
        assertThat(accepted.received()).isEqualTo(3);
        assertThat(accepted.skipped()).singleElement().satisfies(skip -> {
            assertThat(skip.reason()).isEqualTo(SkipReason.NOT_AN_OBJECT);
            assertThat(skip.problems()).extracting(Problem::field).containsExactly("/1");
        });
    }

    @Test
    void unreadableItemsAreSkippedByTheReasonOfTheirFirstProblem() {
        // given network errors missing their url, their body, their body's type; a wrong age; a bad error type
        String batch = "["
                + "{\"type\": \"network-error\", \"age\": 1, \"body\": {\"type\": \"tcp.reset\", \"phase\": \"connection\"}},"
                + "{\"type\": \"network-error\", \"age\": 1, \"url\": \"https://x/\"},"
                + "{\"type\": \"network-error\", \"age\": 1, \"url\": \"https://x/\", \"body\": {\"phase\": \"dns\"}},"
                + "{\"type\": \"network-error\", \"age\": \"1\", \"url\": \"https://x/\", \"body\": {\"type\": \"tcp.reset\", \"phase\": \"connection\"}},"
                + "{\"type\": \"network-error\", \"age\": -1, \"url\": \"https://x/\", \"body\": {\"type\": \"TLS Error!\", \"phase\": \"connection\"}},"
                + "{\"type\": 3},"
                + "{\"type\": \"network-error\", \"url\": \"https://x/\", \"body\": \"tls\"},"
                + "[]]";
        NelReportDecoder decoder = new NelReportDecoder(10, Plausibility.DEFAULTS, "collector@node-1");

        // when decoded
        Decoded.Accepted accepted = (Decoded.Accepted) decoder.decode(batch.getBytes(StandardCharsets.UTF_8), HTTP);

        // then every item is skipped, each with its reason and its problems named by pointer
        assertThat(accepted.reports()).isEmpty();
        assertThat(accepted.skipped()).extracting(Skip::reason).containsExactly(SkipReason.MISSING,
                SkipReason.MISSING, SkipReason.MISSING, SkipReason.WRONG_TYPE, SkipReason.INVALID_VALUE,
                SkipReason.WRONG_TYPE, SkipReason.WRONG_TYPE, SkipReason.NOT_AN_OBJECT);
        assertThat(accepted.skipped()).flatExtracting(Skip::problems).extracting(Problem::field).containsExactly(
                "/0/url", "/1/body", "/2/body/type", "/3/age", "/4/age", "/4/body/type", "/5/type", "/6/body", "/7");
    }

    @Test
    void anEmptyArrayIsAnEmptyBatch() {
        Decoded.Accepted accepted = (Decoded.Accepted) decode("[]", HTTP);
        assertThat(accepted.received()).isZero();
        assertThat(accepted.reports()).isEmpty();
        assertThat(accepted.skips()).isEmpty();
    }

    @Test
    void aBodyThatIsNotAJsonArrayWithinTheBatchLimitIsRefused() {
        assertThat(((Decoded.Refused) decode("{}", HTTP)).refusal().status()).isEqualTo(422);
        assertThat(((Decoded.Refused) decode("\"x\"", HTTP)).refusal().status()).isEqualTo(422);
        assertThat(((Decoded.Refused) decode("[", HTTP)).refusal().status()).isEqualTo(400);
        assertThat(((Decoded.Refused) decode("[{},{},{},{},{},{}]", HTTP)).refusal().status()).isEqualTo(413);
    }
}
