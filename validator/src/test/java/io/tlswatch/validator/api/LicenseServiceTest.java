package io.tlswatch.validator.api;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.event.LicenseCheckEvent;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.LicenseRecordStatus;
import io.tlswatch.contract.event.PolicyTerms;
import io.tlswatch.contract.event.ProofKind;
import io.tlswatch.contract.event.RuntimeInfo;
import io.tlswatch.contract.event.SdkInfo;
import io.tlswatch.validator.license.DefaultTerms;
import io.tlswatch.validator.license.LicenseDecision;
import io.tlswatch.validator.machine.LedgerMachines;
import io.tlswatch.validator.token.DpopSettings;
import io.tlswatch.validator.token.DpopVerifier;
import io.tlswatch.validator.token.ReplayCache;
import io.tlswatch.validator.token.SigningAlgorithm;
import io.tlswatch.validator.token.SigningKeys;
import io.tlswatch.validator.token.TokenIssuer;
import io.tlswatch.validator.token.TokenSettings;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigInteger;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link LicenseService} on real parts: decision, machine ledger, DPoP verifier, token issuer and keys. */
class LicenseServiceTest {

    private static final ConnectionFacts OVER_TLS = new ConnectionFacts("203.0.113.7", "TLSv1.3",
            "TLS_AES_128_GCM_SHA256", "t13d1516h2_8daaf6152771_e5627efa2ab1", null);
    private static final SdkInfo SDK = new SdkInfo("tlswatch-java", "1.2.0",
            new RuntimeInfo("OpenJDK", "17.0.15", "Debian"), "Linux");

    private final Parts parts = new Parts();

    @Test
    void aVerifiedDpopProofYieldsATokenBoundToTheProofKey() throws Exception {
        // given an active license and a client with its own key
        parts.add("TLSW-key-1", b -> b);
        ECKey key = Parts.clientKey();

        // when it validates with a DPoP proof for the public validate URI
        LicenseService.Answer answer = parts.service(true).validate(request("TLSW-key-1", "inst-1"),
                List.of(parts.proof(key)), OVER_TLS, System.nanoTime());

        // then the token is bound to the key by its RFC 7638 thumbprint
        assertThat(answer.code()).isEqualTo(LicenseCheckCode.VALID);
        Map<String, Object> cnf = SignedJWT.parse((String) answer.body().get("token")).getJWTClaimsSet()
                .getJSONObjectClaim("cnf");
        assertThat(cnf).containsOnly(Map.entry("jkt", key.computeThumbprint().toString()));
        assertThat(answer.event().proof()).isEqualTo(ProofKind.DPOP);
        // and the event names the same key, for streams to pin the client's reports to
        assertThat(answer.event().proofJkt()).isEqualTo(key.computeThumbprint().toString());
    }

    @Test
    void aCheckThroughAProxyIsRecordedAsTheClientsWithTheProxyAsVia() throws Exception {
        // given a connection a trusted proxy named the client of
        ConnectionFacts proxied = new ConnectionFacts("203.0.113.7", "TLSv1.3", "TLS_AES_128_GCM_SHA256",
                "t13d1516h2_8daaf6152771_e5627efa2ab1", null, "10.0.4.17");
        parts.add("TLSW-key-1", b -> b);

        // when the client validates over it
        LicenseService.Answer answer = parts.service(true).validate(request("TLSW-key-1", "inst-1"),
                List.of(parts.proof(Parts.clientKey())), proxied, System.nanoTime());

        // then the event carries the client's address, and the proxy's as via
        assertThat(answer.event().remoteAddress()).isEqualTo("203.0.113.7");
        assertThat(answer.event().via()).isEqualTo("10.0.4.17");
    }

    @Test
    void aDirectCheckHasNoVia() throws Exception {
        LicenseService.Answer answer = parts.service(true).validate(request("TLSW-nope", "inst-1"), List.of(),
                OVER_TLS, System.nanoTime());

        assertThat(answer.event().via()).isNull();
    }

