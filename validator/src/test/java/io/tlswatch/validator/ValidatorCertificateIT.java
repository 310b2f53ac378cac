package io.tlswatch.validator;

import io.tlswatch.tlsserver.certificate.RotationPki;
import io.tlswatch.tlsserver.certificate.TestOcspResponder;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.CertificateEvent;
import io.tlswatch.contract.event.CertificateEventKind;
import io.tlswatch.contract.event.OcspStatus;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.tlsserver.tls.TlsClients;
import io.tlswatch.contract.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The validator's certificate rotated under it while it serves, with its OCSP response stapled: real clients,
 * a real OCSP responder, and the certificate events on a real broker.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ValidatorCertificateIT {

    @Test
    void rotatesWithoutARestartRefusesBrokenFilesAndStaplesItsOcspResponse(KafkaBroker broker, @TempDir Path dir)
            throws Exception {
        RotationPki ca = RotationPki.create("Validator IT CA");
        try (TestOcspResponder responder = TestOcspResponder.start(ca)) {
            RotationPki pki = ca.withOcspUrl(responder.url());
            Path chain = dir.resolve("tls.crt");
            Path key = dir.resolve("tls.key");
            Path caFile = dir.resolve("ca.pem");
            pki.writeCa(caFile);
            RotationPki.Leaf first = pki.issue(Duration.ofMinutes(10));
            responder.set(first.certificate().getSerialNumber(), TestOcspResponder.Status.GOOD);
            first.writeTo(chain, key);
            String name = "validator-" + UUID.randomUUID();

            Map<String, String> values = new HashMap<>();
            values.put("https.port", "0");
            values.put("admin.port", "0");
            values.put("server.host", "127.0.0.1");
            values.put("admin.host", "127.0.0.1");
            values.put("kafka.bootstrap.servers", broker.bootstrapServers());
            values.put("tls.certificate", chain.toString());
            values.put("tls.privateKey", key.toString());
            values.put("tls.trustAnchors", caFile.toString());
            values.put("tls.certificateName", name);
            values.put("tls.watch.interval", "200ms");
            values.put("tls.minValidityAhead", "2m");
            values.put("tls.provider", "openssl");
            try (Validator validator = Validator.start(ValidatorConfig.from(ConfigSource.of(values)), Clock.systemUTC());
                 SSLSocket open = connect(validator.port(), caFile)) {
                // a client connected before the swap
                assertThat(get(open, "/.well-known/jwks.json")).startsWith("HTTP/1.1 200");
                assertThat(serial(open)).isEqualTo(first.certificate().getSerialNumber());
                String stapled = TlsClients.openssl(validator.port(), "-status", "-CAfile", caFile.toString()).output();
                assertThat(stapled).contains("OCSP Response Status: successful").contains("Cert Status: good");

                RotationPki.Leaf second = pki.issue(Duration.ofMinutes(10));
                responder.set(second.certificate().getSerialNumber(), TestOcspResponder.Status.GOOD);
                second.writeTo(chain, key);
                await().atMost(Duration.ofSeconds(15)).until(() -> newClientSerial(validator.port(), caFile)
                        .equals(second.certificate().getSerialNumber()));
                // the same connection sends another request after the swap
                assertThat(get(open, "/.well-known/jwks.json")).startsWith("HTTP/1.1 200");
                assertThat(serial(open)).isEqualTo(first.certificate().getSerialNumber());

                String truncated = pki.issue(Duration.ofMinutes(10)).chainPem();
                RotationPki.replace(chain, truncated.substring(0, truncated.length() / 2));
                await().atMost(Duration.ofSeconds(15)).until(() -> counter(validator, "refused") == 1.0);
                assertThat(newClientSerial(validator.port(), caFile)).isEqualTo(second.certificate().getSerialNumber());

                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + validator.adminPort() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("tlswatch_certificate_not_after_seconds{certificate=\"" + name + "\"")
                        .contains("tlswatch_certificate_rotations_total{certificate=\"" + name + "\",outcome=\"rotated\"")
                        .contains("tlswatch_certificate_ocsp_stapled{certificate=\"" + name + "\"")
                        .contains("tlswatch_certificate_ocsp_fetches_total{certificate=\"" + name + "\",outcome=\"good\"")
                        .contains("tlswatch_certificate_ocsp_staple_age_seconds{certificate=\"" + name + "\"")
                        .contains("tlswatch_certificate_ocsp_next_update_seconds{certificate=\"" + name + "\"")
                        .contains("tlswatch_certificate_ocsp_fetch_duration_seconds_count{certificate=\"" + name
                                + "\",outcome=\"good\"");

                List<CertificateEvent> events = awaitEvents(broker, name, 5);
                assertThat(events).extracting(CertificateEvent::kind).contains(CertificateEventKind.LOADED,
                        CertificateEventKind.ROTATED, CertificateEventKind.ROTATION_REFUSED,
                        CertificateEventKind.OCSP_REFRESHED, CertificateEventKind.EXPIRING);
                assertThat(events).filteredOn(e -> e.kind() == CertificateEventKind.ROTATED).singleElement()
                        .satisfies(e -> {
                            assertThat(e.serial()).isEqualTo(second.serialHex());
                            assertThat(e.previousSerial()).isEqualTo(first.serialHex());
                            assertThat(e.source()).startsWith("validator@");
                        });
                assertThat(events).filteredOn(e -> e.kind() == CertificateEventKind.ROTATION_REFUSED).singleElement()
                        .satisfies(e -> assertThat(e.reason()).contains("holds no readable PEM certificate"));
                assertThat(events).filteredOn(e -> e.kind() == CertificateEventKind.OCSP_REFRESHED)
                        .allSatisfy(e -> assertThat(e.ocsp().status()).isEqualTo(OcspStatus.GOOD));
                // valid for minutes: past every threshold at once, so one warning with the smallest, per certificate
                assertThat(events).filteredOn(e -> e.kind() == CertificateEventKind.EXPIRING)
                        .allSatisfy(e -> assertThat(e.thresholdDays()).isEqualTo(1));
            }
        }
    }

    private static double counter(Validator validator, String outcome) {
        var counter = validator.meters().find("tlswatch.certificate.rotations").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private static SSLSocket connect(int port, Path caFile) throws Exception {
        SSLSocket socket = (SSLSocket) ClientSide.trusting(caFile).getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    private static BigInteger serial(SSLSocket socket) throws Exception {
        return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }

    private static BigInteger newClientSerial(int port, Path caFile) throws Exception {
        try (SSLSocket socket = connect(port, caFile)) {
            return serial(socket);
        }
    }

    /** One keep-alive HTTP/1.1 request on the open connection; returns the status line and reads the body. */
    private static String get(SSLSocket socket, String path) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        String status = in.readLine();
        int length = 0;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        char[] body = new char[length];
        int read = 0;
        while (read < length) {
            int n = in.read(body, read, length - read);
            if (n < 0) {
                break;
            }
            read += n;
        }
        return status;
    }

    private static List<CertificateEvent> awaitEvents(KafkaBroker broker, String name, int atLeast) {
        List<CertificateEvent> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                broker.settings().consumer(KafkaBroker.uniqueGroupId("certificate-it")),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.CERTIFICATES.name()));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (name.equals(r.key())) {
                        found.add(Json.reader().readValue(r.value(), CertificateEvent.class));
                    }
                }
                return found.size() >= atLeast && found.stream().anyMatch(e -> e.kind() == CertificateEventKind.ROTATION_REFUSED);
            });
        }
        return found;
    }
}
