package io.tlswatch.bench.jmh;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.tlswatch.client.identity.Installation;
import io.tlswatch.client.token.DpopProofs;
import io.tlswatch.validator.token.DpopSettings;
import io.tlswatch.validator.token.DpopVerification;
import io.tlswatch.validator.token.DpopVerifier;
import io.tlswatch.validator.token.ReplayCache;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.net.URI;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * DPoP proofs as the client SDK makes them (ES256, a fresh jti each) and as the validator checks them. The
 * verifier refuses a jti it has seen, so it verifies a ring of distinct proofs and starts a fresh replay cache
 * each time the ring comes round (once per {@value #RING} verifications): every measured verification is an
 * accepted one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProofBench {

    private static final int RING = 4096;
    private static final String METHOD = "POST";
    private static final URI URI_ = URI.create("https://license.example.com/v1/licenses/validate");

    private final Clock clock = Clock.systemUTC();
    private DpopProofs proofs;
    private String[] ring;
    private int next;
    private DpopVerifier verifier;

    @Setup
    public void installation() throws Exception {
        proofs = new DpopProofs(new Installation("client-7", new ECKeyGenerator(Curve.P_256).generate()), clock);
    }

    /** Fresh proofs every iteration: a proof's iat must stay within the verifier's 60 s window. */
    @Setup(Level.Iteration)
    public void ring() {
        ring = new String[RING];
        for (int i = 0; i < RING; i++) {
            ring[i] = proofs.proof(METHOD, URI_, null);
        }
        verifier = freshVerifier();
        if (!(verifier.verify(ring[0], METHOD, URI_) instanceof DpopVerification.Verified)) {
            throw new IllegalStateException("the proof does not verify: " + freshVerifier().verify(ring[0], METHOD, URI_));
        }
        verifier = freshVerifier();
        next = 0;
    }

    private DpopVerifier freshVerifier() {
        return new DpopVerifier(DpopSettings.defaults(), new ReplayCache(ReplayCache.DEFAULT_CAPACITY, clock), clock);
    }

    @Benchmark
    public String sign() {
        return proofs.proof(METHOD, URI_, null);
    }

    @Benchmark
    public DpopVerification verify() {
        if (next == RING) {
            next = 0;
            verifier = freshVerifier();
        }
        return verifier.verify(ring[next++], METHOD, URI_);
    }
}
