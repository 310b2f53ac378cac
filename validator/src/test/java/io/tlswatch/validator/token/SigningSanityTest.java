package io.tlswatch.validator.token;

import io.tlswatch.contract.testing.MutableClock;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A quick, JMH-free sanity check that signing and verification work, many times over, on both algorithms, and
 * a rough idea of their cost (logged, not asserted: timings on a shared machine are not a test).
 */
class SigningSanityTest {

    private static final Logger LOG = LoggerFactory.getLogger(SigningSanityTest.class);
    private static final int ROUNDS = 1000;

    @ParameterizedTest
    @EnumSource(SigningAlgorithm.class)
    void manyTokensSignAndVerify(SigningAlgorithm algorithm) {
        // given
        TokenFixture f = new TokenFixture(algorithm);
        for (int i = 0; i < 200; i++) {
            f.verifier.verify(f.issue().token());
        }

        // when
        List<String> tokens = new ArrayList<>(ROUNDS);
        long signStart = System.nanoTime();
        for (int i = 0; i < ROUNDS; i++) {
            tokens.add(f.issue().token());
        }
        long signNanos = System.nanoTime() - signStart;
        long verified = 0;
        long verifyStart = System.nanoTime();
        for (String token : tokens) {
            if (f.verifier.verify(token).verified()) {
                verified++;
            }
        }
        long verifyNanos = System.nanoTime() - verifyStart;

        // then
        assertThat(verified).isEqualTo(ROUNDS);
        LOG.info("{}: issue {} us/token, verify {} us/token (single thread, {} rounds)", algorithm.jws(),
                signNanos / 1000 / ROUNDS, verifyNanos / 1000 / ROUNDS, ROUNDS);
    }

    @ParameterizedTest
    @EnumSource(value = SigningAlgorithm.class)
    void manyProofsVerify(SigningAlgorithm algorithm) {
        // given
        MutableClock clock = MutableClock.at("2025-03-14T09:00:00Z");
        DpopVerifier verifier = new DpopVerifier(DpopSettings.defaults(), new ReplayCache(10 * ROUNDS, clock), clock);
        JWK key = algorithm == SigningAlgorithm.EDDSA ? DpopProof.ed25519() : DpopProof.p256();
        JWSAlgorithm alg = algorithm.jws();
        List<String> proofs = new ArrayList<>(ROUNDS);
        for (int i = 0; i < ROUNDS; i++) {
            proofs.add(DpopProof.by(key, alg, clock.instant(), "jti-" + i).compact());
        }

        // when
        long verified = 0;
        long start = System.nanoTime();
        for (String proof : proofs) {
            if (verifier.verify(proof, DpopProof.METHOD, URI.create(DpopProof.URI)).verified()) {
                verified++;
            }
        }
        long nanos = System.nanoTime() - start;

        // then
        assertThat(verified).isEqualTo(ROUNDS);
        LOG.info("{}: DPoP proof check {} us/proof (single thread, {} rounds)", alg, nanos / 1000 / ROUNDS, ROUNDS);
    }
}
