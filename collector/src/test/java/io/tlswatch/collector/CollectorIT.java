package io.tlswatch.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import io.tlswatch.collector.config.CollectorConfig;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.HandshakeOutcome;
import io.tlswatch.contract.event.ReportFormat;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import io.tlswatch.tlsserver.tls.TlsClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** The collector as clients meet it: real HTTP and TLS clients, a real broker, the events on the topics. */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CollectorIT {

    private Collector collector;
    private HttpClient http;
    private KafkaSettings kafka;
    private DevCertificateFiles dev;

    @BeforeAll
    void start(KafkaBroker broker, @TempDir Path certificates) throws Exception {
        kafka = broker.settings();
        dev = new DevCertificates(certificates, DevCertificates.localHostNames(), Clock.systemUTC()).ensure();
        Map<String, String> values = new HashMap<>();
        values.put("http.port", "0");
        values.put("https.port", "0");
        values.put("admin.port", "0");
        values.put("server.host", "127.0.0.1");
        values.put("admin.host", "127.0.0.1");
        values.put("tls.devCertificateDir", certificates.toString());
        values.put("reports.maxBatchCount", "100");
        values.put("server.maxBodyBytes", "65536");
        values.put("limits.perAddress.perSecond", "10000");
        values.put("limits.perAddress.burst", "10000");
        values.put("kafka.bootstrap.servers", broker.bootstrapServers());
        collector = Collector.start(CollectorConfig.from(ConfigSource.of(values)), Clock.systemUTC());
        http = HttpClient.newBuilder().sslContext(trusting(dev.caCertificate())).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterAll
    void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void oneReportOverHttpIsAcknowledgedOnlyOnceKafkaHasItAndIsEnriched() throws Exception {
        // given a report from a client stuck on Java 7
        String reportId = ReportJson.newId();
        String clientId = "inst-" + UUID.randomUUID();
        Instant recent = Instant.now().minusSeconds(30);

        // when it posts it over plain HTTP
        HttpResponse<String> response = post(httpUri("/v1/reports"), "application/json",
                ReportJson.report(reportId, clientId, recent), Map.of());

        // then it is accepted, and the report is in the topic by then
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode answer = Json.reader().readTree(response.body());
        assertThat(answer.get("written").asInt()).isEqualTo(1);
        assertThat(answer.get("duplicates").asInt()).isZero();
        ClientReportEvent event = ReportTopic.one(kafka, e -> reportId.equals(e.reportId()));
        assertThat(event.clientId()).isEqualTo(clientId);
        assertThat(event.key()).isEqualTo(clientId);
        assertThat(event.format()).isEqualTo(ReportFormat.NATIVE);
        assertThat(event.occurredAt()).isEqualTo(recent.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(event.time()).isEqualTo(event.occurredAt());
        assertThat(event.receivedAt()).isAfterOrEqualTo(event.occurredAt());
        assertThat(event.errorClass()).isEqualTo("tls.version_or_cipher_mismatch");
        assertThat(event.runtime().version()).isEqualTo("1.7.0_80-b15");
        assertThat(event.tls().enabledProtocols()).containsExactly("TLSv1");
        assertThat(event.remoteAddress()).isEqualTo("127.0.0.1");
        assertThat(event.arrival().listener()).isEqualTo("http");
        assertThat(event.arrival().tlsProtocol()).isNull();
        assertThat(event.authenticated()).isFalse();
        assertThat(event.signerJkt()).isNull();
        assertThat(event.flags()).isEmpty();
        assertThat(event.source()).startsWith("collector@");
    }

    @Test
    void aBatchOverHttpsCarriesTheConnectionsTlsVersionAndJa4() throws Exception {
        // given a batch of three reports from three clients
        String prefix = "inst-" + UUID.randomUUID() + "-";
        List<String> reports = IntStream.range(0, 3).mapToObj(i -> ReportJson.report(ReportJson.newId(), prefix + i))
                .toList();

        // when it is posted over HTTPS with TLS 1.3
        HttpResponse<String> response = post(httpsUri("/v1/reports"), "application/json", ReportJson.batch(reports),
                Map.of());

        // then all three are written, each saying how it arrived
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(Json.reader().readTree(response.body()).get("written").asInt()).isEqualTo(3);
        List<ClientReportEvent> events = ReportTopic.reports(kafka, e -> e.clientId() != null
                && e.clientId().startsWith(prefix), 3);
        assertThat(events).hasSize(3).allSatisfy(e -> {
            assertThat(e.arrival().listener()).isEqualTo("https");
            assertThat(e.arrival().tlsProtocol()).isEqualTo("TLSv1.3");
            assertThat(e.arrival().cipherSuite()).startsWith("TLS_");
            assertThat(e.arrival().ja4()).startsWith("t13");
        });
    }

    @Test
    void aBatchWithInvalidReportsIsRefusedWholeWithEveryItemsProblem() throws Exception {
        // given a batch whose first report is fine, the second lacks its clientId and the third has a bad time
        String clientId = "inst-" + UUID.randomUUID();
        String goodId = ReportJson.newId();
        String batch = ReportJson.batch(List.of(
                ReportJson.report(goodId, clientId),
                "{\"reportId\": \"r2\", \"occurredAt\": \"2025-03-14T09:26:53Z\", \"errorClass\": \"tcp.timed_out\"}",
                "{\"reportId\": \"r3\", \"clientId\": \"c\", \"occurredAt\": 1710408413, \"errorClass\": \"tcp.timed_out\"}"));

        // when it is posted
        HttpResponse<String> response = post(httpUri("/v1/reports"), "application/json", batch, Map.of());

        // then it is refused with both problems, each naming its field
        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode body = Json.reader().readTree(response.body());
        assertThat(body.get("error").get("code").asText()).isEqualTo("invalid_report");
        assertThat(body.get("error").get("field").asText()).isEqualTo("/reports/1/clientId");
        assertThat(body.get("problems")).hasSize(2);
        assertThat(body.get("problems").get(0).get("code").asText()).isEqualTo("missing");
        assertThat(body.get("problems").get(1).get("field").asText()).isEqualTo("/reports/2/occurredAt");
        assertThat(body.get("problems").get(1).get("code").asText()).isEqualTo("wrong_type");

        // and nothing of it was written: the same good report sent alone afterwards is the only one in the topic
        String marker = ReportJson.newId();
        assertThat(post(httpUri("/v1/reports"), "application/json", ReportJson.report(marker, clientId), Map.of())
                .statusCode()).isEqualTo(202);
        List<ClientReportEvent> fromClient = ReportTopic.reports(kafka, e -> clientId.equals(e.clientId()), 1);
        assertThat(fromClient).extracting(ClientReportEvent::reportId).containsExactly(marker);
    }

    @Test
    void badRequestsGetTheirStatusAndAJsonBodyNamingTheProblem() throws Exception {
        String report = ReportJson.report(ReportJson.newId(), "inst-" + UUID.randomUUID());
        // malformed JSON
        HttpResponse<String> malformed = post(httpUri("/v1/reports"), "application/json", "{\"reportId\": ", Map.of());
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(errorCode(malformed)).isEqualTo("malformed_json");
        // wrong content type
        HttpResponse<String> wrongType = post(httpUri("/v1/reports"), "text/plain", report, Map.of());
        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(Json.reader().readTree(wrongType.body()).get("error").get("field").asText()).isEqualTo("Content-Type");
        // a wrongly typed field
        HttpResponse<String> wrongField = post(httpUri("/v1/reports"), "application/json",
                report.replace("\"runtime\": {", "\"runtime\": 7, \"x\": {"), Map.of());
        assertThat(wrongField.statusCode()).isEqualTo(422);
        assertThat(Json.reader().readTree(wrongField.body()).get("error").get("field").asText()).isEqualTo("/runtime");
        // a body over the size limit
        HttpResponse<String> tooLarge = post(httpUri("/v1/reports"), "application/json",
                "{\"pad\": \"" + "x".repeat(70_000) + "\"}", Map.of());
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(errorCode(tooLarge)).isEqualTo("body_too_large");
        // a batch over the count limit
        List<String> many = IntStream.range(0, 101).mapToObj(i -> "{}").toList();
        HttpResponse<String> tooMany = post(httpUri("/v1/reports"), "application/json", ReportJson.batch(many), Map.of());
        assertThat(tooMany.statusCode()).isEqualTo(413);
        assertThat(errorCode(tooMany)).isEqualTo("batch_too_large");
        // and each is counted by its reason
        assertThat(collector.meters().get("tlswatch.collector.reports").tag("format", "native")
                .tag("outcome", "malformed_json").counter().count()).isGreaterThanOrEqualTo(1);
        assertThat(collector.meters().get("tlswatch.collector.reports").tag("outcome", "batch_too_large")
                .counter().count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aDuplicateReportIdIsAcknowledgedAndNotWrittenTwice() throws Exception {
        // given a report that was accepted
        String reportId = ReportJson.newId();
        String clientId = "inst-" + UUID.randomUUID();
        String report = ReportJson.report(reportId, clientId);
        assertThat(post(httpUri("/v1/reports"), "application/json", report, Map.of()).statusCode()).isEqualTo(202);

        // when the client sends it again (it did not see the answer)
        HttpResponse<String> again = post(httpsUri("/v1/reports"), "application/json", report, Map.of());

        // then it is acknowledged as a duplicate, and the topic holds it once
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(Json.reader().readTree(again.body()).get("duplicates").asInt()).isEqualTo(1);
        assertThat(Json.reader().readTree(again.body()).get("written").asInt()).isZero();
        String marker = ReportJson.newId();
        post(httpUri("/v1/reports"), "application/json", ReportJson.report(marker, clientId), Map.of());
        List<ClientReportEvent> events = ReportTopic.reports(kafka, e -> clientId.equals(e.clientId()), 2);
        assertThat(events).extracting(ClientReportEvent::reportId).containsExactly(reportId, marker);
    }

    @Test
    void aReportFromTheFutureIsKeptButFlaggedAndTimedByItsReceipt() throws Exception {
        String reportId = ReportJson.newId();
        Instant future = Instant.now().plus(Duration.ofHours(2));
        assertThat(post(httpUri("/v1/reports"), "application/json",
                ReportJson.report(reportId, "inst-" + UUID.randomUUID(), future), Map.of()).statusCode()).isEqualTo(202);
        ClientReportEvent event = ReportTopic.one(kafka, e -> reportId.equals(e.reportId()));
        assertThat(event.flags()).containsExactly(ClientReportEvent.FLAG_TIME_IN_FUTURE);
        assertThat(event.time()).isEqualTo(event.receivedAt());
    }

    @Test
    void reportsSignedWithTheClientsProofKeyAreAuthenticated() throws Exception {
        // given reports signed with an ES256 and an Ed25519 key
        ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
        OctetKeyPair ed = new OctetKeyPairGenerator(Curve.Ed25519).generate();
        String esId = ReportJson.newId();
        String edId = ReportJson.newId();
        String esBody = ReportJson.report(esId, "inst-" + UUID.randomUUID());
        String edBody = ReportJson.report(edId, "inst-" + UUID.randomUUID());

        // when they are posted with their signatures
        assertThat(post(httpUri("/v1/reports"), "application/json", esBody,
                Map.of("Report-Signature", Signatures.es256(ec, esBody))).statusCode()).isEqualTo(202);
        assertThat(post(httpsUri("/v1/reports"), "application/json", edBody,
                Map.of("Report-Signature", Signatures.ed25519(ed, edBody))).statusCode()).isEqualTo(202);

        // then both are marked authenticated, naming the thumbprint of the key that signed
        ClientReportEvent es = ReportTopic.one(kafka, e -> esId.equals(e.reportId()));
        ClientReportEvent edEvent = ReportTopic.one(kafka, e -> edId.equals(e.reportId()));
        assertThat(es.authenticated()).isTrue();
        assertThat(es.signerJkt()).isEqualTo(ec.computeThumbprint().toString());
        assertThat(edEvent.authenticated()).isTrue();
        assertThat(edEvent.signerJkt()).isEqualTo(ed.computeThumbprint().toString());
    }

    @Test
    void aSignatureThatDoesNotMatchTheBodyIsRefused() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        String signed = ReportJson.report(ReportJson.newId(), "inst-" + UUID.randomUUID());
        String sent = ReportJson.report(ReportJson.newId(), "inst-" + UUID.randomUUID());
        HttpResponse<String> response = post(httpUri("/v1/reports"), "application/json", sent,
                Map.of("Report-Signature", Signatures.es256(key, signed)));
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(errorCode(response)).isEqualTo("invalid_signature");
        assertThat(Json.reader().readTree(response.body()).get("error").get("field").asText())
                .isEqualTo("Report-Signature");
    }

    @Test
    void nelPreflightIsAnsweredForAnyOrigin() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(httpUri("/v1/nel"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://portal.example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(response.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("POST");
        assertThat(response.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().toLowerCase())
                .contains("content-type");
    }

    @Test
    void nelNetworkErrorsAreStoredAndOtherReportTypesOnlyCounted() throws Exception {
        // given a browser's batch: a NEL certificate error, a NEL success sample and a CSP report
        String url = "https://portal.example.com/" + UUID.randomUUID();
        String batch = "[" + ReportJson.nel(2_000, url) + ","
                + ReportJson.nel(10, url).replace("tls.cert.authority_invalid", "ok") + ","
                + "{\"age\": 5, \"type\": \"csp-violation\", \"url\": \"" + url + "\", \"body\": {\"blockedURL\": \"x\"}}]";
        double ignoredBefore = collector.meters().get("tlswatch.collector.reports").tag("format", "nel")
                .tag("outcome", "ignored").counter().count();

        // when it posts it
        HttpResponse<String> response = post(httpUri("/v1/nel"), "application/reports+json", batch,
                Map.of("Origin", "https://portal.example.com"));

        // then one report is written, two accepted and counted only
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        JsonNode answer = Json.reader().readTree(response.body());
        assertThat(answer.get("written").asInt()).isEqualTo(1);
        assertThat(answer.get("ignored").asInt()).isEqualTo(2);
        assertThat(collector.meters().get("tlswatch.collector.reports").tag("format", "nel")
                .tag("outcome", "ignored").counter().count()).isEqualTo(ignoredBefore + 2);
        ClientReportEvent event = ReportTopic.one(kafka, e -> url.equals(e.endpoint()));
        assertThat(event.format()).isEqualTo(ReportFormat.NEL);
        assertThat(event.reportId()).startsWith("nel-");
        assertThat(event.key()).isEqualTo("127.0.0.1");
        assertThat(event.errorClass()).isEqualTo("tls.cert.authority_invalid");
        assertThat(Duration.between(event.occurredAt(), event.receivedAt())).isEqualTo(Duration.ofMillis(2_000));
        assertThat(event.nel().phase()).isEqualTo("connection");
        assertThat(event.nel().serverIp()).isEqualTo("203.0.113.10");
        assertThat(event.nel().statusCode()).isZero();
        assertThat(event.nel().elapsedMillis()).isEqualTo(143L);
        assertThat(event.nel().userAgent()).contains("Chrome");
    }

    @Test
    void chromesBatchOfConnectionPhaseTlsFailuresWithEmptyFieldsIsAcceptedAndReachesTheTopic() throws Exception {
        // given Chrome's batch: a version/cipher mismatch with "server_ip": "" and "protocol": "", then an
        // untrusted issuer with "protocol": "unknown", posted over HTTPS as Chrome's uploader does
        String site = "https://portal-" + UUID.randomUUID() + ".example.com/";

        // when it posts it
        HttpResponse<String> response = post(httpsUri("/v1/nel"), "application/reports+json",
                BrowserNel.chromeConnectionFailures(site), Map.of("Origin", site.substring(0, site.length() - 1)));

        // then both are written, and are in the topic as Chrome told them
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode answer = Json.reader().readTree(response.body());
        assertThat(answer.get("written").asInt()).isEqualTo(2);
        assertThat(answer.get("skipped").asInt()).isZero();
        List<ClientReportEvent> events = ReportTopic.reports(kafka, e -> e.endpoint() != null && e.endpoint().startsWith(site), 2);
        assertThat(events).hasSize(2);
        ClientReportEvent mismatch = events.stream()
                .filter(e -> e.errorClass().equals("tls.version_or_cipher_mismatch")).findFirst().orElseThrow();
        assertThat(mismatch.format()).isEqualTo(ReportFormat.NEL);
        assertThat(mismatch.nel().phase()).isEqualTo("connection");
        assertThat(mismatch.nel().serverIp()).isNull();
        assertThat(mismatch.nel().protocol()).isNull();
        assertThat(mismatch.nel().statusCode()).isZero();
        assertThat(mismatch.arrival().listener()).isEqualTo("https");
        assertThat(Duration.between(mismatch.occurredAt(), mismatch.receivedAt())).isEqualTo(Duration.ofMillis(41_270));
        assertThat(events).extracting(ClientReportEvent::errorClass)
                .containsExactlyInAnyOrder("tls.version_or_cipher_mismatch", "tls.cert.authority_invalid");
    }

    @Test
    void firefoxsReportWithoutAgeIsAcceptedAndReachesTheTopic() throws Exception {
        // given Firefox's one-report batch of a certificate from an unknown issuer: no age, no status code
        String url = "https://portal-" + UUID.randomUUID() + ".example.com/licenses";

        // when it posts it
        HttpResponse<String> response = post(httpsUri("/v1/nel"), "application/reports+json",
                BrowserNel.firefoxUnknownIssuer(url), Map.of("Origin", "https://portal.example.com"));

        // then it is written, timed at its receipt
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(Json.reader().readTree(response.body()).get("written").asInt()).isEqualTo(1);
        ClientReportEvent event = ReportTopic.one(kafka, e -> url.equals(e.endpoint()));
        assertThat(event.errorClass()).isEqualTo("unknown2153390067");
        assertThat(event.occurredAt()).isEqualTo(event.receivedAt());
        assertThat(event.nel().statusCode()).isZero();
        assertThat(event.nel().serverIp()).isEqualTo("203.0.113.10");
        assertThat(event.nel().userAgent()).contains("Firefox");
    }

    @Test
    void aBatchWithOneGarbageItemAndTwoGoodOnesIsAcceptedWithTwoRecords() throws Exception {
        // given two of Chrome's reports with a garbage item between them
        String site = "https://portal-" + UUID.randomUUID() + ".example.com/";
        String chrome = BrowserNel.chromeConnectionFailures(site);
        int between = chrome.indexOf("},{") + 1;
        String batch = chrome.substring(0, between) + ",\"garbage\"" + chrome.substring(between);
        double skippedBefore = collector.meters().get("tlswatch.collector.nel.skipped").tag("reason", "not_an_object")
                .counter().count();

        // when it is posted
        HttpResponse<String> response = post(httpUri("/v1/nel"), "application/reports+json", batch, Map.of());

        // then the answer is 202 naming the skipped item, exactly two records reach the topic, and it is counted
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode answer = Json.reader().readTree(response.body());
        assertThat(answer.get("received").asInt()).isEqualTo(3);
        assertThat(answer.get("written").asInt()).isEqualTo(2);
        assertThat(answer.get("skipped").asInt()).isEqualTo(1);
        assertThat(answer.get("problems").get(0).get("field").asText()).isEqualTo("/1");
        assertThat(ReportTopic.reports(kafka, e -> e.endpoint() != null && e.endpoint().startsWith(site), 2)).hasSize(2);
        assertThat(collector.meters().get("tlswatch.collector.nel.skipped").tag("reason", "not_an_object").counter()
                .count()).isEqualTo(skippedBefore + 1);
    }

    @Test
    void nelNeedsItsOwnContentType() throws Exception {
        HttpResponse<String> response = post(httpUri("/v1/nel"), "application/json",
                "[" + ReportJson.nel(0, "https://x.example") + "]", Map.of());
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(Json.reader().readTree(response.body()).get("error").get("message").asText())
                .contains("application/reports+json");
    }

    @Test
    void aTls10ClientCanReportAndItsHandshakeIsRecordedAsTheCollectors() throws Exception {
        // given curl limited to TLS 1.0 (OpenSSL 3 allows it only at security level 0), on the OpenSSL provider
        assumeThat(TlsClients.curlPresent()).as("curl is installed").isTrue();
        assumeThat(collector.tls().provider().name()).as("TLS 1.0 needs the OpenSSL provider").isEqualTo("OPENSSL");
        String reportId = ReportJson.newId();
        String clientId = "inst-" + UUID.randomUUID();

        // when it posts a report
        TlsClients.Result result = TlsClients.curl("--tlsv1.0", "--tls-max", "1.0", "--ciphers", "DEFAULT@SECLEVEL=0",
                "--cacert", dev.caCertificate().toString(), "--write-out", "\n%{http_code}",
                "-H", "Content-Type: application/json", "--data-binary", ReportJson.report(reportId, clientId),
                "https://localhost:" + collector.httpsPort() + "/v1/reports");

        // then it is accepted, says it came over TLS 1.0 with a TLS 1.0 fingerprint
        assertThat(result.output()).as(result.output()).endsWith("202");
        ClientReportEvent event = ReportTopic.one(kafka, e -> reportId.equals(e.reportId()));
        assertThat(event.arrival().tlsProtocol()).isEqualTo("TLSv1");
        assertThat(event.arrival().ja4()).startsWith("t10");
        // and the handshake is on the handshakes topic as the collector's
        HandshakeEvent handshake = ReportTopic.handshake(kafka, h -> "collector-tls".equals(h.listener())
                && h.outcome() == HandshakeOutcome.SUCCESS && h.localPort() == collector.httpsPort()
                && h.clientHello() != null && event.arrival().ja4().equals(h.clientHello().ja4()));
        assertThat(handshake.source()).startsWith("collector@");
        assertThat(handshake.outcome()).isEqualTo(HandshakeOutcome.SUCCESS);
        assertThat(handshake.negotiated().protocol()).isEqualTo("TLSv1");
        assertThat(handshake.localPort()).isEqualTo(collector.httpsPort());
    }

    @Test
    void opensslWithTls10CompletesAHandshake() throws Exception {
        assumeThat(TlsClients.opensslPresent()).as("openssl is installed").isTrue();
        assumeThat(collector.tls().provider().name()).isEqualTo("OPENSSL");
        TlsClients.Result result = TlsClients.openssl(collector.httpsPort(), "-tls1", "-cipher", "DEFAULT@SECLEVEL=0",
                "-CAfile", dev.caCertificate().toString());
        assertThat(result.output()).as(result.output()).contains("Protocol  : TLSv1").contains("Verify return code: 0");
    }

    @Test
    void aFailedHandshakeOnTheTlsListenerIsRecordedToo() throws Exception {
        // given plain HTTP sent to the HTTPS port
        Instant before = Instant.now().minusSeconds(1);
        TlsClients.sendAndClose(collector.httpsPort(), "POST /v1/reports HTTP/1.1\r\nHost: x\r\n\r\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        // then a failed handshake of the collector's TLS listener is on the handshakes topic
        HandshakeEvent handshake = ReportTopic.handshake(kafka, h -> "collector-tls".equals(h.listener())
                && h.localPort() == collector.httpsPort() && h.outcome() == HandshakeOutcome.FAILURE
                && h.time().isAfter(before));
        assertThat(handshake.failureReason()).isEqualTo(io.tlswatch.contract.event.FailureReason.NOT_TLS);
        assertThat(handshake.source()).startsWith("collector@");
    }

    @Test
    void adminPortServesMetricsAndHealth() throws Exception {
        post(httpUri("/v1/reports"), "application/json", ReportJson.report(ReportJson.newId(), "inst-" + UUID.randomUUID()),
                Map.of());
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(adminUri("/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> live = http.send(HttpRequest.newBuilder(adminUri("/health/live")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(adminUri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("tlswatch_collector_reports_total{format=\"native\",outcome=\"accepted\"")
                .contains("tlswatch_collector_batch_size_count")
                .contains("tlswatch_collector_kafka_ack_duration_seconds_count")
                .contains("tlswatch_collector_ratelimit_hits_total")
                .contains("tlswatch_collector_requests_inflight");
    }

    private String errorCode(HttpResponse<String> response) throws Exception {
        return Json.reader().readTree(response.body()).get("error").get("code").asText();
    }

    private HttpResponse<String> post(URI uri, String contentType, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI httpUri(String path) {
        return URI.create("http://127.0.0.1:" + collector.httpPort() + path);
    }

    private URI httpsUri(String path) {
        return URI.create("https://localhost:" + collector.httpsPort() + path);
    }

    private URI adminUri(String path) {
        return URI.create("http://127.0.0.1:" + collector.adminPort() + path);
    }

    static SSLContext trusting(Path caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry("dev-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
