package io.tlswatch.validator.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlswatch.contract.event.AdminScope;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.LicenseRecordStatus;
import io.tlswatch.contract.event.MachineDeactivation;
import io.tlswatch.contract.event.MachineRecord;
import io.tlswatch.contract.event.MachineStatus;
import io.tlswatch.contract.event.PolicyRecord;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.contract.topic.Deletion;
import io.tlswatch.contract.topic.LicensePartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin API's rules over in-memory tables: authentication, scopes, rate limit, and each operation's answers. */
class AdminApiTest {

    private final AdminFixture admin = new AdminFixture();
    private final String writer = admin.token("ci-deploy", AdminScope.WRITE, null);
    private final String reader = admin.token("support-desk", AdminScope.READ, null);

    private static JsonNode json(AdminResponse response) {
        return Json.mapper().valueToTree(response.body());
    }

    private static void assertError(AdminResponse response, int status, String code, String field) {
        assertThat(response.status()).isEqualTo(status);
        JsonNode error = json(response).get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        if (field == null) {
            assertThat(error.has("field")).isFalse();
        } else {
            assertThat(error.get("field").asText()).isEqualTo(field);
        }
    }

    @ParameterizedTest
    @CsvSource({"GET,/v1/admin/licenses", "POST,/v1/admin/licenses", "GET,/v1/admin/nothing-here",
            "POST,/v1/admin/licenses/lic-1/revoke", "DELETE,/v1/admin/policies/p"})
    void anyRequestWithoutATokenIsUnauthorizedWithABearerChallenge(String method, String path) {
        AdminResponse response = admin.call(null, method, path, null);

        assertError(response, 401, "unauthorized", "Authorization");
        assertThat(response.headers()).containsEntry("WWW-Authenticate", "Bearer realm=\"tlswatch-admin\"");
    }

    @Test
    void aTokenWithAWrongSecretAnUnknownIdOrAPastExpiryIsUnauthorized() {
        String expired = admin.token("old", AdminScope.ADMIN, AdminFixture.NOW.minusSeconds(1));
        String wrongSecret = writer.substring(0, writer.length() - 4) + "AAAA";
        String unknown = new AdminTokenFormat(new java.security.SecureRandom()).generate().token();

        for (String token : new String[]{expired, wrongSecret, unknown, "not-a-token"}) {
            assertError(admin.call(token, "GET", "/v1/admin/licenses", null), 401, "unauthorized", "Authorization");
        }
        assertThat(admin.meters.get("tlswatch.admin.auth.failures").tag("reason", "expired").counter().count())
                .isEqualTo(1);
        assertThat(admin.meters.get("tlswatch.admin.auth.failures").tag("reason", "unknown").counter().count())
                .isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource({"POST,/v1/admin/licenses", "PATCH,/v1/admin/licenses/lic-1", "POST,/v1/admin/licenses/lic-1/renew",
            "POST,/v1/admin/licenses/lic-1/suspend", "POST,/v1/admin/licenses/lic-1/resume",
            "POST,/v1/admin/licenses/lic-1/revoke", "POST,/v1/admin/licenses/lic-1/reissue-key",
            "POST,/v1/admin/licenses/lic-1/machines/m1/deactivate", "POST,/v1/admin/policies",
            "PUT,/v1/admin/policies/p", "DELETE,/v1/admin/policies/p"})
    void aReadTokenIsForbiddenEveryWrite(String method, String path) {
        admin.license("lic-1");

        assertError(admin.call(reader, method, path, "{}"), 403, "forbidden", "Authorization");
        assertThat(admin.writes).isEmpty();
    }

    @Test
    void issuingRecordsTheTokensNameAsOperatorAndShowsTheKeyOnce() {
        AdminResponse response = admin.call(writer, "POST", "/v1/admin/licenses", """
                {"licenseId":"lic-acme","customer":"Acme","plan":"pro","maxMachines":3,
                 "notAfter":"2027-12-07T00:00:00Z","entitlements":["reporting"],"reason":"contract 42"}""");

        assertThat(response.status()).isEqualTo(201);
        String key = json(response).get("licenseKey").asText();
        LicenseRecord written = admin.licenses.get("lic-acme");
        assertThat(written.keyHash()).isEqualTo(LicenseRecord.keyHashOf(key));
        assertThat(written.operator()).isEqualTo("ci-deploy");
        assertThat(written.reason()).isEqualTo("contract 42");
        assertThat(written.maxMachines()).isEqualTo(3);
        assertThat(json(admin.call(reader, "GET", "/v1/admin/licenses/lic-acme", null)).toString())
                .doesNotContain(key);
    }

    @Test
    void issuingAnIdThatExistsIsAConflictNamingTheId() {
        admin.license("lic-1");

        assertError(admin.call(writer, "POST", "/v1/admin/licenses",
                "{\"licenseId\":\"lic-1\",\"customer\":\"A\",\"plan\":\"p\"}"), 409, "license_exists", "/licenseId");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"plan\":\"p\"}|/customer",
            "{\"customer\":\"A\",\"plan\":\"p\",\"maxMachines\":0}|/maxMachines",
            "{\"customer\":\"A\",\"plan\":\"p\",\"maxMachines\":\"two\"}|/maxMachines",
            "{\"customer\":\"A\",\"plan\":\"p\",\"notAfter\":\"2020-01-01T00:00:00Z\"}|/notAfter",
            "{\"customer\":\"A\",\"plan\":\"p\",\"notAfter\":\"tomorrow\"}|/notAfter",
            "{\"customer\":\"A\",\"plan\":\"p\",\"gracePeriod\":\"3 days\"}|/gracePeriod",
            "{\"customer\":\"A\",\"plan\":\"p\",\"policyId\":\"missing\"}|/policyId",
            "{\"customer\":\"A\",\"plan\":\"p\",\"overrides\":{\"maxMachines\":0}}|/overrides/maxMachines",
            "{\"customer\":\"A\",\"plan\":\"p\",\"overrides\":{\"activation\":\"sometimes\"}}|/overrides/activation",
            "{\"customer\":\"A\",\"plan\":\"p\",\"overrides\":{\"colour\":\"red\"}}|/overrides/colour",
            "{\"customer\":\"A\",\"plan\":\"p\",\"maxMachine\":2}|/maxMachine",
            "{\"customer\":\"A\",\"plan\":\"p\",\"licenseId\":\"has space\"}|/licenseId"})
    void anInvalidIssueIsRefusedNamingTheField(String body, String field) {
        assertError(admin.call(writer, "POST", "/v1/admin/licenses", body), 422, "invalid_field", field);
        assertThat(admin.writes).isEmpty();
    }

