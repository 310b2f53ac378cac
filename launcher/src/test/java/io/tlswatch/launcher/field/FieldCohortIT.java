package io.tlswatch.launcher.field;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.validator.license.IssuedLicense;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A fleet-wide cause as the field brings it: 500 installations on one outdated stack (Python's {@code ssl} offering
 * only TLS 1.0), each from a loopback address of its own, behind the load balancer, against the four services at
 * their defaults. They are all judged stuck, and once the hold has passed the on-call pager gets one page for the
 * cohort, not 500.
 */
class FieldCohortIT {

    private static final Logger LOG = LoggerFactory.getLogger(FieldCohortIT.class);
    private static final int FLEET = 500;
    private static final Duration DEFAULT_HOLD = Duration.ofMinutes(10);
    private static final Duration DEFAULT_EVALUATE_EVERY = Duration.ofMinutes(1);
    private static final Duration DEFAULT_COHORT_WINDOW = Duration.ofMinutes(5);
    private static final Duration WITHIN = Duration.ofSeconds(120);

    @TempDir
    static Path dir;
    private static FieldStack stack;
    private static PythonClients python;
    private static IssuedLicense license;

    @BeforeAll
    static void startTheStackWithItsDefaults() {
        assumeTrue(PythonClients.available(), "python3 with the cryptography package is needed for these clients");
        stack = FieldStack.start(dir);
        python = new PythonClients(dir);
        license = stack.issue("customer-fleet", FLEET);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void fiveHundredInstallationsOfOneOutdatedStackArePagedOnceForTheCohort() throws Exception {
        // given 500 TLS-1.0-only installations failing their checks three times and reporting it
        runFleet(3);
        await().atMost(WITHIN).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(judged("stuck") + judged("at_risk")).isEqualTo(FLEET));

        // when the stack's time moves past the hold and the fleet tries again, then past the cohort window
        stack.clock().skip(DEFAULT_HOLD.plus(DEFAULT_EVALUATE_EVERY));
        runFleet(1);
        stack.clock().skip(DEFAULT_COHORT_WINDOW.plus(DEFAULT_EVALUATE_EVERY));

        // then the pager got one trigger for the cohort and none for a single installation (the fingerprint's own
        // alert, one page for the outdated JA4 however many run it, is a separate family: docs/alerting.md)
        await().atMost(WITHIN).untilAsserted(() -> assertThat(triggers()).anyMatch(k -> k.startsWith("tls-cohort:")));
        List<String> triggers = triggers();
        LOG.info("PagerDuty triggers: {}", triggers);
        assertThat(triggers).filteredOn(k -> k.startsWith("tls-cohort:")).hasSize(1);
        assertThat(triggers).noneMatch(k -> k.startsWith("tls-outdated:"));
        assertThat(triggers).allMatch(k -> k.startsWith("tls-cohort:") || k.startsWith("tls-outdated-fingerprint:"));
    }

    private static void runFleet(int checks) {
        long shift = stack.clock().ahead().toSeconds();
        PythonClients.Run run = python.start(List.of("--stack", "tls10",
                "--connect", "127.0.0.1:" + stack.validatorPort(),
                "--public-url", stack.publicUrl().toString(),
                "--source", "127.0.2.1", "--count", String.valueOf(FLEET),
                "--ca", stack.certificates().caCertificate().toString(),
                "--license-key", license.licenseKey(),
                "--client-id", "fleet",
                "--key-file", dir.resolve("fleet.key").toString(),
                "--collector", "127.0.0.1:" + stack.collectorHttpPort(),
                "--collector-tls", "127.0.0.1:" + stack.collectorHttpsPort(),
                "--checks", String.valueOf(checks), "--interval", "1",
                "--clock-offset", String.valueOf(shift)));
        List<JsonNode> lines = run.await();
        assertThat(lines).hasSize(FLEET * checks).allSatisfy(line -> assertThat(line.path("ok").asBoolean()).isFalse());
    }

    /** Clients whose committed or pending posture is this one. */
    private static int judged(String posture) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        stack.query("/v1/clients?posture=" + posture + "&includePending=true&limit=1000")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.reader().readTree(response.body()).path("clients").size();
    }

    private static List<String> triggers() {
        return stack.pagerTriggers();
    }
}
