package io.tlswatch.validator.api;

import com.nimbusds.jose.jwk.ECKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.MachineActivation;
import io.tlswatch.contract.event.PolicyTerms;
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

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link MachineService} on real parts, with the machines of one replica and no broker. */
class MachineServiceTest {

    private static final ConnectionFacts OVER_TLS = new ConnectionFacts("203.0.113.7", "TLSv1.3",
            "TLS_AES_128_GCM_SHA256", null, null);
    private static final String BASE = "https://licenses.tlswatch.test";

    private final LicenseServiceTest.Parts parts = new LicenseServiceTest.Parts();
    private final Map<String, LicenseRecord> byKeyHash = new HashMap<>();
    private final MachineLedger ledger = new MachineLedger(id -> byKeyHash.values().stream()
            .filter(l -> l.licenseId().equals(id)).findFirst().map(LicenseRecord::maxMachines).orElse(Integer.MAX_VALUE));
    private final SharedMachines machines = new SharedMachines(ledger, new InMemoryMachineLog(ledger),
            new MachineMetrics(new SimpleMeterRegistry(), ledger), Duration.ofSeconds(5), "validator@test");
    private final LicenseService licenses = new LicenseService(
            new LicenseDecision(hash -> Optional.ofNullable(byKeyHash.get(hash)),
                    new DefaultTerms(Duration.ofHours(24), Duration.ofMinutes(15), false), machines),
            new DpopVerifier(DpopSettings.defaults(), new ReplayCache(1_000, parts.clock), parts.clock),
            new TokenIssuer(parts.keys, parts.tokenSettings, parts.clock), uri(LicenseApiHandler.VALIDATE_PATH),
            parts.clock, "validator@test", machines::machine);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final MachineService service = new MachineService(licenses, machines, MachineServiceTest::uri, meters);

    private static URI uri(String path) {
        return URI.create(BASE + path);
    }

    private LicenseRecord license(String key, int maxMachines, PolicyTerms overrides) {
        LicenseRecord license = parts.add(key, b -> b.maxMachines(maxMachines).overrides(overrides));
        byKeyHash.put(license.keyHash(), license);
        return license;
    }

    private static ValidateRequest request(String key, String clientId) {
        return new ValidateRequest(key, clientId, null);
    }

    @Test
    void an_activation_with_a_proof_for_its_own_endpoint_is_answered_like_a_validation_with_the_machine() {
        // given
        license("key-1", 2, null);
        ECKey key = LicenseServiceTest.Parts.clientKey();

        // when
        LicenseService.Answer answer = service.activate(request("key-1", "inst-1"), "build-server",
                List.of(parts.proof(key, uri(MachineService.ACTIVATE_PATH))), OVER_TLS, System.nanoTime());

        // then
        assertThat(answer.code()).isEqualTo(LicenseCheckCode.VALID);
        assertThat(answer.body()).containsKeys("license", "token", "expiresAt");
        assertThat(answer.event()).isNotNull();
        @SuppressWarnings("unchecked")
        Map<String, Object> machine = (Map<String, Object>) answer.body().get("machine");
        assertThat(machine).containsEntry("id", "inst-1").containsEntry("status", "active")
                .containsEntry("heartbeat", Map.of("required", false)).doesNotContainKey("lastHeartbeatAt");
        assertThat(ledger.active(byKeyHash.values().iterator().next().licenseId(), "inst-1")).get()
                .satisfies(row -> assertThat(row.name()).isEqualTo("build-server"));
    }

    @Test
    void a_proof_made_for_the_validate_endpoint_is_not_accepted_by_the_activate_endpoint() {
        license("key-1", 2, null);
        ECKey key = LicenseServiceTest.Parts.clientKey();

        LicenseService.Answer answer = service.activate(request("key-1", "inst-1"), null,
                List.of(parts.proof(key)), OVER_TLS, System.nanoTime());

        assertThat(answer.code()).isEqualTo(LicenseCheckCode.PROOF_INVALID);
        assertThat(ledger.activeTotal()).isZero();
    }

    @Test
    void a_heartbeat_of_a_machine_not_activated_is_no_machine_and_of_an_active_one_valid_without_a_token() {
        // given
        license("key-1", 2, null);

        // when
        LicenseService.Answer before = service.heartbeat(request("key-1", "inst-1"), List.of(), OVER_TLS, 0);
        licenses.validate(request("key-1", "inst-1"), List.of(), OVER_TLS, 0);
        LicenseService.Answer after = service.heartbeat(request("key-1", "inst-1"), List.of(), OVER_TLS, 0);

        // then
        assertThat(before.body()).containsEntry("valid", false).containsEntry("code", "NO_MACHINE")
                .containsOnlyKeys("valid", "code", "detail");
        assertThat(after.body()).containsEntry("valid", true).containsEntry("code", "VALID")
                .containsOnlyKeys("valid", "code", "detail", "machine");
        assertThat(after.event()).isNull();
        assertThat(after.body().get("machine")).asString().contains("lastHeartbeatAt=" + LicenseServiceTest.Parts.NOW);
    }

    @Test
    void a_deactivation_answers_deactivated_with_the_machine_and_then_no_machine() {
        // given
        license("key-1", 1, null);
        licenses.validate(request("key-1", "inst-1"), List.of(), OVER_TLS, 0);

        // when
        LicenseService.Answer first = service.deactivate(request("key-1", "inst-1"), List.of(), OVER_TLS, 0);
        LicenseService.Answer second = service.deactivate(request("key-1", "inst-1"), List.of(), OVER_TLS, 0);

        // then
        assertThat(first.body()).containsEntry("valid", false).containsEntry("code", "DEACTIVATED");
        assertThat(first.body().get("machine")).asString().contains("status=deactivated");
        assertThat(second.body()).containsEntry("code", "NO_MACHINE");
        assertThat(licenses.validate(request("key-1", "inst-2"), List.of(), OVER_TLS, 0).code())
                .isEqualTo(LicenseCheckCode.VALID);
        assertThat(meters.get("tlswatch.machines.requests").tag("endpoint", "deactivate").tag("outcome", "accepted")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void under_an_explicit_policy_a_check_finds_no_machine_until_the_machine_is_activated() {
        license("key-1", 2, new PolicyTerms(null, null, null, null, null, null, null, MachineActivation.EXPLICIT,
                null));

        assertThat(licenses.validate(request("key-1", "inst-1"), List.of(), OVER_TLS, 0).code())
                .isEqualTo(LicenseCheckCode.NO_MACHINE);
        assertThat(service.activate(request("key-1", "inst-1"), null, List.of(), OVER_TLS, 0).code())
                .isEqualTo(LicenseCheckCode.VALID);
        assertThat(licenses.validate(request("key-1", "inst-1"), List.of(), OVER_TLS, 0).body())
                .containsEntry("code", "VALID").containsKey("machine");
    }

    @Test
    void a_name_that_is_not_a_short_string_is_refused_naming_the_field() {
        MachineService.Name name = MachineService.readName("{\"name\":42}".getBytes(StandardCharsets.UTF_8));
        MachineService.Name none = MachineService.readName("{}".getBytes(StandardCharsets.UTF_8));

        assertThat(name.error().field()).isEqualTo("/name");
        assertThat(none.value()).isNull();
        assertThat(none.error()).isNull();
    }
}