    @Test
    void revocationNeedsAReasonAndRecordsIt() {
        admin.license("lic-1");

        assertError(admin.call(writer, "POST", "/v1/admin/licenses/lic-1/revoke", "{}"), 422, "invalid_field",
                "/reason");
        AdminResponse revoked = admin.call(writer, "POST", "/v1/admin/licenses/lic-1/revoke",
                "{\"reason\":\"chargeback\"}");

        assertThat(revoked.status()).isEqualTo(200);
        assertThat(json(revoked).get("written").asBoolean()).isTrue();
        LicenseRecord row = admin.licenses.get("lic-1");
        assertThat(row.status()).isEqualTo(LicenseRecordStatus.REVOKED);
        assertThat(row.operator()).isEqualTo("ci-deploy");
        assertThat(row.reason()).isEqualTo("chargeback");
    }

    @ParameterizedTest
    @CsvSource({"resume", "suspend", "renew", "reissue-key"})
    void aRevokedLicenseCannotBeChangedAgain(String action) {
        admin.license("lic-1");
        admin.call(writer, "POST", "/v1/admin/licenses/lic-1/revoke", "{\"reason\":\"fraud\"}");

        assertError(admin.call(writer, "POST", "/v1/admin/licenses/lic-1/" + action,
                action.equals("renew") ? "{\"notAfter\":null}" : "{}"), 409, "license_revoked", null);
    }

    @Test
    void suspendingASuspendedLicenseWritesNothing() {
        admin.license("lic-1");
        admin.call(writer, "POST", "/v1/admin/licenses/lic-1/suspend", null);

        AdminResponse again = admin.call(writer, "POST", "/v1/admin/licenses/lic-1/suspend", null);

        assertThat(json(again).get("written").asBoolean()).isFalse();
        assertThat(admin.writes).hasSize(1);
    }