    @Test
    void aVerifiedDpopProofIsNamedInTheEventEvenWhenTheLicenseIsRefused() throws Exception {
        ECKey key = Parts.clientKey();

        LicenseService.Answer answer = parts.service(true).validate(request("TLSW-nope", "inst-1"),
                List.of(parts.proof(key)), OVER_TLS, System.nanoTime());

        assertThat(answer.code()).isEqualTo(LicenseCheckCode.NOT_FOUND);
        assertThat(answer.event().proofJkt()).isEqualTo(key.computeThumbprint().toString());
    }

    @Test
    void aMutualTlsClientCertificateWinsOverADpopProofAndBindsTheToken() throws Exception {
        // given a connection that presented a client certificate, and a request that also carries a DPoP proof
        parts.add("TLSW-key-1", b -> b);
        X509Certificate certificate = selfSigned("CN=inst-1");
        ConnectionFacts mtls = new ConnectionFacts("203.0.113.7", "TLSv1.3", "TLS_AES_128_GCM_SHA256", null,
                certificate);

        // when
        LicenseService.Answer answer = parts.service(true).validate(request("TLSW-key-1", "inst-1"),
                List.of(parts.proof(Parts.clientKey())), mtls, System.nanoTime());

        // then the token is bound to the certificate (RFC 8705 §3.1), not to the DPoP key
        assertThat(answer.code()).isEqualTo(LicenseCheckCode.VALID);
        Map<String, Object> cnf = SignedJWT.parse((String) answer.body().get("token")).getJWTClaimsSet()
                .getJSONObjectClaim("cnf");
        String expected = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        assertThat(cnf).containsOnly(Map.entry("x5t#S256", expected));
        assertThat(answer.event().proof()).isEqualTo(ProofKind.MTLS);
        assertThat(answer.event().proofJkt()).as("the DPoP key was not what the token is bound to").isNull();
    }

    @Test
    void aClientCertificateCountsAsProofEvenWithABrokenDpopHeader() throws Exception {
        // given: the certificate is checked by the TLS layer, so a DPoP header beside it is not looked at
        parts.add("TLSW-key-1", b -> b);
        ConnectionFacts mtls = new ConnectionFacts("203.0.113.7", "TLSv1.3", "TLS_AES_128_GCM_SHA256", null,
                selfSigned("CN=inst-1"));

        LicenseService.Answer answer = parts.service(true).validate(request("TLSW-key-1", "inst-1"),
                List.of("not.a.jwt"), mtls, System.nanoTime());

        assertThat(answer.code()).isEqualTo(LicenseCheckCode.VALID);
        assertThat(answer.event().proof()).isEqualTo(ProofKind.MTLS);
    }

