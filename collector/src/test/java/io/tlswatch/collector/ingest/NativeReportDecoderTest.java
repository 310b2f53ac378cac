package io.tlswatch.collector.ingest;

import io.tlswatch.collector.ReportJson;
import io.tlswatch.contract.event.Arrival;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.ReportFormat;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NativeReportDecoderTest {

    private static final Instant NOW = Instant.parse("2025-03-14T09:26:53.589Z");
    private static final String SIGNER = "S9kHL8rQ2VhL8x7Ux7rZfQ48GSjMXuzINbqiogGSzC4";
    private static final Received HTTPS = new Received(NOW, "198.51.100.7",
            new Arrival("https", "TLSv1", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "t10d170300_d4b1867c498c_33a13ba74d1c"),
            SIGNER);

    private final NativeReportDecoder decoder = new NativeReportDecoder(3, Plausibility.DEFAULTS, "collector@node-1");

    private Decoded decode(String body) {
        return decoder.decode(body.getBytes(StandardCharsets.UTF_8), HTTPS);
    }

    private static Refusal refusal(Decoded decoded) {
        assertThat(decoded).isInstanceOf(Decoded.Refused.class);
        return ((Decoded.Refused) decoded).refusal();
    }

    @Test
    void aCompleteReportBecomesAnEnrichedEvent() {
        Decoded decoded = decode(ReportJson.report("r-1", "inst-1", NOW.minusSeconds(60)));

        assertThat(decoded).isInstanceOf(Decoded.Accepted.class);
        Decoded.Accepted accepted = (Decoded.Accepted) decoded;
        assertThat(accepted.received()).isEqualTo(1);
        Candidate candidate = accepted.reports().get(0);
        assertThat(candidate.dedupKey()).isEqualTo("inst-1\u0000r-1");
        ClientReportEvent event = candidate.event();
        assertThat(event.format()).isEqualTo(ReportFormat.NATIVE);
        assertThat(event.time()).isEqualTo(NOW.minusSeconds(60));
        assertThat(event.receivedAt()).isEqualTo(NOW);
        assertThat(event.source()).isEqualTo("collector@node-1");
        assertThat(event.licenseId()).isEqualTo("lic-0042");
        assertThat(event.endpoint()).isEqualTo("https://licenses.example.com/v1/licenses/validate");
        assertThat(event.message()).contains("protocol_version");
        assertThat(event.runtime().vendor()).isEqualTo("Oracle Corporation");
        assertThat(event.tls().library()).isEqualTo("SunJSSE");
        assertThat(event.tls().enabledCipherSuites()).containsExactly("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
        assertThat(event.os()).startsWith("Windows");
        assertThat(event.appVersion()).isEqualTo("4.12.3");
        assertThat(event.clientTime()).isEqualTo(NOW.minusSeconds(60));
        assertThat(event.remoteAddress()).isEqualTo("198.51.100.7");
        assertThat(event.arrival().tlsProtocol()).isEqualTo("TLSv1");
        assertThat(event.authenticated()).isTrue();
        assertThat(event.signerJkt()).as("the verified signature's key").isEqualTo(SIGNER);
        assertThat(event.flags()).isEmpty();
        assertThat(event.via()).as("a direct connection").isNull();
    }

    @Test
    void aReportThroughAProxyCarriesTheProxyAsVia() {
        Received proxied = new Received(NOW, "198.51.100.7", HTTPS.arrival(), SIGNER, "10.0.5.9");

        Decoded decoded = decoder.decode(ReportJson.report("r-1", "inst-1", NOW.minusSeconds(60))
                .getBytes(StandardCharsets.UTF_8), proxied);

        ClientReportEvent event = ((Decoded.Accepted) decoded).reports().get(0).event();
        assertThat(event.remoteAddress()).isEqualTo("198.51.100.7");
        assertThat(event.via()).isEqualTo("10.0.5.9");
    }

    @Test
    void onlyTheFourRequiredFieldsAreNeeded() {
        Decoded decoded = decode("{\"reportId\": \"r\", \"clientId\": \"c\", \"occurredAt\": \"2025-03-14T10:26:53+01:00\","
                + " \"errorClass\": \"tcp.timed_out\", \"futureField\": {\"x\": 1}}");
        ClientReportEvent event = ((Decoded.Accepted) decoded).reports().get(0).event();
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2025-03-14T09:26:53Z"));
        assertThat(event.runtime()).isNull();
        assertThat(event.tls()).isNull();
    }

    @Test
    void aBatchIsDecodedInOrder() {
        Decoded decoded = decode(ReportJson.batch(List.of(ReportJson.report("a", "c"), ReportJson.report("b", "c"))));
        assertThat(((Decoded.Accepted) decoded).reports()).extracting(c -> c.event().reportId()).containsExactly("a", "b");
    }

    @Test
    void implausibleTimesAreKeptButFlagged() {
        ClientReportEvent future = ((Decoded.Accepted) decode(ReportJson.report("r", "c", NOW.plus(Duration.ofMinutes(6)))))
                .reports().get(0).event();
        ClientReportEvent old = ((Decoded.Accepted) decode(ReportJson.report("r", "c", NOW.minus(Duration.ofDays(31)))))
                .reports().get(0).event();
        assertThat(future.flags()).containsExactly(ClientReportEvent.FLAG_TIME_IN_FUTURE);
        assertThat(future.time()).isEqualTo(NOW);
        assertThat(old.flags()).containsExactly(ClientReportEvent.FLAG_TOO_OLD);
        assertThat(old.time()).isEqualTo(NOW);
    }

    @Test
    void malformedJsonIs400WithWhereItBroke() {
        Refusal refusal = refusal(decode("{\"reportId\": \"r\",\n \"clientId\": }"));
        assertThat(refusal.status()).isEqualTo(400);
        assertThat(refusal.code()).isEqualTo("malformed_json");
        assertThat(refusal.message()).contains("line 2");
        assertThat(refusal(decode("")).status()).isEqualTo(400);
        assertThat(refusal(decode("{\"a\": 1, \"a\": 2}")).status()).isEqualTo(400);
    }

    @Test
    void everyProblemOfEveryReportIsNamedByItsPointer() {
        Refusal refusal = refusal(decode(ReportJson.batch(List.of(
                ReportJson.report("ok", "c"),
                "{\"reportId\": \"\", \"clientId\": 7, \"occurredAt\": \"yesterday\", \"errorClass\": \"TLS Error\","
                        + " \"runtime\": {\"version\": \"1.7\"}, \"tls\": {\"library\": \"x\", \"enabledProtocols\": \"TLSv1\"}}",
                "[]"))));
        assertThat(refusal.status()).isEqualTo(422);
        assertThat(refusal.code()).isEqualTo("invalid_report");
        assertThat(refusal.problems()).extracting(Problem::field, Problem::code).containsExactly(
                org.assertj.core.groups.Tuple.tuple("/reports/1/reportId", "invalid_value"),
                org.assertj.core.groups.Tuple.tuple("/reports/1/clientId", "wrong_type"),
                org.assertj.core.groups.Tuple.tuple("/reports/1/occurredAt", "invalid_value"),
                org.assertj.core.groups.Tuple.tuple("/reports/1/errorClass", "invalid_value"),
                org.assertj.core.groups.Tuple.tuple("/reports/1/runtime/name", "missing"),
                org.assertj.core.groups.Tuple.tuple("/reports/1/tls/enabledProtocols", "wrong_type"),
                org.assertj.core.groups.Tuple.tuple("/reports/2", "wrong_type"));
        assertThat(refusal.field()).isEqualTo("/reports/1/reportId");
    }

    @Test
    void missingRequiredFieldsAreNamed() {
        Refusal refusal = refusal(decode("{}"));
        assertThat(refusal.problems()).extracting(Problem::field)
                .containsExactly("/reportId", "/clientId", "/occurredAt", "/errorClass");
        assertThat(refusal.problems()).extracting(Problem::code).containsOnly("missing");
    }

    @Test
    void theShapeOfTheBodyIsChecked() {
        assertThat(refusal(decode("[1]")).field()).isEmpty();
        assertThat(refusal(decode("{\"reports\": {}}")).field()).isEqualTo("/reports");
        assertThat(refusal(decode("{\"reports\": []}")).field()).isEqualTo("/reports");
        Refusal tooMany = refusal(decode(ReportJson.batch(Collections.nCopies(4, "{}"))));
        assertThat(tooMany.status()).isEqualTo(413);
        assertThat(tooMany.code()).isEqualTo("batch_too_large");
    }

    @Test
    void overlongValuesAreRefused() {
        Refusal refusal = refusal(decode(ReportJson.report("r".repeat(129), "c")));
        assertThat(refusal.problems()).extracting(Problem::code).containsExactly("too_long");
    }
}