    @Test
    void renewingSetsANewEndAndRefusesOneBeforeTheStart() {
        admin.license("lic-1");

        assertError(admin.call(writer, "POST", "/v1/admin/licenses/lic-1/renew", "{}"), 422, "invalid_field",
                "/notAfter");
        assertError(admin.call(writer, "POST", "/v1/admin/licenses/lic-1/renew",
                "{\"notAfter\":\"2001-01-01T00:00:00Z\"}"), 422, "invalid_field", "/notAfter");
        admin.call(writer, "POST", "/v1/admin/licenses/lic-1/renew", "{\"notAfter\":\"2028-01-01T00:00:00Z\"}");

        assertThat(admin.licenses.get("lic-1").notAfter()).isEqualTo(Instant.parse("2028-01-01T00:00:00Z"));
    }

    @Test
    void reissuingTheKeyReplacesItsHash() {
        LicenseRecord before = admin.license("lic-1");

        AdminResponse response = admin.call(writer, "POST", "/v1/admin/licenses/lic-1/reissue-key", null);

        String key = json(response).get("licenseKey").asText();
        assertThat(admin.licenses.get("lic-1").keyHash()).isEqualTo(LicenseRecord.keyHashOf(key))
                .isNotEqualTo(before.keyHash());
    }

    @Test
    void patchingMovesALicenseToAPolicyThatExistsOnly() {
        admin.license("lic-1");
        admin.call(writer, "POST", "/v1/admin/policies", "{\"policyId\":\"floating-5\",\"name\":\"Floating 5\","
                + "\"terms\":{\"maxMachines\":5,\"heartbeatInterval\":\"PT10M\",\"heartbeatLapse\":\"keep\"}}");

        assertError(admin.call(writer, "PATCH", "/v1/admin/licenses/lic-1", "{\"policyId\":\"nope\"}"), 422,
                "invalid_field", "/policyId");
        admin.call(writer, "PATCH", "/v1/admin/licenses/lic-1",
                "{\"policyId\":\"floating-5\",\"overrides\":{\"maxMachines\":7}}");

        LicenseRecord row = admin.licenses.get("lic-1");
        assertThat(row.policyId()).isEqualTo("floating-5");
        assertThat(row.overrides().maxMachines()).isEqualTo(7);
        assertThat(admin.policies.get("floating-5").terms().heartbeatInterval()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void listingFiltersByStatusCustomerAndPolicy() {
        admin.license("lic-1");
        admin.license("lic-2");
        admin.call(writer, "POST", "/v1/admin/licenses/lic-2/suspend", null);

        JsonNode suspended = json(admin.call(reader, "GET", "/v1/admin/licenses?status=suspended&customer=Acme", null));

        assertThat(suspended.get("licenses")).hasSize(1);
        assertThat(suspended.get("licenses").get(0).get("licenseId").asText()).isEqualTo("lic-2");
        assertError(admin.call(reader, "GET", "/v1/admin/licenses?status=gone", null), 422, "invalid_field",
                "?status");
    }

    @Test
    void unknownLicensesMachinesAndPoliciesAreNotFound() {
        admin.license("lic-1");

        assertError(admin.call(reader, "GET", "/v1/admin/licenses/lic-x", null), 404, "not_found", "licenseId");
        assertError(admin.call(reader, "GET", "/v1/admin/licenses/lic-x/machines", null), 404, "not_found",
                "licenseId");
        assertError(admin.call(writer, "POST", "/v1/admin/licenses/lic-1/machines/m9/deactivate", null), 404,
                "not_found", "machineId");
        assertError(admin.call(reader, "GET", "/v1/admin/policies/none", null), 404, "not_found", "policyId");
        assertError(admin.call(reader, "GET", "/v1/admin/whatever", null), 404, "not_found", null);
        assertError(admin.call(reader, "DELETE", "/v1/admin/licenses", null), 405, "method_not_allowed", null);
    }

    @Test
    void deactivatingAMachineWritesAnOperatorRowToTheLicensesPartition() {
        admin.license("lic-1");
        admin.machine("lic-1", "m1");

        AdminResponse response = admin.call(writer, "POST", "/v1/admin/licenses/lic-1/machines/m1/deactivate",
                "{\"reason\":\"laptop stolen\"}");

        assertThat(response.status()).isEqualTo(200);
        AdminFixture.Write write = admin.writes.get(0);
        assertThat(write.partition()).isEqualTo(LicensePartition.of("lic-1", AdminFixture.MACHINE_PARTITIONS));
        MachineRecord row = (MachineRecord) write.value();
        assertThat(row.status()).isEqualTo(MachineStatus.DEACTIVATED);
        assertThat(row.deactivation()).isEqualTo(MachineDeactivation.OPERATOR);
        assertThat(row.operator()).isEqualTo("ci-deploy");
        assertThat(row.reason()).isEqualTo("laptop stolen");
        assertThat(json(admin.call(reader, "GET", "/v1/admin/licenses/lic-1/machines", null)).get("machines")
                .get(0).get("status").asText()).isEqualTo("deactivated");
    }

    @Test
    void aPolicyIsCreatedReplacedAndDeletedButNotWhileALicenseNamesIt() {
        admin.call(writer, "POST", "/v1/admin/policies", "{\"policyId\":\"p1\",\"name\":\"One\"}");
        assertError(admin.call(writer, "POST", "/v1/admin/policies", "{\"policyId\":\"p1\",\"name\":\"One\"}"), 409,
                "policy_exists", "/policyId");
        admin.call(writer, "PUT", "/v1/admin/policies/p1", "{\"name\":\"Uno\",\"terms\":{\"tokenLifetime\":\"PT5M\"}}");
        PolicyRecord replaced = admin.policies.get("p1");
        assertThat(replaced.name()).isEqualTo("Uno");
        assertThat(replaced.operator()).isEqualTo("ci-deploy");
        admin.license("lic-1");
        admin.call(writer, "PATCH", "/v1/admin/licenses/lic-1", "{\"policyId\":\"p1\"}");

        assertError(admin.call(writer, "DELETE", "/v1/admin/policies/p1", null), 409, "policy_in_use", "policyId");
        admin.call(writer, "PATCH", "/v1/admin/licenses/lic-1", "{\"policyId\":null}");
        assertThat(admin.call(writer, "DELETE", "/v1/admin/policies/p1?reason=unused", null).status()).isEqualTo(200);
        assertThat(admin.policies).doesNotContainKey("p1");
        assertThat(admin.deletions).containsExactly(new Deletion("ci-deploy", "unused"));
        assertThat(json(admin.call(reader, "GET", "/v1/admin/policies", null)).get("policies")).isEmpty();
    }

    @Test
    void aBodyThatIsNotJsonIsRefused() {
        assertError(admin.call(writer, "POST", "/v1/admin/policies", "{"), 400, "malformed_json", null);
        assertError(admin.api.handle(new AdminRequest("POST", "/v1/admin/policies", java.util.Map.of(),
                "Bearer " + writer, "text/plain", "{}".getBytes())), 415, "unsupported_media_type", "Content-Type");
    }

    @Test
    void aTokenOverItsRateIsToldWhenToRetry() {
        AdminFixture limited = new AdminFixture(60);
        String token = limited.token("busy", AdminScope.READ, null);
        String other = limited.token("calm", AdminScope.READ, null);

        for (int i = 0; i < 6; i++) {
            assertThat(limited.call(token, "GET", "/v1/admin/licenses", null).status()).isEqualTo(200);
        }
        AdminResponse refused = limited.call(token, "GET", "/v1/admin/licenses", null);

        assertError(refused, 429, "rate_limited", null);
        assertThat(refused.headers().get("Retry-After")).isEqualTo("2");
        assertThat(limited.call(other, "GET", "/v1/admin/licenses", null).status()).isEqualTo(200);
        limited.nanoTime.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(limited.call(token, "GET", "/v1/admin/licenses", null).status()).isEqualTo(200);
    }

    @Test
    void everyRequestIsCountedByOperationAndOutcome() {
        admin.call(reader, "GET", "/v1/admin/licenses", null);
        admin.call(reader, "POST", "/v1/admin/licenses", "{}");

        assertThat(admin.meters.get("tlswatch.admin.requests").tag("operation", "licenses.list")
                .tag("outcome", "ok").timer().count()).isEqualTo(1);
        assertThat(admin.meters.get("tlswatch.admin.requests").tag("operation", "licenses.issue")
                .tag("outcome", "refused").timer().count()).isEqualTo(1);
        assertThat(admin.meters.get("tlswatch.admin.errors").tag("code", "forbidden").counter().count()).isEqualTo(1);
    }
}