    @Test
    void theEventDescribesTheCheckAndTheConnection() throws Exception {
        // given a license with a 72-hour grace
        LicenseRecord license = parts.add("TLSW-key-1", b -> b.gracePeriod(Duration.ofHours(72)));
        long started = System.nanoTime();

        // when
        LicenseService.Answer answer = parts.service(true).validate(
                new ValidateRequest("TLSW-key-1", "inst-1", SDK), List.of(parts.proof(Parts.clientKey())),
                OVER_TLS, started);

        // then
        LicenseCheckEvent event = answer.event();
        Instant expiresAt = (Instant) answer.body().get("expiresAt");
        assertThat(event.type()).isEqualTo(LicenseCheckEvent.TYPE);
        assertThat(event.time()).isEqualTo(Parts.NOW);
        assertThat(event.source()).isEqualTo(Parts.SOURCE);
        assertThat(event.clientId()).isEqualTo("inst-1");
        assertThat(event.licenseId()).isEqualTo(license.licenseId());
        assertThat(event.code()).isEqualTo(LicenseCheckCode.VALID);
        assertThat(event.tokenExpiresAt()).isEqualTo(expiresAt).isEqualTo(Parts.NOW.plus(Duration.ofMinutes(15)));
        assertThat(event.graceUntil()).isEqualTo(expiresAt.plus(Duration.ofHours(72)));
        assertThat(event.proof()).isEqualTo(ProofKind.DPOP);
        assertThat(event.remoteAddress()).isEqualTo("203.0.113.7");
        assertThat(event.tlsProtocol()).isEqualTo("TLSv1.3");
        assertThat(event.cipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(event.ja4()).isEqualTo(OVER_TLS.ja4());
        assertThat(event.latencyMillis()).isGreaterThanOrEqualTo(0.0);
        assertThat(event.sdk()).isEqualTo(SDK);
        assertThat(event.key()).isEqualTo("inst-1");
    }

    @Test
    void latencyIsCountedFromWhenTheRequestArrived() {
        // given a request that arrived 50 ms before it is decided
        parts.add("TLSW-key-1", b -> b);
        long arrived = System.nanoTime() - Duration.ofMillis(50).toNanos();

        LicenseService.Answer answer = parts.service(true).validate(request("TLSW-key-1", "inst-1"), List.of(),
                OVER_TLS, arrived);

        assertThat(answer.event().latencyMillis()).isGreaterThanOrEqualTo(50.0);
    }

    @Test
    void aValidAnswerCarriesTheLicenseTheTokenAndItsExpiry() throws Exception {
        // given
        LicenseRecord license = parts.add("TLSW-key-1", b -> b.plan("enterprise")
                .entitlements(List.of("reporting", "export")).maxMachines(5).gracePeriod(Duration.ofHours(72)));

        // when
        Map<String, Object> body = parts.service(true).validate(request("TLSW-key-1", "inst-1"),
                List.of(parts.proof(Parts.clientKey())), OVER_TLS, System.nanoTime()).body();

        // then
        assertThat(body).containsOnlyKeys("valid", "code", "detail", "license", "token", "expiresAt");
        assertThat(body).containsEntry("valid", true).containsEntry("code", "VALID")
                .containsEntry("detail", "the license is valid")
                .containsEntry("expiresAt", Parts.NOW.plus(Duration.ofMinutes(15)));
        assertThat(licenseOf(body)).containsExactly(
                Map.entry("id", license.licenseId()),
                Map.entry("status", "active"),
                Map.entry("plan", "enterprise"),
                Map.entry("entitlements", List.of("reporting", "export")),
                Map.entry("maxMachines", 5),
                Map.entry("notBefore", license.notBefore()),
                Map.entry("notAfter", license.notAfter()),
                Map.entry("gracePeriod", Duration.ofHours(72)));
        JWTClaimsSet claims = SignedJWT.parse((String) body.get("token")).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo(license.licenseId());
        assertThat(claims.getStringClaim("cid")).isEqualTo("inst-1");
        assertThat(claims.getStringListClaim("entitlements")).containsExactly("reporting", "export");
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(body.get("expiresAt"));
    }

    @Test
    void anUnknownKeyIsNotFoundWithoutLicenseOrToken() {
        LicenseService.Answer answer = parts.service(true).validate(request("TLSW-nope", "inst-1"),
                List.of(parts.proof(Parts.clientKey())), OVER_TLS, System.nanoTime());

        assertThat(answer.body()).containsOnly(Map.entry("valid", false), Map.entry("code", "NOT_FOUND"),
                Map.entry("detail", "no license has this key"));
        assertThat(answer.event().licenseId()).isNull();
        assertThat(answer.event().tokenExpiresAt()).isNull();
        assertThat(answer.event().graceUntil()).isNull();
    }

    /** Every refusal that knows the license shows it (so a client can tell the customer why), never a token. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = LicenseCheckCode.class, names = {"EXPIRED", "NOT_YET_VALID", "SUSPENDED", "REVOKED"})
    void aRefusedLicenseIsShownWithoutAToken(LicenseCheckCode code) {
        // given a license in the state that yields the code
        LicenseRecord license = parts.add("TLSW-key-1", b -> switch (code) {
            case EXPIRED -> b.notBefore(Parts.NOW.minus(Duration.ofDays(30))).notAfter(Parts.NOW.minusSeconds(1));
            case NOT_YET_VALID -> b.notBefore(Parts.NOW.plus(Duration.ofDays(1)))
                    .notAfter(Parts.NOW.plus(Duration.ofDays(30)));
            case SUSPENDED -> b.status(LicenseRecordStatus.SUSPENDED);
            case REVOKED -> b.status(LicenseRecordStatus.REVOKED);
            default -> throw new IllegalArgumentException(code.name());
        });

        // when a client with a good proof asks
        LicenseService.Answer answer = parts.service(true).validate(request("TLSW-key-1", "inst-1"),
                List.of(parts.proof(Parts.clientKey())), OVER_TLS, System.nanoTime());

        // then
        assertThat(answer.code()).isEqualTo(code);
        assertThat(answer.body()).containsOnlyKeys("valid", "code", "detail", "license")
                .containsEntry("valid", false).containsEntry("code", code.name())
                .containsEntry("detail", LicenseService.detail(code));
        assertThat(licenseOf(answer.body())).containsEntry("id", license.licenseId())
                .containsEntry("status", license.status().name().toLowerCase(java.util.Locale.ROOT));
        assertThat(answer.event().code()).isEqualTo(code);
        assertThat(answer.event().licenseId()).isEqualTo(license.licenseId());
        assertThat(answer.event().tokenExpiresAt()).isNull();
        assertThat(answer.event().graceUntil()).isNull();
        // and the event names the refusal by the code in lower case, beside the good proof's clock offset
        assertThat(answer.event().refusal()).isEqualTo(code.name().toLowerCase(java.util.Locale.ROOT));
        assertThat(answer.event().proofClockOffset()).isZero();
    }

    @Test
    void aProofFromAClockTwoHoursAheadIsRefusedAndTheEventSaysByHowMuch() {
        // given an active license, and a client whose clock is two hours ahead of the validator's
        parts.add("TLSW-key-1", b -> b);
        String proof = parts.proof(Parts.clientKey(), Parts.VALIDATE_URI, Parts.NOW.plus(Duration.ofHours(2)));

        // when it validates
        LicenseService.Answer answer = parts.service(true).validate(request("TLSW-key-1", "inst-1"),
                List.of(proof), OVER_TLS, System.nanoTime());

        // then it is refused, and the event names the cause and the offset
        assertThat(answer.code()).isEqualTo(LicenseCheckCode.PROOF_INVALID);
        assertThat(answer.event().proof()).isEqualTo(ProofKind.DPOP);
        assertThat(answer.event().refusal()).isEqualTo("iat_out_of_window");
        assertThat(answer.event().proofClockOffset()).isEqualTo(7_200L);
        assertThat(answer.event().proofJkt()).isNull();
    }

    @Test
    void aValidCheckHasItsProofsClockOffsetAndNoRefusal() {
        parts.add("TLSW-key-1", b -> b);
        String proof = parts.proof(Parts.clientKey(), Parts.VALIDATE_URI, Parts.NOW.minusSeconds(12));

        LicenseService.Answer answer = parts.service(true).validate(request("TLSW-key-1", "inst-1"),
                List.of(proof), OVER_TLS, System.nanoTime());

        assertThat(answer.code()).isEqualTo(LicenseCheckCode.VALID);
        assertThat(answer.event().proofClockOffset()).isEqualTo(-12L);
        assertThat(answer.event().refusal()).isNull();
    }

    @Test
    void aProofRefusedBeforeItsIatIsReadNamesItsRejectionWithoutAnOffset() {
        parts.add("TLSW-key-1", b -> b);

        LicenseService.Answer answer = parts.service(true).validate(request("TLSW-key-1", "inst-1"),
                List.of("not.a.jwt"), OVER_TLS, System.nanoTime());

        assertThat(answer.code()).isEqualTo(LicenseCheckCode.PROOF_INVALID);
        assertThat(answer.event().refusal()).isEqualTo("malformed");
        assertThat(answer.event().proofClockOffset()).isNull();
    }

    @Test
    void anUnknownKeyAndAMissingProofAreNamedToo() {
        parts.add("TLSW-key-1", b -> b);
        LicenseService service = parts.service(true);

        LicenseService.Answer unknown = service.validate(request("TLSW-nope", "inst-1"), List.of(), OVER_TLS,
                System.nanoTime());
        LicenseService.Answer unproven = service.validate(request("TLSW-key-1", "inst-1"), List.of(), OVER_TLS,
                System.nanoTime());

        assertThat(unknown.event().refusal()).isEqualTo("not_found");
        assertThat(unproven.code()).isEqualTo(LicenseCheckCode.PROOF_REQUIRED);
        assertThat(unproven.event().refusal()).isEqualTo("missing");
        assertThat(unproven.event().proofClockOffset()).isNull();
    }

    @Test
    void noProofWhenProofIsRequiredIsProofRequired() {
        parts.add("TLSW-key-1", b -> b);

        LicenseService.Answer answer = parts.service(true).validate(request("TLSW-key-1", "inst-1"), List.of(),
                OVER_TLS, System.nanoTime());

        assertThat(answer.code()).isEqualTo(LicenseCheckCode.PROOF_REQUIRED);
        assertThat(answer.body()).containsEntry("valid", false).doesNotContainKeys("token", "expiresAt")
                .containsEntry("detail", "a proof of possession (DPoP header or client certificate) is required");
        assertThat(answer.event().proof()).isEqualTo(ProofKind.NONE);
        assertThat(answer.event().proofJkt()).isNull();
    }

    @Test
    void aProofThatDoesNotVerifyIsProofInvalidAndTakesNoMachineSlot() {
        // given a one-machine license
        parts.add("TLSW-key-1", b -> b.maxMachines(1));
        LicenseService service = parts.service(true);

        // when a client sends garbage as its proof
        LicenseService.Answer bad = service.validate(request("TLSW-key-1", "inst-1"), List.of("not.a.jwt"),
                OVER_TLS, System.nanoTime());

        // then it is refused, marked as a DPoP attempt
        assertThat(bad.code()).isEqualTo(LicenseCheckCode.PROOF_INVALID);
        assertThat(bad.body()).doesNotContainKey("token").containsEntry("detail",
                "the proof of possession was not accepted");
        assertThat(bad.event().proof()).isEqualTo(ProofKind.DPOP);
        assertThat(bad.event().proofJkt()).as("no key was proven").isNull();
        // and another client can still take the only machine slot
        assertThat(service.validate(request("TLSW-key-1", "inst-2"), List.of(parts.proof(Parts.clientKey())),
                OVER_TLS, System.nanoTime()).code()).isEqualTo(LicenseCheckCode.VALID);
    }

    @Test
    void twoDpopHeadersAreRefused() {
        parts.add("TLSW-key-1", b -> b);
        ECKey key = Parts.clientKey();

        LicenseService.Answer answer = parts.service(true).validate(request("TLSW-key-1", "inst-1"),
                List.of(parts.proof(key), parts.proof(key)), OVER_TLS, System.nanoTime());

        assertThat(answer.code()).isEqualTo(LicenseCheckCode.PROOF_INVALID);
    }

    @Test
    void theProofIsCheckedAgainstThePublicUriNotAnotherHost() {
        // given a proof made for another host (what a request's Host header could claim)
        parts.add("TLSW-key-1", b -> b);
        String proof = parts.proof(Parts.clientKey(), URI.create("https://evil.example/v1/licenses/validate"));

        LicenseService.Answer answer = parts.service(true).validate(request("TLSW-key-1", "inst-1"), List.of(proof),
                OVER_TLS, System.nanoTime());

        assertThat(answer.code()).isEqualTo(LicenseCheckCode.PROOF_INVALID);
    }

    @Test
    void aReplayedProofIsRefused() {
        parts.add("TLSW-key-1", b -> b);
        LicenseService service = parts.service(true);
        String proof = parts.proof(Parts.clientKey());

        LicenseService.Answer first = service.validate(request("TLSW-key-1", "inst-1"), List.of(proof), OVER_TLS,
                System.nanoTime());
        LicenseService.Answer replay = service.validate(request("TLSW-key-1", "inst-1"), List.of(proof), OVER_TLS,
                System.nanoTime());

        assertThat(first.code()).isEqualTo(LicenseCheckCode.VALID);
        assertThat(replay.code()).isEqualTo(LicenseCheckCode.PROOF_INVALID);
    }

    @Test
    void aMachineBeyondTheLicenseLimitIsTooManyMachines() {
        // given a one-machine license already used by one client
        parts.add("TLSW-key-1", b -> b.maxMachines(1));
        LicenseService service = parts.service(true);
        service.validate(request("TLSW-key-1", "inst-1"), List.of(parts.proof(Parts.clientKey())), OVER_TLS,
                System.nanoTime());

        // when a second client asks
        LicenseService.Answer answer = service.validate(request("TLSW-key-1", "inst-2"),
                List.of(parts.proof(Parts.clientKey())), OVER_TLS, System.nanoTime());

        // then
        assertThat(answer.code()).isEqualTo(LicenseCheckCode.TOO_MANY_MACHINES);
        assertThat(answer.body()).containsEntry("valid", false).containsKey("license").doesNotContainKey("token");
    }

    @Test
    void withProofOptionalAValidCheckWithoutProofGetsNoToken() {
        // given a server configured with licenses.proofRequired=false
        parts.add("TLSW-key-1", b -> b.gracePeriod(Duration.ofHours(1)));

        LicenseService.Answer answer = parts.service(false).validate(request("TLSW-key-1", "inst-1"), List.of(),
                OVER_TLS, System.nanoTime());

        // then valid, but no token can be bound to an unproven key
        assertThat(answer.code()).isEqualTo(LicenseCheckCode.VALID);
        assertThat(answer.body()).containsEntry("valid", true).containsKey("license")
                .doesNotContainKeys("token", "expiresAt");
        assertThat(answer.event().tokenExpiresAt()).isNull();
        assertThat(answer.event().graceUntil()).isNull();
        assertThat(answer.event().proof()).isEqualTo(ProofKind.NONE);
    }

    @Test
    void theTokenNeverOutlivesTheLicense() throws Exception {
        // given a license that ends in five minutes
        parts.add("TLSW-key-1", b -> b.notAfter(Parts.NOW.plus(Duration.ofMinutes(5))));

        LicenseService.Answer answer = parts.service(true).validate(request("TLSW-key-1", "inst-1"),
                List.of(parts.proof(Parts.clientKey())), OVER_TLS, System.nanoTime());

        assertThat(answer.body().get("expiresAt")).isEqualTo(Parts.NOW.plus(Duration.ofMinutes(5)));
        assertThat(answer.event().tokenExpiresAt()).isEqualTo(Parts.NOW.plus(Duration.ofMinutes(5)));
    }

    @Test
    void theLicensesResolvedTermsSetTheTokensLifetimeEntitlementsAndTheAnswersGrace() throws Exception {
        // given a license with three entitlements whose terms give 2-minute tokens, a day of grace and 7 machines
        parts.add("TLSW-key-1", b -> b.entitlements(List.of("reporting", "export", "api"))
                .overrides(new PolicyTerms(7, null, null, null, Duration.ofMinutes(2), Duration.ofDays(1), null,
                        null, null)));

        // when a client asks for "api" and "reporting"
        LicenseService.Answer answer = parts.service(true).validate(
                new ValidateRequest("TLSW-key-1", "inst-1", null, List.of("api", "reporting")),
                List.of(parts.proof(Parts.clientKey())), OVER_TLS, System.nanoTime());

        // then the token carries exactly those and lives 2 minutes; the answer and the event say the terms' grace
        assertThat(answer.code()).isEqualTo(LicenseCheckCode.VALID);
        JWTClaimsSet claims = SignedJWT.parse((String) answer.body().get("token")).getJWTClaimsSet();
        assertThat(claims.getStringListClaim("entitlements")).containsExactly("reporting", "api");
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(Parts.NOW.plus(Duration.ofMinutes(2)));
        assertThat(licenseOf(answer.body())).containsEntry("gracePeriod", Duration.ofDays(1))
                .containsEntry("maxMachines", 7)
                .containsEntry("entitlements", List.of("reporting", "export", "api"));
        assertThat(answer.event().graceUntil()).isEqualTo(Parts.NOW.plus(Duration.ofMinutes(2)).plus(Duration.ofDays(1)));
    }

    @Test
    void askingForAnEntitlementTheLicenseLacksIsRefusedWithoutAToken() throws Exception {
        // given a license with only "reporting"
        parts.add("TLSW-key-1", b -> b);

        // when a client asks for "admin"
        LicenseService.Answer answer = parts.service(true).validate(
                new ValidateRequest("TLSW-key-1", "inst-1", null, List.of("admin")),
                List.of(parts.proof(Parts.clientKey())), OVER_TLS, System.nanoTime());

        // then
        assertThat(answer.code()).isEqualTo(LicenseCheckCode.ENTITLEMENTS_MISSING);
        assertThat(answer.body()).containsEntry("valid", false)
                .containsEntry("detail", "the license does not grant the entitlements asked for")
                .containsKey("license").doesNotContainKeys("token", "expiresAt");
        assertThat(answer.event().refusal()).isEqualTo("entitlements_missing");
    }

    private static ValidateRequest request(String key, String clientId) {
        return new ValidateRequest(key, clientId, null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> licenseOf(Map<String, Object> body) {
        return (Map<String, Object>) body.get("license");
    }

    /** A self-signed ECDSA P-256 certificate, as a client of a mutual-TLS connection would present. */
    static X509Certificate selfSigned(String subject) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        X500Name name = new X500Name(subject);
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.valueOf(System.nanoTime()), Date.from(Parts.NOW.minus(Duration.ofDays(1))),
                Date.from(Parts.NOW.plus(Duration.ofDays(30))), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    /**
     * The real parts a {@link LicenseService} is made of, on a fixed clock, over an in-memory license table.
     * Shared with {@link LicenseApiHandlerTest}.
     */
    static final class Parts {

        static final Instant NOW = Instant.parse("2026-03-14T09:00:00Z");
        static final URI VALIDATE_URI = URI.create("https://licenses.tlswatch.test/v1/licenses/validate");
        static final String SOURCE = "validator@test";

        final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        final TokenSettings tokenSettings = TokenSettings.defaults("https://licenses.tlswatch.test", "tlswatch-client");
        final SigningKeys keys = SigningKeys.generate(SigningAlgorithm.EDDSA, tokenSettings.keyRetention(), clock);
        private final Map<String, LicenseRecord> byKeyHash = new HashMap<>();
        private final LedgerMachines machines = LedgerMachines.over(byKeyHash.values());

        /** Adds an active one-year license with key {@code key}, as changed by {@code edit}. */
        LicenseRecord add(String key, UnaryOperator<LicenseRecord.Builder> edit) {
            LicenseRecord license = edit.apply(LicenseRecord.builder().time(NOW).source("test")
                    .licenseId("lic-" + UUID.randomUUID()).customer("Acme").plan("standard")
                    .entitlements(List.of("reporting")).maxMachines(5)
                    .notBefore(NOW.minus(Duration.ofDays(1))).notAfter(NOW.plus(Duration.ofDays(365)))
                    .licenseKey(key)).build();
            byKeyHash.put(license.keyHash(), license);
            return license;
        }

        LicenseService service(boolean proofRequired) {
            return new LicenseService(
                    new LicenseDecision(hash -> Optional.ofNullable(byKeyHash.get(hash)),
                            new DefaultTerms(Duration.ofHours(24), TokenSettings.DEFAULT_LIFETIME, proofRequired),
                            machines.gate()),
                    new DpopVerifier(DpopSettings.defaults(), new ReplayCache(1_000, clock), clock),
                    new TokenIssuer(keys, tokenSettings, clock), VALIDATE_URI, clock, SOURCE);
        }

        static ECKey clientKey() {
            try {
                return new ECKeyGenerator(Curve.P_256).generate();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** A DPoP proof (RFC 9449) for POST on the public validate URI, issued now. */
        String proof(ECKey key) {
            return proof(key, VALIDATE_URI);
        }

        String proof(ECKey key, URI htu) {
            return proof(key, htu, NOW);
        }

        /** A proof made on a client clock that read {@code iat}. */
        String proof(ECKey key, URI htu, Instant iat) {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
                        .type(new JOSEObjectType("dpop+jwt")).jwk(key.toPublicJWK()).build(),
                        new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString()).claim("htm", "POST")
                                .claim("htu", htu.toString()).issueTime(Date.from(iat)).build());
                jwt.sign(new ECDSASigner(key));
                return jwt.serialize();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
