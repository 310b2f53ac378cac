package io.tlswatch.validator.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import io.tlswatch.validator.token.DpopVerification.Verified;
import io.tlswatch.validator.token.TokenVerification.Rejected;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole exchange: a proof binds the issued token, and only a proof by the same key satisfies the binding. */
class ProofBindingTest {

    private final TokenFixture f = new TokenFixture(SigningAlgorithm.EDDSA);
    private final DpopVerifier dpop = new DpopVerifier(DpopSettings.defaults(),
            new ReplayCache(ReplayCache.DEFAULT_CAPACITY, f.clock), f.clock);
    private final URI validate = URI.create(DpopProof.URI);

    @Test
    void aTokenIssuedOnAProofIsBoundToThatProofsKey() {
        // given: the client proves possession of its key when it validates
        OctetKeyPair clientKey = DpopProof.ed25519();
        Verified proof = (Verified) dpop.verify(DpopProof.by(clientKey, JWSAlgorithm.EdDSA, f.clock.instant(), "p1")
                .compact(), "POST", validate);

        // when: the server issues a token bound to it, and the client later proves possession again
        IssuedToken token = f.issuer.issue(new EntitlementGrant("lic-42", "client-7", List.of("reports"),
                proof.confirmation()));
        Verified later = (Verified) dpop.verify(DpopProof.by(clientKey, JWSAlgorithm.EdDSA, f.clock.instant(), "p2")
                .compact(), "POST", validate);

        // then
        assertThat(f.verifier.verify(token.token(), later.confirmation()).verified()).isTrue();
    }

    @Test
    void aProofSignedByAnotherKeyThanTheBoundOneIsRefused() {
        // given: a token bound to the client's key
        OctetKeyPair clientKey = DpopProof.ed25519();
        Verified proof = (Verified) dpop.verify(DpopProof.by(clientKey, JWSAlgorithm.EdDSA, f.clock.instant(), "p1")
                .compact(), "POST", validate);
        IssuedToken token = f.issuer.issue(new EntitlementGrant("lic-42", "client-7", List.of("reports"),
                proof.confirmation()));

        // when: a thief who copied the token presents it with a perfectly valid proof by their own key
        ECKey thiefKey = DpopProof.p256();
        Verified thiefProof = (Verified) dpop.verify(DpopProof.by(thiefKey, JWSAlgorithm.ES256, f.clock.instant(),
                "t1").compact(), "POST", validate);
        TokenVerification result = f.verifier.verify(token.token(), thiefProof.confirmation());

        // then
        assertThat(result).isEqualTo(new Rejected(TokenRejection.BINDING_MISMATCH,
                "the proof's jkt differs from the token's cnf.jkt"));
    }
}
