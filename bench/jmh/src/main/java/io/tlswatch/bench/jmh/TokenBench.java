package io.tlswatch.bench.jmh;

import io.tlswatch.validator.token.Confirmation;
import io.tlswatch.validator.token.EntitlementGrant;
import io.tlswatch.validator.token.SigningAlgorithm;
import io.tlswatch.validator.token.SigningKeys;
import io.tlswatch.validator.token.TokenIssuer;
import io.tlswatch.validator.token.TokenSettings;
import io.tlswatch.validator.token.TokenVerification;
import io.tlswatch.validator.token.TokenVerifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Entitlement tokens: what the validator pays to sign one per VALID answer, and a client or API to verify one. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TokenBench {

    /** RFC 7638 §3.1's example thumbprint: a well-formed jkt binding. */
    private static final String JKT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

    @Param({"EDDSA", "ES256"})
    public SigningAlgorithm algorithm;

    private TokenIssuer issuer;
    private TokenVerifier verifier;
    private EntitlementGrant grant;
    private String token;

    @Setup
    public void keys() {
        Clock clock = Clock.systemUTC();
        TokenSettings settings = TokenSettings.defaults("https://license.example.com", "tlswatch-client");
        SigningKeys keys = SigningKeys.generate(algorithm, settings.keyRetention(), clock);
        issuer = new TokenIssuer(keys, settings, clock);
        verifier = new TokenVerifier(keys, settings, clock);
        grant = new EntitlementGrant("lic-42", "client-7", List.of("reports", "export"), Confirmation.jkt(JKT));
        token = issuer.issue(grant).token();
        if (!(verifier.verify(token) instanceof TokenVerification.Verified)) {
            throw new IllegalStateException("the token does not verify: " + verifier.verify(token));
        }
    }

    @Benchmark
    public Object sign() {
        return issuer.issue(grant);
    }

    @Benchmark
    public TokenVerification verify() {
        return verifier.verify(token);
    }
}
