package io.tlswatch.client;

import io.tlswatch.client.state.VerdictStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Activation, heartbeats, deactivation and the machine codes, against {@link MachinesStub}: a local HTTPS server
 * speaking the validator's wire format for them, with the validator's own DPoP verifier and token issuer.
 */
class LicenseClientMachinesTest {

    private static final String VALIDATE = "/v1/licenses/validate";
    private static final String ACTIVATE = "/v1/machines/activate";
    private static final String HEARTBEAT = "/v1/machines/heartbeat";
    private static final String DEACTIVATE = "/v1/machines/deactivate";

    @TempDir
    Path state;
    @TempDir
    Path certificates;
    private MachinesStub stub;

    @BeforeEach
    void serve() throws Exception {
        stub = new MachinesStub(certificates);
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void anExplicitActivationPolicyAsksTheAppToActivateAndActivationProvesPossessionForItsOwnEndpoint() {
        stub.explicitActivation();
        try (LicenseClient client = client().build()) {
            // given a machine the policy has not activated
            LicenseStatus before = client.validate();
            assertThat(before.state()).isEqualTo(LicenseState.INVALID);
            assertThat(before.code()).contains("NO_MACHINE");
            assertThat(before.activationRequired()).isTrue();

            // when the app activates it, naming it
            LicenseStatus after = client.activate("build-host");

            // then it is valid, and the proof was for the activate endpoint's URI
            assertThat(after.state()).isEqualTo(LicenseState.VALID);
            assertThat(after.activationRequired()).isFalse();
            assertThat(after.machine()).hasValueSatisfying(machine -> {
                assertThat(machine.active()).isTrue();
                assertThat(machine.id()).contains(client.clientId());
            });
            MachinesStub.Seen activation = only(ACTIVATE);
            assertThat(activation.htu()).isEqualTo(stub.url() + ACTIVATE);
            assertThat(activation.proofVerified()).isTrue();
            assertThat(activation.body().get("name").asText()).isEqualTo("build-host");
            assertThat(activation.body().get("clientId").asText()).isEqualTo(client.clientId());
            assertThat(client.validate().state()).as("an active machine validates").isEqualTo(LicenseState.VALID);
        }
    }

    @Test
    void requiredHeartbeatsGoWellBeforeTheyAreDueAndStopOnClose() {
        stub.heartbeats(Duration.ofSeconds(4));
        try (LicenseClient client = client().build()) {
            // when a client starts on a policy with a 4 s heartbeat interval
            client.start();

            // then heartbeats go about every 2 s, each with a proof for the heartbeat endpoint
            await().atMost(Duration.ofSeconds(20)).until(() -> stub.count(HEARTBEAT) >= 3);
            assertThat(stub.seen()).filteredOn(s -> s.path().equals(HEARTBEAT))
                    .allSatisfy(s -> {
                        assertThat(s.proofVerified()).isTrue();
                        assertThat(s.htu()).isEqualTo(stub.url() + HEARTBEAT);
                        assertThat(s.body().has("entitlements")).isFalse();
                    });
            assertThat(client.status().machine()).hasValueSatisfying(m ->
                    assertThat(m.lastHeartbeatAt()).isPresent());
            assertThat(stub.lateHeartbeats()).as("none after its due time").isZero();
            assertThat(client.status().state()).isEqualTo(LicenseState.VALID);
            assertThat(heartbeatThreads()).hasSize(1);
        }
        assertThat(heartbeatThreads()).as("close ends the heartbeat thread").isEmpty();
    }

    @Test
    void aFailedHeartbeatIsRetriedWithABackoffUntilTheServerTakesIt() {
        stub.heartbeats(Duration.ofSeconds(2));
        try (LicenseClient client = client().build()) {
            // given heartbeats the server cannot take
            stub.failing(HEARTBEAT);
            client.validate();
            await().atMost(Duration.ofSeconds(15)).until(() -> stub.count(HEARTBEAT) >= 2);
            assertThat(client.status().lastFailure()).hasValueSatisfying(f ->
                    assertThat(f.errorClass()).isEqualTo("http.error"));
            assertThat(client.status().state()).as("a failed heartbeat changes no entitlement")
                    .isEqualTo(LicenseState.VALID);

            // when the server recovers, then the next retry is taken
            stub.recovered(HEARTBEAT);
            await().atMost(Duration.ofSeconds(15)).until(() -> client.status().machine()
                    .flatMap(Machine::lastHeartbeatAt).isPresent());
            assertThat(client.status().lastFailure()).isEmpty();
        }
    }

    @Test
    void aHeartbeatDeadAnswerIsClearedByAHeartbeatBeforeTheAppIsTold() {
        stub.heartbeats(Duration.ofMinutes(10));
        try (LicenseClient client = client().build()) {
            assertThat(client.validate().state()).isEqualTo(LicenseState.VALID);
            int before = stub.seen().size();

            // when the server finds the machine's heartbeat overdue
            stub.answerNext(VALIDATE, "HEARTBEAT_DEAD");
            LicenseStatus status = client.validate();

            // then the SDK beat at once and asked again: the app sees only the second answer
            assertThat(status.state()).isEqualTo(LicenseState.VALID);
            assertThat(stub.seen().subList(before, stub.seen().size())).extracting(MachinesStub.Seen::path)
                    .containsExactly(VALIDATE, HEARTBEAT, VALIDATE);
        }
    }

    @Test
    void aHeartbeatCodeThatPersistsAfterTheHeartbeatEndsUseWithThatCode() {
        try (LicenseClient client = client().build()) {
            assertThat(client.validate().state()).isEqualTo(LicenseState.VALID);
            stub.answerNext(VALIDATE, "HEARTBEAT_NOT_STARTED");
            stub.answerNext(VALIDATE, "HEARTBEAT_NOT_STARTED");

            LicenseStatus status = client.validate();

            assertThat(status.state()).isEqualTo(LicenseState.INVALID);
            assertThat(status.code()).contains("HEARTBEAT_NOT_STARTED");
            assertThat(status.usable()).isFalse();
            assertThat(stub.count(HEARTBEAT)).isEqualTo(1);
        }
    }

    @Test
    void aHeartbeatCodeWhileTheHeartbeatCannotBeSentKeepsTheEntitlement() {
        try (LicenseClient client = client().build()) {
            assertThat(client.validate().state()).isEqualTo(LicenseState.VALID);
            stub.answerNext(VALIDATE, "HEARTBEAT_DEAD");
            stub.failing(HEARTBEAT);

            LicenseStatus status = client.validate();

            assertThat(status.state()).isEqualTo(LicenseState.VALID);
            assertThat(status.code()).contains("VALID");
            assertThat(status.lastFailure()).hasValueSatisfying(f -> assertThat(f.errorClass()).isEqualTo("http.error"));
        }
    }

    @Test
    void deactivationFreesTheSlotAndLeavesNoEntitlementHereNorInTheCache() throws Exception {
        stub.heartbeats(Duration.ofSeconds(2));
        try (LicenseClient client = client().build()) {
            // given a running client with heartbeats
            client.start();
            await().atMost(Duration.ofSeconds(15)).until(() -> stub.count(HEARTBEAT) >= 1);

            // when the app deactivates it (uninstall)
            LicenseStatus status = client.deactivate();

            // then the server freed it, and this client says it holds nothing
            assertThat(status.state()).isEqualTo(LicenseState.INVALID);
            assertThat(status.code()).contains("DEACTIVATED");
            assertThat(status.usable()).isFalse();
            assertThat(status.token()).isEmpty();
            assertThat(status.machine()).hasValueSatisfying(m -> assertThat(m.status()).isEqualTo("deactivated"));
            MachinesStub.Seen deactivation = only(DEACTIVATE);
            assertThat(deactivation.htu()).isEqualTo(stub.url() + DEACTIVATE);
            assertThat(deactivation.proofVerified()).isTrue();
            // and neither heartbeats nor background checks (which could activate it anew) follow
            long requests = stub.seen().size();
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> stub.seen().size() == requests);
            await("the idle heartbeat thread ends while the client is open").atMost(Duration.ofSeconds(15))
                    .until(() -> heartbeatThreads().isEmpty());
        }
        assertThat(Files.readString(state.resolve(VerdictStore.FILE_NAME))).contains("DEACTIVATED");
        try (LicenseClient restarted = client().build()) {
            assertThat(restarted.status().code()).as("the cached token is gone").contains("DEACTIVATED");
            assertThat(restarted.status().usable()).isFalse();
        }
    }

