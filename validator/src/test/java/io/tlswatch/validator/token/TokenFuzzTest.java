package io.tlswatch.validator.token;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tlswatch.validator.token.DpopVerification.Rejected;
import io.tlswatch.validator.token.TokenVerification.Verified;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile entitlement tokens and DPoP proofs at the verifiers.
 *
 * <p>The property: every input gets a verdict; a refusal is one of the documented {@link TokenRejection} /
 * {@link DpopRejection} reasons and never the catch-all the verifiers fall back to when something inside them
 * throws ("could not be processed": the bug this test looks for); a mangled token never verifies (that would be
 * a forgery). {@link #signedClaims} signs the fuzzed claims with the real key, so that claim checking is reached
 * at all. Header values arrive as ISO-8859-1 from Netty, hence the byte-to-char mapping. Seeds:
 * {@code TokenFuzzTestInputs/}; {@link #dpopProof} is fuzzed for a bounded time in {@code mvn verify}.
 */
class TokenFuzzTest {

    private static final String CATCH_ALL = "could not be processed";

    private final TokenFixture tokens = new TokenFixture(SigningAlgorithm.EDDSA);
    private final DpopVerifier proofs = new DpopVerifier(DpopSettings.defaults(),
            new ReplayCache(ReplayCache.DEFAULT_CAPACITY, tokens.clock), tokens.clock);

    @FuzzTest(maxDuration = "20s")
    void compactToken(byte[] input) {
        TokenVerification result = tokens.verifier.verify(new String(input, StandardCharsets.ISO_8859_1));

        assertThat(result).isInstanceOf(TokenVerification.Rejected.class);
        assertThat(((TokenVerification.Rejected) result).detail()).doesNotContain(CATCH_ALL);
    }

    @FuzzTest(maxDuration = "20s")
    void signedClaims(byte[] claimsJson) {
        String token = tokens.signed(tokens.header().toString(), new String(claimsJson, StandardCharsets.UTF_8));

        TokenVerification result = tokens.verifier.verify(token, Confirmation.jkt(TokenFixture.JKT));

        if (result instanceof Verified verified) {
            assertThat(verified.claims()).isNotNull();
        } else {
            assertThat(((TokenVerification.Rejected) result).detail()).doesNotContain(CATCH_ALL);
        }
    }

    @FuzzTest(maxDuration = "20s")
    void dpopProof(byte[] input) {
        DpopVerification result = proofs.verify(new String(input, StandardCharsets.ISO_8859_1), DpopProof.METHOD,
                URI.create(DpopProof.URI));

        assertThat(result).isNotNull();
        if (result instanceof Rejected rejected) {
            assertThat(rejected.detail()).doesNotContain(CATCH_ALL);
        }
    }
}
