package io.tlswatch.client.token;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import io.tlswatch.client.identity.Installation;
import io.tlswatch.contract.testing.MutableClock;
import io.tlswatch.validator.token.DpopSettings;
import io.tlswatch.validator.token.DpopVerification;
import io.tlswatch.validator.token.DpopVerifier;
import io.tlswatch.validator.token.ReplayCache;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The SDK's proofs, checked by the validator's own verifier. */
class DpopProofsTest {

    private static final URI HTU = URI.create("https://licenses.example.com/v1/licenses/validate");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-14T09:00:00.700Z"));
    private final DpopVerifier validator = new DpopVerifier(DpopSettings.defaults(), new ReplayCache(1000, clock), clock);

    @Test
    void theValidatorAcceptsTheProofAndBindsToTheInstallationsKey() throws Exception {
        Installation installation = new Installation("inst-1", new ECKeyGenerator(Curve.P_256).generate());
        DpopProofs proofs = new DpopProofs(installation, clock);

        DpopVerification result = validator.verify(proofs.proof("POST", HTU, null), "POST", HTU);

        assertThat(result).isInstanceOf(DpopVerification.Verified.class);
        assertThat(((DpopVerification.Verified) result).jkt()).isEqualTo(installation.thumbprint());
    }

    @Test
    void everyProofIsNewSoNoneIsTakenForAReplay() throws Exception {
        DpopProofs proofs = new DpopProofs(new Installation("inst-1", new ECKeyGenerator(Curve.P_256).generate()), clock);

        DpopVerification first = validator.verify(proofs.proof("POST", HTU, null), "POST", HTU);
        DpopVerification second = validator.verify(proofs.proof("POST", HTU, null), "POST", HTU);

        assertThat(first).isInstanceOf(DpopVerification.Verified.class);
        assertThat(second).isInstanceOf(DpopVerification.Verified.class);
    }

    @Test
    void theProofCarriesWholeSecondsAndAServerNonceWhenThereIsOne() throws Exception {
        DpopProofs proofs = new DpopProofs(new Installation("inst-1", new ECKeyGenerator(Curve.P_256).generate()), clock);

        SignedJWT proof = SignedJWT.parse(proofs.proof("POST", HTU, "n-123"));

        assertThat(proof.getJWTClaimsSet().getIssueTime().toInstant()).isEqualTo(Instant.parse("2026-03-14T09:00:00Z"));
        assertThat(proof.getJWTClaimsSet().getStringClaim("nonce")).isEqualTo("n-123");
        assertThat(proof.getHeader().getJWK().isPrivate()).isFalse();
        assertThat(validator.verify(proof.serialize(), "POST", HTU)).isInstanceOf(DpopVerification.Verified.class);
    }
}