    @Test
    void aDeactivationTheServerCannotTakeChangesNothing() {
        try (LicenseClient client = client().build()) {
            assertThat(client.validate().state()).isEqualTo(LicenseState.VALID);
            stub.failing(DEACTIVATE);

            LicenseStatus status = client.deactivate();

            assertThat(status.state()).isEqualTo(LicenseState.VALID);
            assertThat(status.lastFailure()).hasValueSatisfying(f -> assertThat(f.errorClass()).isEqualTo("http.error"));
        }
    }

    @Test
    void entitlementsTheAppAsksForAreSentWithChecksAndActivations() {
        try (LicenseClient client = client().entitlements("reporting").build()) {
            assertThat(client.validate().state()).isEqualTo(LicenseState.VALID);
            assertThat(client.activate().state()).isEqualTo(LicenseState.VALID);

            assertThat(only(VALIDATE).body().get("entitlements")).extracting(n -> n.asText())
                    .containsExactly("reporting");
            assertThat(only(ACTIVATE).body().get("entitlements")).extracting(n -> n.asText())
                    .containsExactly("reporting");
        }
    }

    @Test
    void withoutEntitlementsAskedForTheRequestNamesNone() {
        try (LicenseClient client = client().build()) {
            client.validate();

            assertThat(only(VALIDATE).body().has("entitlements")).isFalse();
        }
    }

    private MachinesStub.Seen only(String path) {
        List<MachinesStub.Seen> matching = stub.seen().stream().filter(s -> s.path().equals(path))
                .collect(Collectors.toList());
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }

    private LicenseClient.Builder client() {
        return LicenseClient.builder().serverUrl(stub.url()).licenseKey("TLSW-STUB").stateDirectory(state)
                .trustedCas(stub.caCertificate()).connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(10));
    }

    static List<Thread> heartbeatThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().equals(LicenseClient.HEARTBEAT_THREAD)).collect(Collectors.toList());
    }
}
