package io.tlswatch.validator.admin;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.AdminScope;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.LicenseRecordStatus;
import io.tlswatch.contract.event.MachineDeactivation;
import io.tlswatch.contract.event.MachineRecord;
import io.tlswatch.contract.event.MachineStatus;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.contract.topic.Deletion;
import io.tlswatch.contract.topic.LicensePartition;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import io.tlswatch.validator.ClientSide;
import io.tlswatch.validator.Validator;
import io.tlswatch.validator.ValidatorConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The admin API as an operator meets it: a validator with {@code admin.api.port} set, a real broker, HTTPS with
 * the JDK client (and curl once), tokens made by {@link AdminTokenStore} as {@code tlswatch admin-tokens create}
 * makes them.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiIT {

    /** Every endpoint, with a body a write accepts in shape. */
    private static final List<String[]> ENDPOINTS = List.of(
            new String[]{"GET", "/v1/admin/licenses"},
            new String[]{"POST", "/v1/admin/licenses"},
            new String[]{"GET", "/v1/admin/licenses/LIC"},
            new String[]{"PATCH", "/v1/admin/licenses/LIC"},
            new String[]{"POST", "/v1/admin/licenses/LIC/renew"},
            new String[]{"POST", "/v1/admin/licenses/LIC/suspend"},
            new String[]{"POST", "/v1/admin/licenses/LIC/resume"},
            new String[]{"POST", "/v1/admin/licenses/LIC/revoke"},
            new String[]{"POST", "/v1/admin/licenses/LIC/reissue-key"},
            new String[]{"GET", "/v1/admin/licenses/LIC/machines"},
            new String[]{"POST", "/v1/admin/licenses/LIC/machines/m-1/deactivate"},
            new String[]{"GET", "/v1/admin/policies"},
            new String[]{"POST", "/v1/admin/policies"},
            new String[]{"GET", "/v1/admin/policies/pol"},
            new String[]{"PUT", "/v1/admin/policies/pol"},
            new String[]{"DELETE", "/v1/admin/policies/pol"});

    private final ListAppender<ILoggingEvent> logLines = new ListAppender<>();
    private KafkaBroker broker;
    private Validator validator;
    private HttpClient http;
    private Path caPem;
    private String writeToken;
    private String readToken;
    private String writeTokenId;

    @BeforeAll
    void start(KafkaBroker broker, @TempDir Path certificates) throws Exception {
        this.broker = broker;
        logLines.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logLines);
        DevCertificateFiles dev = new DevCertificates(certificates, DevCertificates.localHostNames(),
                Clock.systemUTC()).ensure();
        caPem = dev.caCertificate();
        Map<String, String> values = new HashMap<>();
        values.put("https.port", "0");
        values.put("admin.port", "0");
        values.put("admin.api.port", "0");
        values.put("server.host", "127.0.0.1");
        values.put("admin.host", "127.0.0.1");
        values.put("tls.devCertificateDir", certificates.toString());
        values.put("kafka.bootstrap.servers", broker.bootstrapServers());
        validator = Validator.start(ValidatorConfig.from(ConfigSource.of(values)), Clock.systemUTC());
        try (AdminTokenStore store = new AdminTokenStore(broker.settings(), Topics.ADMIN_TOKENS,
                new AdminTokenFormat(new SecureRandom()), Clock.systemUTC(), "test@it", Duration.ofSeconds(30))) {
            AdminTokenStore.Created writer = store.create("release-bot", AdminScope.WRITE, null);
            writeToken = writer.token();
            writeTokenId = writer.record().tokenId();
            readToken = store.create("support-desk", AdminScope.READ, Instant.now().plus(Duration.ofDays(1))).token();
        }
        http = HttpClient.newBuilder().sslContext(ClientSide.trusting(caPem)).connectTimeout(Duration.ofSeconds(5))
                .build();
        // The validator's token table follows the topic: the tokens work once it has read them.
        await().atMost(Duration.ofSeconds(10)).until(() -> send(readToken, "GET", "/v1/admin/licenses", null)
                .statusCode() == 200 && send(writeToken, "GET", "/v1/admin/policies", null).statusCode() == 200);
    }

    @AfterAll
    void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logLines);
        if (validator != null) {
            validator.close();
        }
    }

    private HttpResponse<String> send(String token, String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("https://localhost:" + validator.adminApiPort() + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.reader().readTree(response.body());
    }

    private static void assertError(HttpResponse<String> response, int status, String code, String field)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = json(response).get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        if (field != null) {
            assertThat(error.get("field").asText()).isEqualTo(field);
        }
    }

    private String issue(String customer) throws Exception {
        HttpResponse<String> issued = send(writeToken, "POST", "/v1/admin/licenses",
                "{\"customer\":\"" + customer + "\",\"plan\":\"pro\",\"maxMachines\":2,"
                        + "\"notAfter\":\"2099-01-01T00:00:00Z\",\"reason\":\"order 17\"}");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        return json(issued).get("license").get("licenseId").asText();
    }

    @Test
    void everyEndpointRefusesARequestWithoutATokenAndEveryWriteOneWithAReadToken() throws Exception {
        // given a license, so that each path names something real
        String licenseId = issue("Globex");

        for (String[] endpoint : ENDPOINTS) {
            String path = endpoint[1].replace("LIC", licenseId);
            boolean write = !endpoint[0].equals("GET");
            // when it is called without a token, then 401 with a Bearer challenge
            HttpResponse<String> anonymous = send(null, endpoint[0], path, write ? "{}" : null);
            assertError(anonymous, 401, "unauthorized", "Authorization");
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Bearer"));
            // and with a read token a write is forbidden
            if (write) {
                assertError(send(readToken, endpoint[0], path, "{}"), 403, "forbidden", "Authorization");
            }
        }
    }

    @Test
    void revocationWithAReasonReachesTheRegistryNamingTheTokenAsOperator() throws Exception {
        // given a license issued through the API
        String licenseId = issue("Initech");
        assertThat(validator.registry().byLicenseId(licenseId)).hasValueSatisfying(
                l -> assertThat(l.operator()).isEqualTo("release-bot"));

        // when it is revoked with a reason
        HttpResponse<String> revoked = send(writeToken, "POST", "/v1/admin/licenses/" + licenseId + "/revoke",
                "{\"reason\":\"chargeback 2291\"}");

        // then the answer is given once the change is in Kafka and in the validator's registry
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        LicenseRecord row = validator.registry().byLicenseId(licenseId).orElseThrow();
        assertThat(row.status()).isEqualTo(LicenseRecordStatus.REVOKED);
        assertThat(row.operator()).isEqualTo("release-bot");
        assertThat(row.reason()).isEqualTo("chargeback 2291");
        // and revocation is final
        assertError(send(writeToken, "POST", "/v1/admin/licenses/" + licenseId + "/resume", "{}"), 409,
                "license_revoked", null);
        assertThat(json(send(readToken, "GET", "/v1/admin/licenses?status=revoked&customer=Initech", null))
                .get("licenses")).hasSize(1);
    }

    @Test
    void refusalsNameWhatIsMissingOrInConflict() throws Exception {
        String licenseId = issue("Hooli");

        assertError(send(readToken, "GET", "/v1/admin/licenses/lic-nobody", null), 404, "not_found", "licenseId");
        assertError(send(writeToken, "POST", "/v1/admin/licenses", "{\"licenseId\":\"" + licenseId
                + "\",\"customer\":\"A\",\"plan\":\"p\"}"), 409, "license_exists", "/licenseId");
        assertError(send(writeToken, "POST", "/v1/admin/licenses", "{\"customer\":\"A\",\"plan\":\"p\","
                + "\"maxMachines\":0}"), 422, "invalid_field", "/maxMachines");
        assertError(send(writeToken, "POST", "/v1/admin/licenses/" + licenseId + "/renew",
                "{\"notAfter\":\"2000-01-01T00:00:00Z\"}"), 422, "invalid_field", "/notAfter");
        assertError(send(writeToken, "PATCH", "/v1/admin/licenses/" + licenseId, "{\"policyId\":\"no-such\"}"),
                422, "invalid_field", "/policyId");
        assertError(send(writeToken, "POST", "/v1/admin/licenses/" + licenseId + "/machines/ghost/deactivate",
                "{}"), 404, "not_found", "machineId");
        assertError(send(readToken, "GET", "/v1/admin/policies/no-such", null), 404, "not_found", "policyId");
    }

    @Test
    void policiesAreCreatedAssignedReplacedAndDeleted() throws Exception {
        String policyId = "floating-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = send(writeToken, "POST", "/v1/admin/policies", "{\"policyId\":\"" + policyId
                + "\",\"name\":\"Floating\",\"terms\":{\"maxMachines\":5,\"tokenLifetime\":\"PT10M\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertError(send(writeToken, "POST", "/v1/admin/policies", "{\"policyId\":\"" + policyId
                + "\",\"name\":\"Again\"}"), 409, "policy_exists", "/policyId");
        String licenseId = issue("Umbrella");
        assertThat(send(writeToken, "PATCH", "/v1/admin/licenses/" + licenseId, "{\"policyId\":\"" + policyId
                + "\",\"overrides\":{\"maxMachines\":7},\"reason\":\"upsell\"}").statusCode()).isEqualTo(200);
        assertThat(validator.registry().byLicenseId(licenseId).orElseThrow().policyId()).isEqualTo(policyId);

        HttpResponse<String> replaced = send(writeToken, "PUT", "/v1/admin/policies/" + policyId,
                "{\"name\":\"Floating 6\",\"terms\":{\"maxMachines\":6}}");
        assertThat(json(replaced).get("name").asText()).isEqualTo("Floating 6");
        assertThat(json(send(readToken, "GET", "/v1/admin/policies/" + policyId, null)).get("operator").asText())
                .isEqualTo("release-bot");
        assertError(send(writeToken, "DELETE", "/v1/admin/policies/" + policyId, null), 409, "policy_in_use",
                "policyId");
        send(writeToken, "PATCH", "/v1/admin/licenses/" + licenseId, "{\"policyId\":null}");
        assertThat(send(writeToken, "DELETE", "/v1/admin/policies/" + policyId + "?reason=retired", null)
                .statusCode()).isEqualTo(200);
        assertError(send(readToken, "GET", "/v1/admin/policies/" + policyId, null), 404, "not_found", "policyId");
        // and the tombstone in the topic names the operator and the reason
        ConsumerRecord<String, byte[]> tombstone = readAll(Topics.POLICIES.name()).stream()
                .filter(r -> r.key().equals(policyId)).reduce((first, second) -> second).orElseThrow();
        assertThat(tombstone.value()).isNull();
        assertThat(Deletion.from(tombstone.headers())).contains(new Deletion("release-bot", "retired"));
    }

    @Test
    void anOperatorDeactivatesAMachineOnItsLicensesPartition() throws Exception {
        // given a license with a machine activated by some replica
        String licenseId = issue("Stark");
        MachineRecord active = MachineRecord.activated(Instant.now(), "validator@elsewhere", licenseId, "m-1",
                "build-host");
        int partitions;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.settings().producer("it"),
                new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            partitions = producer.partitionsFor(Topics.MACHINES.name()).size();
            producer.send(new ProducerRecord<>(Topics.MACHINES.name(), LicensePartition.of(licenseId, partitions),
                    active.key(), Topics.MACHINES.valueSerde().serializer().serialize("", active))).get();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> json(send(readToken, "GET",
                "/v1/admin/licenses/" + licenseId + "/machines", null)).get("machines").size() == 1);

        // when an operator deactivates it
        HttpResponse<String> answer = send(writeToken, "POST", "/v1/admin/licenses/" + licenseId
                + "/machines/m-1/deactivate", "{\"reason\":\"laptop stolen\"}");

        // then a deactivated row naming the operator is on the license's partition
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        List<ConsumerRecord<String, byte[]>> rows = readAll(Topics.MACHINES.name());
        ConsumerRecord<String, byte[]> last = rows.stream().filter(r -> r.key().equals(active.key()))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(last.partition()).isEqualTo(LicensePartition.of(licenseId, partitions));
        MachineRecord row = Topics.MACHINES.valueSerde().deserializer().deserialize("", last.value());
        assertThat(row.status()).isEqualTo(MachineStatus.DEACTIVATED);
        assertThat(row.deactivation()).isEqualTo(MachineDeactivation.OPERATOR);
        assertThat(row.operator()).isEqualTo("release-bot");
        assertThat(row.reason()).isEqualTo("laptop stolen");
    }

    @Test
    void aNewKeyIsShownOnceAndCurlCanUseTheApi() throws Exception {
        String licenseId = issue("Wayne");
        HttpResponse<String> rekeyed = send(writeToken, "POST", "/v1/admin/licenses/" + licenseId + "/reissue-key",
                "{\"reason\":\"key leaked\"}");
        String key = json(rekeyed).get("licenseKey").asText();
        assertThat(validator.registry().byLicenseId(licenseId).orElseThrow().keyHash())
                .isEqualTo(LicenseRecord.keyHashOf(key));

        Process curl = new ProcessBuilder("curl", "-sS", "--cacert", caPem.toString(), "-H",
                "Authorization: Bearer " + readToken, "https://localhost:" + validator.adminApiPort()
                + "/v1/admin/licenses/" + licenseId).redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor()).as(out).isZero();
        assertThat(Json.reader().readTree(out).get("customer").asText()).isEqualTo("Wayne");
    }

    @Test
    void tokensAppearInNoLogLineAndOnlyTheirHashIsInTheTopic() throws Exception {
        // given requests made with the tokens, good and refused
        issue("Cyberdyne");
        send(readToken, "POST", "/v1/admin/licenses", "{}");
        send(writeToken + "x", "GET", "/v1/admin/licenses", null);

        // then no log line carries a token's secret
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(logLines.list)) {
            lines.add(event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : event.getThrowableProxy().getMessage()));
        }
        assertThat(lines).isNotEmpty();
        String writeSecret = writeToken.substring(writeToken.lastIndexOf('_') + 1);
        String readSecret = readToken.substring(readToken.lastIndexOf('_') + 1);
        assertThat(lines).noneMatch(line -> line.contains(writeSecret) || line.contains(readSecret));
        // and the token topic holds the hash of the token, never the token
        String topic = String.join("\n", readAll(Topics.ADMIN_TOKENS.name()).stream()
                .filter(r -> r.value() != null).map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList());
        assertThat(topic).contains(AdminTokenFormat.hash(writeToken)).contains(writeTokenId)
                .doesNotContain(writeSecret).doesNotContain(readSecret);
    }

    private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                broker.settings().consumer(KafkaBroker.uniqueGroupId("admin-it")), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return records;
    }
}
