package io.tlswatch.client;

import com.nimbusds.jose.jwk.JWKSet;
import io.tlswatch.client.log.SdkLog;
import io.tlswatch.client.state.StoredVerdict;
import io.tlswatch.client.state.VerdictStore;
import io.tlswatch.client.token.EntitlementVerifier;
import io.tlswatch.client.token.Jwks;
import io.tlswatch.client.token.TokenException;
import io.tlswatch.client.token.VerifiedToken;

import java.io.IOException;
import java.text.ParseException;
import java.util.Optional;

/** The last verdict on disk: read back at start (if it still checks out), written after every verdict. */
final class VerdictCache {

    private static final SdkLog LOG = SdkLog.of(LicenseClient.class);

    private final VerdictStore store;
    private final EntitlementTracker tracker;
    private final Jwks jwks;
    private final EntitlementVerifier verifier;

    VerdictCache(VerdictStore store, EntitlementTracker tracker, Jwks jwks, EntitlementVerifier verifier) {
        this.store = store;
        this.tracker = tracker;
        this.jwks = jwks;
        this.verifier = verifier;
    }

    /** Gives the tracker the cached verdict from an earlier run, if it still checks out. */
    void restore() {
        Optional<StoredVerdict> stored = store.load();
        if (!stored.isPresent()) {
            return;
        }
        StoredVerdict verdict = stored.get();
        if (!verdict.valid()) {
            tracker.invalid(verdict.code(), verdict.detail(), verdict.licenseId(), verdict.answeredAt());
            return;
        }
        try {
            jwks.seed(verdict.jwks() == null ? null : JWKSet.parse(verdict.jwks()));
            VerifiedToken token = verifier.verifyCached(verdict.token(), verdict.certificateThumbprint());
            tracker.valid(token, verdict.grace(), verdict.detail(), verdict.answeredAt());
        } catch (TokenException | ParseException e) {
            LOG.warning("ignoring the cached entitlement in {0}: {1}", store.file(), e.getMessage());
        }
    }

    void save(StoredVerdict verdict) {
        try {
            store.save(verdict);
        } catch (IOException e) {
            // The verdict holds in memory; only a restart without the server would miss it.
            LOG.warning("cannot write {0}: {1}", store.file(), e.toString());
        }
    }
}
