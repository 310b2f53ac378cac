package io.tlswatch.validator.token;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The key ring: the current signing key, the key staged to sign next, and the previous keys still needed to
 * verify tokens they signed.
 *
 * <p>{@link #rotate()} makes a new current key. The key it replaces is retired, not deleted: it stays published
 * in the JWKS and accepted for verification for {@link #retention()} (the longest token lifetime plus the
 * verifier's leeway), after which every token it signed has expired, and it is dropped. Reads never block:
 * the ring is an immutable snapshot swapped atomically; a retired key past its time is invisible to reads
 * at once and removed from memory at the next rotation.
 *
 * <p>Keys come from one of two places (docs/tokens.md, "Keys"):
 * <ul>
 *   <li>{@link #generate}: a fresh key in memory at start-up. It is never written anywhere, so a restart
 *       makes a new key and the tokens signed before it stop verifying (they live 15 minutes by default, and
 *       the SDK revalidates). Fine for one replica and for development.</li>
 *   <li>{@link #load}: a private JWK Set file ({@link SigningKeyFile}): the first key signs, the staged
 *       {@code next} key is published and accepted but does not sign, the others are previous keys, published
 *       and accepted for {@code retention} after start-up. Replicas that share the file sign with the same key
 *       and publish the same JWKS. {@link #reload} takes a changed file in (SigningKeyFileWatcher).</li>
 * </ul>
 *
 * <p>A key that may have signed a token still valid is never dropped before its retention, whatever the file
 * says: a signing key or staged key that leaves the file, or a retired one removed from it, stays published until
 * its retention ends. Dropping one early would refuse tokens in the field.
 */
public final class SigningKeys {

    private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);

    private final SigningAlgorithm rotationAlgorithm;
    private final Duration retention;
    private final Clock clock;
    private final AtomicReference<Ring> ring;
    private final AtomicReference<PublishedSet> publishedSet = new AtomicReference<>();

    private SigningKeys(KeyFileContents contents, SigningAlgorithm rotationAlgorithm, Duration retention,
                        Clock clock) {
        this.rotationAlgorithm = Objects.requireNonNull(rotationAlgorithm, "rotationAlgorithm");
        this.retention = requirePositive(retention);
        this.clock = Objects.requireNonNull(clock, "clock");
        Instant dropAt = clock.instant().plus(retention);
        List<Retired> retired = new ArrayList<>();
        for (SigningKey key : contents.retired()) {
            retired.add(new Retired(key, dropAt));
        }
        this.ring = new AtomicReference<>(new Ring(contents.current(), contents.next().orElse(null),
                List.copyOf(retired)));
    }

    /**
     * A ring with one freshly generated key of {@code algorithm}, held in memory only.
     *
     * @param retention how long a retired key stays published: the maximum token lifetime plus the leeway
     *                  ({@link TokenSettings#keyRetention()})
     */
    public static SigningKeys generate(SigningAlgorithm algorithm, Duration retention, Clock clock) {
        SigningKey key = SigningKey.generate(algorithm);
        LOG.info("Generated {} token signing key {} in memory; it is not saved, so tokens it signs stop "
                + "verifying when this process restarts", algorithm.jws(), key.kid());
        return new SigningKeys(new KeyFileContents(key, Optional.empty(), List.of()), algorithm, retention, clock);
    }

    /**
     * A ring from a private JWK Set file: the first key is the current signing key (it must hold its private
     * part), the staged {@code next} key is published, the others previous keys that stay published for
     * {@code retention} from now. {@link #rotate()} later generates keys of {@code rotationAlgorithm}, in memory
     * only.
     *
     * @throws SigningKeyException when the file cannot be read or holds a key that cannot be used
     */
    public static SigningKeys load(Path jwkSetFile, SigningAlgorithm rotationAlgorithm, Duration retention,
                                   Clock clock) {
        KeyFileContents contents = SigningKeyFile.read(jwkSetFile);
        SigningKeys ring = new SigningKeys(contents, rotationAlgorithm, retention, clock);
        LOG.info("Loaded {} token signing key(s) from {}; signing with {} ({}), next {}", contents.all().size(),
                jwkSetFile, contents.current().kid(), contents.current().algorithm().jws(),
                contents.next().map(SigningKey::kid).orElse("none"));
        return ring;
    }

    /** A ring of the given keys, for tests and tools; the same rules as {@link #load}. */
    public static SigningKeys of(SigningKey current, List<SigningKey> previous, SigningAlgorithm rotationAlgorithm,
                                 Duration retention, Clock clock) {
        return new SigningKeys(new KeyFileContents(current, Optional.empty(), previous), rotationAlgorithm,
                retention, clock);
    }

    /**
     * Takes in a key file's new contents: its current key signs from now on, its next key is published. A key
     * that leaves the signing or staged place is retired for {@code retention} from now; a key retired before
     * keeps the time it had, whether or not the file still lists it (see the class comment).
     */
    public void reload(KeyFileContents contents) {
        Instant now = clock.instant();
        Ring next = ring.updateAndGet(old -> old.reloadedTo(contents, now, now.plus(retention)));
        LOG.info("Reloaded the token signing keys: signing with {} ({}), next {}, {} previous key(s) published",
                next.current().kid(), next.current().algorithm().jws(),
                next.next() == null ? "none" : next.next().kid(), next.retired().size());
    }

    /** The key new tokens are signed with. */
    public SigningKey current() {
        return ring.get().current();
    }

    /** The key staged to sign next, published but not signing yet. */
    public Optional<SigningKey> next() {
        return Optional.ofNullable(ring.get().next());
    }

    /** The current key, the staged key, or a retired key still within its retention, by {@code kid}. */
    public Optional<SigningKey> find(String kid) {
        if (kid == null) {
            return Optional.empty();
        }
        Ring snapshot = ring.get();
        if (snapshot.current().kid().equals(kid)) {
            return Optional.of(snapshot.current());
        }
        // A replica that saw the promotion first signs with the staged key while this one has not yet.
        if (snapshot.next() != null && snapshot.next().kid().equals(kid)) {
            return Optional.of(snapshot.next());
        }
        Instant now = clock.instant();
        for (Retired retired : snapshot.retired()) {
            if (retired.key().kid().equals(kid) && retired.liveAt(now)) {
                return Optional.of(retired.key());
            }
        }
        return Optional.empty();
    }

    /**
     * Every key a token may currently be verified with: the current key first, then the staged one, then
     * retired ones, newest first.
     */
    public List<SigningKey> published() {
        Ring snapshot = ring.get();
        Instant now = clock.instant();
        List<SigningKey> keys = new ArrayList<>();
        keys.add(snapshot.current());
        if (snapshot.next() != null) {
            keys.add(snapshot.next());
        }
        for (Retired retired : snapshot.retired()) {
            if (retired.liveAt(now)) {
                keys.add(retired.key());
            }
        }
        return List.copyOf(keys);
    }

    /**
     * Makes a new current key of the rotation algorithm. The previous key is retired: published and accepted
     * for {@link #retention()} more, then dropped. Retired keys already past their time are removed now.
     *
     * @return the new current key
     */
    public SigningKey rotate() {
        SigningKey fresh = SigningKey.generate(rotationAlgorithm);
        Instant now = clock.instant();
        Ring next = ring.updateAndGet(old -> old.rotatedTo(fresh, now, now.plus(retention)));
        LOG.info("Rotated the token signing key: now signing with {} ({}); {} previous key(s) still published",
                fresh.kid(), fresh.algorithm().jws(), next.retired().size());
        return fresh;
    }

    /**
     * The public JWK Set, as served at {@code GET /.well-known/jwks.json}: every published key's public half,
     * with {@code kid}, {@code alg} and {@code use}. Never a private member.
     */
    public String jwks() {
        // Served on the event loop for every client that starts: written out again only when the set changes.
        List<SigningKey> keys = published();
        PublishedSet last = publishedSet.get();
        if (last != null && last.keys().equals(keys)) {
            return last.json();
        }
        List<JWK> publicKeys = new ArrayList<>();
        for (SigningKey key : keys) {
            publicKeys.add(key.publicJwk());
        }
        String json = new JWKSet(publicKeys).toString(true);
        publishedSet.set(new PublishedSet(keys, json));
        return json;
    }

    /** A JWK Set as last written out, with the keys it was written from. */
    private record PublishedSet(List<SigningKey> keys, String json) {
    }

    /** How long a retired key stays published and accepted. */
    public Duration retention() {
        return retention;
    }

    private static Duration requirePositive(Duration retention) {
        Objects.requireNonNull(retention, "retention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("key retention must be positive, got " + retention);
        }
        return retention;
    }

    private record Retired(SigningKey key, Instant dropAt) {
        boolean liveAt(Instant now) {
            return now.isBefore(dropAt);
        }
    }

    /** @param next the staged key; null when none is */
    private record Ring(SigningKey current, SigningKey next, List<Retired> retired) {
        Ring rotatedTo(SigningKey fresh, Instant now, Instant dropAt) {
            List<Retired> kept = new ArrayList<>();
            kept.add(new Retired(current, dropAt));
            for (Retired old : retired) {
                if (old.liveAt(now)) {
                    kept.add(old);
                }
            }
            return new Ring(fresh, next, List.copyOf(kept));
        }

        Ring reloadedTo(KeyFileContents contents, Instant now, Instant dropAt) {
            Set<String> placed = new HashSet<>();
            placed.add(contents.current().kid());
            contents.next().ifPresent(key -> placed.add(key.kid()));
            Map<String, Retired> before = new HashMap<>();
            for (Retired old : retired) {
                before.put(old.key().kid(), old);
            }
            List<Retired> kept = new ArrayList<>();
            // Newest first: the keys that signed or were staged until now, then the file's, then older ones.
            for (SigningKey leaving : Arrays.asList(current, next)) {
                if (leaving != null && placed.add(leaving.kid())) {
                    kept.add(new Retired(leaving, dropAt));
                }
            }
            for (SigningKey key : contents.retired()) {
                if (placed.add(key.kid())) {
                    Retired old = before.get(key.kid());
                    kept.add(old != null ? new Retired(key, old.dropAt()) : new Retired(key, dropAt));
                }
            }
            for (Retired old : retired) {
                if (old.liveAt(now) && placed.add(old.key().kid())) {
                    kept.add(old);
                }
            }
            return new Ring(contents.current(), contents.next().orElse(null), List.copyOf(kept));
        }
    }
}
