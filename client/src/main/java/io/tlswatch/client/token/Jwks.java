package io.tlswatch.client.token;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.tlswatch.client.http.HttpResponse;
import io.tlswatch.client.http.HttpTransport;

import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The validator's signing keys from {@code /.well-known/jwks.json}, fetched on first need and cached; fetched
 * again when a token names a {@code kid} the cache does not have (a rotation publishes the new key before or
 * the moment it starts signing). Only a fetch that did not bring the key sought (or failed) holds the next one
 * back for {@link #MIN_REFETCH_INTERVAL}: a new key met a moment after a fetch is fetched at once, while tokens
 * that keep naming a key the server does not publish cost at most one fetch per interval. The last set is also
 * kept with the cached token on disk, so that the token can be checked again after a restart without the
 * server.
 */
public final class Jwks {

    /** Bounds refetches when tokens keep naming an unknown key (a misbehaving server or proxy). */
    public static final Duration MIN_REFETCH_INTERVAL = Duration.ofSeconds(1);
    private static final int MAX_KEYS = 64;

    private final HttpTransport http;
    private final URI uri;
    private final Clock clock;
    private JWKSet keys;
    /** When a fetch last failed to bring the key sought, or threw (hence set before fetching): the limit's start. */
    private Instant missedAt;

    public Jwks(HttpTransport http, URI uri, Clock clock) {
        this.http = http;
        this.uri = uri;
        this.clock = clock;
    }

    /** Starts from a set kept on disk (it is only ever looked up by kid, and refetched when short). */
    public synchronized void seed(JWKSet cached) {
        if (keys == null && cached != null) {
            keys = cached;
        }
    }

    public synchronized Optional<JWKSet> current() {
        return Optional.ofNullable(keys);
    }

    /** The key with this kid from the cache only, never the network (checking a cached token offline). */
    public synchronized Optional<JWK> findCached(String kid) {
        return Optional.ofNullable(keys == null ? null : keys.getKeyByKeyId(kid));
    }

    /**
     * The key with this kid: from the cache, else from a fresh fetch.
     *
     * @throws IOException when fetching fails (the server cannot be reached, TLS...)
     */
    public synchronized Optional<JWK> find(String kid) throws IOException, TokenException {
        JWK key = keys == null ? null : keys.getKeyByKeyId(kid);
        if (key != null) {
            return Optional.of(key);
        }
        if (missedAt != null && clock.instant().isBefore(missedAt.plus(MIN_REFETCH_INTERVAL))) {
            return Optional.empty();
        }
        missedAt = clock.instant();
        fetch();
        key = keys.getKeyByKeyId(kid);
        if (key != null) {
            missedAt = null;
        }
        return Optional.ofNullable(key);
    }

    private void fetch() throws IOException, TokenException {
        HttpResponse response = http.get(uri);
        if (response.status() != 200) {
            throw new IOException("GET " + uri + " answered " + response.status());
        }
        JWKSet fetched;
        try {
            fetched = JWKSet.parse(response.bodyText());
        } catch (ParseException e) {
            throw new TokenException("malformed_jwks", "the JWKS at " + uri + " does not parse: " + e.getMessage());
        }
        if (fetched.getKeys().size() > MAX_KEYS) {
            throw new TokenException("malformed_jwks", "the JWKS at " + uri + " has more than " + MAX_KEYS + " keys");
        }
        for (JWK key : fetched.getKeys()) {
            if (key.isPrivate()) {
                throw new TokenException("malformed_jwks", "the JWKS at " + uri + " publishes a private key");
            }
        }
        keys = fetched;
    }
}
